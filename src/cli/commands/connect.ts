import { Command } from 'commander';
import * as z from 'zod';
import { controlApi } from '../../client/controlApi.js';
import { CcbridgeError } from '../../shared/errors.js';
import type { AccountView } from '../../shared/schemas/api.js';
import type { LoginSession } from '../../shared/schemas/auth.js';
import type { DaemonClient } from '../../client/daemonClient.js';
import { canOpenBrowser, openBrowser } from '../../client/openBrowser.js';
import { emit } from '../output.js';
import { spinner } from '../spinner.js';
import { requireAccountView } from './requireAccountView.js';
import { addJsonOption, getState, withDaemon, JsonOptionSchema } from './shared.js';
import { parseOptions } from '../parseOptions.js';

const ConnectOptionsSchema = JsonOptionSchema.extend({
  deviceAuth: z.boolean().optional(),
  browser: z.boolean(),
  force: z.boolean().optional(),
});
type ConnectOptions = z.infer<typeof ConnectOptionsSchema>;

const SIGNED_IN = ['connected', 'expiring', 'expired'];

const POLL_MS = 250;

/** What the user must do, once the session is waiting for them. */
function instructions(s: LoginSession, name: string, opened: boolean): string {
  if (s.kind === 'device') {
    return `To sign in ${name} to ChatGPT, open ${s.verificationUrl} on any device and enter the code\n\n    ${s.userCode}\n`;
  }
  const how = opened ? 'Your browser should open; if it does not, open this link' : 'Open this link in a browser';
  // The sign-in redirects to a callback on this machine's localhost, which a browser elsewhere cannot reach.
  const remote = opened
    ? ''
    : `\nOn a remote or headless machine, use \`ccbridge connect ${name} --device-auth\` instead.\n`;
  return `${how} to sign in ${name} to ChatGPT:\n\n  ${s.authUrl}\n${remote}`;
}

function failure(s: LoginSession, name: string): CcbridgeError {
  switch (s.state) {
    case 'cancelled':
      return new CcbridgeError('login_cancelled', `login for ${name} cancelled`, { exitCode: 130 });
    case 'timed_out':
      return new CcbridgeError(
        'login_timed_out',
        `login for ${name} timed out (${s.error ?? 'no sign-in in time'}); run \`ccbridge connect ${name}\` again`,
      );
    default:
      return new CcbridgeError('login_failed', `login for ${name} failed: ${s.error ?? 'unknown error'}`);
  }
}

/** Follows the session until it ends; Ctrl-C cancels it in the daemon (which stops codex) before returning. */
async function follow(
  client: DaemonClient,
  first: LoginSession,
  name: string,
  opts: ConnectOptions,
): Promise<LoginSession> {
  const out = opts.json ? process.stderr : process.stdout;
  const spin = spinner();
  let interrupted = false;
  const onSigint = () => (interrupted = true);
  process.on('SIGINT', onSigint);
  let session = first;
  let shown = false;
  try {
    for (;;) {
      if (interrupted) {
        spin.stop();
        return (await client.call(controlApi.cancelLogin(session.id))).session;
      }
      if (session.state === 'starting') spin.update('starting the codex login (after any other login in progress)…');
      const url = session.kind === 'device' ? session.verificationUrl : session.authUrl;
      if (url !== null && !shown) {
        shown = true;
        spin.stop();
        const open = session.state === 'waiting' && opts.browser && canOpenBrowser();
        if (open) openBrowser(url);
        out.write(`${instructions(session, name, open)}\n`);
      }
      if (session.state === 'waiting') spin.update('waiting for you to finish signing in (Ctrl-C cancels)…');
      if (['succeeded', 'failed', 'cancelled', 'timed_out'].includes(session.state)) return session;
      await new Promise((r) => setTimeout(r, POLL_MS));
      if (!interrupted) session = (await client.call(controlApi.loginSession(session.id))).session;
    }
  } finally {
    spin.stop();
    process.off('SIGINT', onSigint);
  }
}

export function connectCommand(): Command {
  return addJsonOption(
    new Command('connect')
      .alias('login')
      .description('sign an account in to ChatGPT through codex (browser login, or --device-auth for a one-time code)')
      .argument('<account>', 'account id or name')
      .option('--device-auth', 'sign in with a one-time code on any device (for remote or headless machines)')
      .option('--no-browser', 'print the sign-in link without opening a browser')
      .option('--force', 'sign in again although the account is connected'),
  ).action(async (ref: string, _opts: unknown, cmd: Command) => {
    const opts = parseOptions(cmd, ConnectOptionsSchema);
    await withDaemon(async (client) => {
      const kind = opts.deviceAuth ? 'device' : 'browser';
      const before = requireAccountView(await getState(client), ref);
      if (SIGNED_IN.includes(before.auth.state) && !opts.force) {
        const who = [before.auth.email, before.auth.planType && `(${before.auth.planType})`].filter(Boolean).join(' ');
        throw new CcbridgeError(
          'already_connected',
          `${before.name} is already connected${who ? ` as ${who}` : ''}; \`ccbridge login ${before.name} --force\` signs in again`,
        );
      }
      // A login this account still has open (a closed terminal, Esc in the TUI) has no one watching it: this one
      // replaces it rather than silently joining it.
      for (const stale of (await getState(client)).loginSessions) {
        if (stale.accountId !== before.id || ['succeeded', 'failed', 'cancelled', 'timed_out'].includes(stale.state))
          continue;
        await client.call(controlApi.cancelLogin(stale.id));
        process.stderr.write(
          `ccbridge: cancelled the earlier ${stale.kind === 'device' ? 'device-code' : 'browser'} login for ${before.name} (started ${stale.startedAt}, nobody was finishing it)\n`,
        );
      }
      const { session } = await client.call(controlApi.connect(before.id, kind));
      const nameOf = async () => (await getState(client)).accounts.find((a) => a.id === session.accountId);
      const name = (await nameOf())?.name ?? ref;
      const final = await follow(client, session, name, opts);
      if (final.state !== 'succeeded') throw failure(final, name);
      const account = (await nameOf()) as AccountView;
      emit({ session: final, account }, opts, ({ account: a }) => {
        const who = [a.auth.email, a.auth.planType && `(${a.auth.planType})`].filter(Boolean).join(' ');
        return `connected ${a.name}${who ? ` as ${who}` : ''}`;
      });
    });
  });
}
