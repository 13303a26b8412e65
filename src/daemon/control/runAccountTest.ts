import { PIN_HEADER, TIER_ALIASES } from '../../shared/bridgeNames.js';
import { errorMessage } from '../../shared/errors.js';
import { untilText } from '../../shared/format.js';
import { runSteps, type StepCheck } from '../../shared/runSteps.js';
import type { AccountTestResult, AccountView } from '../../shared/schemas/api.js';
import type { Account } from '../../shared/schemas/state.js';
import type { CodexService } from './codexService.js';

const UPSTREAM_TEST_TIMEOUT_MS = 60_000;

export interface AccountTestContext {
  /** The account's quota health as the router sees it. */
  health: AccountView['health'] | null;
  /** The bridge this daemon serves, and its token: the upstream step is one real request through it. */
  bridgeUrl: string;
  token: string;
}

class StepProblem extends Error {
  constructor(
    readonly problem: 'needs_login' | 'out_of_quota',
    message: string,
  ) {
    super(message);
  }
}

/**
 * `ccbridge test [account]`: codex binary, auth, token freshness (refreshing through codex when due), quota, and one
 * real minimal request to the Codex backend's /responses with the account's token, sent through this daemon's own
 * bridge pinned to the account (so it takes the exact path Claude Code's requests take, and never fails over).
 * Steps after a failure are skipped. Details never include a token.
 */
export async function runAccountTest(
  codex: CodexService,
  account: Account,
  ctx: AccountTestContext,
): Promise<AccountTestResult> {
  const { control } = codex;
  const connect = `run \`ccbridge login ${account.name}\``;
  let tokenBefore: string | null = null;
  let problem: AccountTestResult['problem'] = null;
  const step =
    (check: StepCheck): StepCheck =>
    async () => {
      try {
        return await check();
      } catch (err) {
        if (err instanceof StepProblem) problem = err.problem;
        throw err;
      }
    };
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
      step(async () => {
        const auth = control.authStatus(account.id, { needsLogin: account.needsLogin });
        if (auth.state === 'not-connected') throw new StepProblem('needs_login', `not signed in; ${connect}`);
        if (auth.state === 'needs-login') throw new StepProblem('needs_login', `must sign in again; ${connect}`);
        tokenBefore = auth.accessTokenExpiresAt;
        const who = [auth.email ?? 'unknown email', auth.planType && `(${auth.planType})`].filter(Boolean).join(' ');
        return { detail: `${who}, ChatGPT account ${auth.chatgptAccountId ?? 'unknown'}` };
      }),
    ],
    [
      'token',
      step(async () => {
        const creds = await codex.credentials(account.id).catch((err: unknown) => {
          const code = (err as { code?: string }).code;
          if (code === 'needs_login' || code === 'not_connected')
            throw new StepProblem('needs_login', errorMessage(err));
          throw err;
        });
        const until =
          creds.expiresAt === null
            ? 'no expiry in the token'
            : `valid until ${new Date(creds.expiresAt).toISOString()}`;
        const refreshed = creds.expiresAt !== null && new Date(creds.expiresAt).toISOString() !== tokenBefore;
        return { detail: `${until}${refreshed ? ' (refreshed through codex)' : ''}` };
      }),
    ],
    [
      'quota',
      step(async () => {
        const h = ctx.health;
        if (h?.state === 'exhausted')
          throw new StepProblem('out_of_quota', `out of quota${untilText(h.until)}${h.reason ? `: ${h.reason}` : ''}`);
        if (h?.state === 'cooldown')
          return { status: 'warn', detail: `cooling down${untilText(h.until)}: ${h.reason}` };
        return { detail: 'not out of quota as far as ccbridge knows' };
      }),
    ],
    ['upstream', step(() => upstreamCheck(account, ctx))],
  ];

  const { ok, steps } = await runSteps(checks);
  return { ok, account: { id: account.id, name: account.name }, steps, problem };
}

/** One tiny Messages request through the bridge, pinned to the account: the backend's real /responses answer. */
async function upstreamCheck(account: Account, ctx: AccountTestContext): Promise<{ detail: string }> {
  let res: Response;
  try {
    res = await fetch(`${ctx.bridgeUrl}/anthropic/v1/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${ctx.token}`,
        'anthropic-version': '2023-06-01',
        [PIN_HEADER]: account.id,
      },
      body: JSON.stringify({
        model: TIER_ALIASES.haiku,
        max_tokens: 16,
        messages: [{ role: 'user', content: 'Reply with the single word: ok' }],
      }),
      signal: AbortSignal.timeout(UPSTREAM_TEST_TIMEOUT_MS),
    });
  } catch (err) {
    throw new Error(`the bridge did not answer (${errorMessage(err)})`);
  }
  const body = (await res.json().catch(() => null)) as {
    model?: string;
    usage?: { input_tokens?: number; output_tokens?: number };
    error?: { type?: string; message?: string };
  } | null;
  if (res.ok)
    return {
      detail: `the Codex backend answered a /responses request (${body?.model ?? 'model unknown'}, ${
        (body?.usage?.input_tokens ?? 0) + (body?.usage?.output_tokens ?? 0)
      } tokens)`,
    };
  const message = body?.error?.message ?? `HTTP ${res.status}`;
  if (res.status === 429 || body?.error?.type === 'rate_limit_error')
    throw new StepProblem('out_of_quota', `out of quota: ${message}`);
  if (res.status === 401 || body?.error?.type === 'authentication_error') throw new StepProblem('needs_login', message);
  throw new Error(`the Codex backend refused the request: ${message}`);
}
