import { runSteps, type StepCheck } from '../../shared/runSteps.js';
import type { AccountTestResult } from '../../shared/schemas/api.js';
import type { Account } from '../../shared/schemas/state.js';
import type { CodexService } from './codexService.js';

/**
 * `ccbridge test [account]`: codex binary, auth, token freshness (refreshing through codex when due) and one
 * tiny upstream request — the usage read codex makes against ChatGPT with the account's token, which costs no
 * quota. Steps after a failure are skipped. Details never include a token.
 */
export async function runAccountTest(codex: CodexService, account: Account): Promise<AccountTestResult> {
  const { control } = codex;
  const connect = `run \`ccbridge connect ${account.name}\``;
  let tokenBefore: string | null = null;
  const checks: Array<[string, StepCheck]> = [
    [
      'codex',
      async () => {
        const bin = await control.binary();
        return { detail: `codex-cli ${bin.version} (${bin.path})` };
      },
    ],
    [
      'auth',
      async () => {
        const auth = control.authStatus(account.id, { needsLogin: account.needsLogin });
        if (auth.state === 'not-connected') throw new Error(`not connected; ${connect}`);
        if (auth.state === 'needs-login') throw new Error(`must sign in again; ${connect}`);
        tokenBefore = auth.accessTokenExpiresAt;
        const who = [auth.email ?? 'unknown email', auth.planType && `(${auth.planType})`].filter(Boolean).join(' ');
        return { detail: `${who}, ChatGPT account ${auth.chatgptAccountId ?? 'unknown'}` };
      },
    ],
    [
      'token',
      async () => {
        const creds = await codex.credentials(account.id);
        const until =
          creds.expiresAt === null
            ? 'no expiry in the token'
            : `valid until ${new Date(creds.expiresAt).toISOString()}`;
        const refreshed = creds.expiresAt !== null && new Date(creds.expiresAt).toISOString() !== tokenBefore;
        return { detail: `${until}${refreshed ? ' (refreshed through codex)' : ''}` };
      },
    ],
    [
      'upstream',
      async () => {
        const { rateLimits } = await control.readRateLimits(account.id);
        const primary = rateLimits.primary;
        const usage = primary
          ? `, ${primary.usedPercent}% of the ${primary.windowDurationMins ?? '?'}-minute window used`
          : '';
        return { detail: `ChatGPT accepted the token (usage read: plan ${rateLimits.planType ?? 'unknown'}${usage})` };
      },
    ],
  ];

  const { ok, steps } = await runSteps(checks);
  return { ok, account: { id: account.id, name: account.name }, steps };
}
