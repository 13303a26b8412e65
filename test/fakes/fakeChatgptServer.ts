import { createServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FAKE_IDENTITY, makeTokens, type FakeIdentity } from './fakeCodexAuth.mjs';
import type { TestTls } from './tlsCert.js';

export type RefreshMode = 'ok' | 'permanent' | 'transient';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface FakeChatgpt {
  /** `https://127.0.0.1:PORT` */
  origin: string;
  /** Value for `chatgpt_base_url` in config.toml. */
  chatgptBaseUrl: string;
  /** Value for CODEX_REFRESH_TOKEN_URL_OVERRIDE. */
  refreshUrl: string;
  requests: RecordedRequest[];
  refreshCount(): number;
  setRefreshMode(mode: RefreshMode): void;
  /** The `/wham/usage` payload (snake_case, as the backend sends it). */
  usage: Record<string, unknown>;
  /** The `/wham/accounts/check` payload (workspace routing discovery). */
  accountsCheck: unknown;
  /** The `/wham/rate-limit-reset-credits` payload (banked resets), or null: 404 as for an account without any. */
  resetCredits: Record<string, unknown> | null;
  close(): Promise<void>;
}

export const DEFAULT_USAGE = {
  plan_type: 'pro',
  rate_limit: {
    allowed: true,
    limit_reached: false,
    primary_window: {
      used_percent: 42,
      limit_window_seconds: 18000,
      reset_after_seconds: 120,
      reset_at: 1_900_000_000,
    },
    secondary_window: {
      used_percent: 7,
      limit_window_seconds: 604800,
      reset_after_seconds: 3600,
      reset_at: 1_900_100_000,
    },
  },
  credits: { has_credits: true, unlimited: false, balance: '9.99' },
};

/**
 * Workspace routing discovery: codex 0.169 refuses `account/read` unless the selected ChatGPT account is listed
 * here with an HTTPS `workspace_backend_origin` (field names read from the codex binary, verified against it).
 */
function accountsCheck(origin: string, identity: FakeIdentity) {
  const id = identity.chatgptAccountId;
  return {
    accounts: [
      {
        id,
        structure: 'personal',
        plan_type: identity.planType,
        workspace_backend_origin: origin,
        account_routing_override: 'NO_CONSTRAINT',
      },
    ],
    default_account_id: id,
  };
}

/**
 * The ChatGPT side the real codex talks to: OAuth refresh (codex.md §4) and the wham endpoints (§8),
 * over HTTPS because codex insists on an https `chatgpt_base_url`.
 */
export async function startFakeChatgpt(
  tls: TestTls,
  opts: { identity?: Partial<FakeIdentity>; refresh?: RefreshMode; accessTtlSec?: number } = {},
): Promise<FakeChatgpt> {
  const requests: RecordedRequest[] = [];
  let refreshMode: RefreshMode = opts.refresh ?? 'ok';
  let refreshes = 0;
  const fake = {} as FakeChatgpt;

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const handle = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const path = (req.url ?? '/').split('?')[0];
    requests.push({ method: req.method ?? 'GET', path: path ?? '/', headers: req.headers, body });
    if (req.method === 'POST' && path === '/oauth/token') {
      refreshes += 1;
      if (refreshMode === 'permanent') {
        return json(res, 401, { error: { code: 'refresh_token_expired', message: 'Your refresh token has expired.' } });
      }
      if (refreshMode === 'transient') return json(res, 503, { error: { message: 'try later' } });
      const t = makeTokens(opts.identity, { accessTtlSec: opts.accessTtlSec ?? 3600, serial: refreshes });
      return json(res, 200, { id_token: t.id_token, access_token: t.access_token, refresh_token: t.refresh_token });
    }
    if (req.method === 'GET' && path === '/backend-api/wham/accounts/check') {
      return json(res, 200, fake.accountsCheck);
    }
    if (req.method === 'GET' && path === '/backend-api/wham/usage') return json(res, 200, fake.usage);
    if (req.method === 'GET' && path === '/backend-api/wham/rate-limit-reset-credits' && fake.resetCredits)
      return json(res, 200, fake.resetCredits);
    return json(res, 404, { detail: 'Not Found' });
  };

  const server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => handle(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return Object.assign(fake, {
    origin,
    chatgptBaseUrl: `${origin}/backend-api/`,
    refreshUrl: `${origin}/oauth/token`,
    requests,
    usage: structuredClone(DEFAULT_USAGE) as Record<string, unknown>,
    accountsCheck: accountsCheck(origin, { ...FAKE_IDENTITY, ...opts.identity }),
    resetCredits: null as Record<string, unknown> | null,
    refreshCount: () => refreshes,
    setRefreshMode: (mode: RefreshMode) => void (refreshMode = mode),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
