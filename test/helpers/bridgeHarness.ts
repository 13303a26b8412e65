import type { AddressInfo } from 'node:net';
import Anthropic, { APIError } from '@anthropic-ai/sdk';
import { expect } from 'vitest';
import type { CodexModel } from '../../src/shared/schemas/codexModel.js';
import { createBridgeServer } from '../../src/daemon/bridge/messagesListener.js';
import {
  createBridge,
  type BridgeDeps,
  type ProxyOutcome,
  type RouteCandidate,
} from '../../src/daemon/bridge/createBridgeApp.js';
import { AnthropicApiError } from '../../src/translate/anthropicError.js';
import { startFakeCodexBackend, type FakeCodexBackend } from '../fakes/codexBackend.js';

export const TOKEN = 'test-bridge-token-0123456789abcdef0123456789';
export const HOST = { osType: 'Debian', osVersion: '12.0.0', arch: 'x86_64', terminal: 'xterm' };

export interface BridgeHarness {
  /** http://127.0.0.1:PORT */
  origin: string;
  /** ANTHROPIC_BASE_URL for clients: `${origin}/anthropic` */
  baseUrl: string;
  backend: FakeCodexBackend;
  client: Anthropic;
  outcomes: ProxyOutcome[];
  upstreamHeaders: { accountId: string; headers: Readonly<Record<string, string | string[] | undefined>> }[];
  credentialCalls: { accountId: string; forceRefresh: boolean; rejectedAccessToken?: string }[];
  /** Requests the hono app served (the Messages requests its Node listener took are not among them). */
  appRequests: { method: string; path: string }[];
  /** Mutable knobs the fake deps read on every call. */
  state: {
    candidates: RouteCandidate[] | null;
    models: CodexModel[] | null;
    /** Thrown by `credentials` when set (an account that is not logged in). */
    credentialsError: Error | null;
    settings: ReturnType<BridgeDeps['settings']>;
    routeCalls: { sessionKey: string | null; pinnedAccount: string | null }[];
  };
  /** Forgets what was recorded and restores the default account, models and scripts (between tests). */
  reset(): void;
  close(): Promise<void>;
}

export const DEFAULT_CANDIDATE: RouteCandidate = {
  accountId: 'acct1',
  accountName: 'work',
  model: null,
  fastMode: false,
};

export async function startBridge(
  opts: {
    pingIntervalMs?: number;
    upstreamIdleMs?: number;
    upstreamHeadersMs?: number;
    hooks?: Pick<BridgeDeps, 'onAttemptFailed' | 'onCommitted' | 'onStart'>;
  } = {},
): Promise<BridgeHarness> {
  const backend = await startFakeCodexBackend();
  const outcomes: ProxyOutcome[] = [];
  const upstreamHeaders: BridgeHarness['upstreamHeaders'] = [];
  const credentialCalls: BridgeHarness['credentialCalls'] = [];
  const state: BridgeHarness['state'] = {
    candidates: [DEFAULT_CANDIDATE],
    models: null,
    credentialsError: null,
    settings: { opusModel: null, sonnetModel: null, haikuModel: null, corsOrigin: null, transport: 'http' },
    routeCalls: [],
  };
  let refreshes = 0;
  const deps: BridgeDeps = {
    version: '0.1.0-test',
    token: () => TOKEN,
    upstreamUrl: backend.url,
    codexVersion: () => '0.169.0',
    installationId: (id) => `install-${id}`,
    health: () => ({ activeAccount: 'work' }),
    route: (ctx) => {
      state.routeCalls.push(ctx);
      if (!state.candidates?.length)
        return {
          kind: 'refused',
          reason: 'no_account',
          error: new AnthropicApiError(
            'authentication_error',
            'no active account; run `ccbridge connect <account>` or `ccbridge use <account>`',
          ),
        };
      return { kind: 'route', candidates: state.candidates };
    },
    credentials: async (accountId, o) => {
      credentialCalls.push({
        accountId,
        forceRefresh: !!o?.forceRefresh,
        ...(o?.rejectedAccessToken ? { rejectedAccessToken: o.rejectedAccessToken } : {}),
      });
      if (state.credentialsError) throw state.credentialsError;
      if (o?.forceRefresh) refreshes += 1;
      return { accessToken: `access-${accountId}-${refreshes}`, chatgptAccountId: `chatgpt-${accountId}` };
    },
    models: () => state.models,
    settings: () => state.settings,
    onUpstreamHeaders: (accountId, headers) => void upstreamHeaders.push({ accountId, headers }),
    onOutcome: (o) => void outcomes.push(o),
    ...opts.hooks,
  };
  // Served as the daemon serves it: Messages requests by their Node listener, the rest by the app.
  const bridge = createBridge(deps, {
    pingIntervalMs: opts.pingIntervalMs,
    upstreamIdleMs: opts.upstreamIdleMs,
    upstreamHeadersMs: opts.upstreamHeadersMs,
    hostInfo: HOST,
  });
  const appRequests: BridgeHarness['appRequests'] = [];
  const server = createBridgeServer(
    (req, env) => {
      appRequests.push({ method: req.method, path: new URL(req.url).pathname });
      return bridge.app.fetch(req, env);
    },
    () => bridge.messages,
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new Anthropic({ baseURL: `${origin}/anthropic`, authToken: TOKEN, apiKey: null, maxRetries: 0 });
  return {
    origin,
    baseUrl: `${origin}/anthropic`,
    backend,
    client,
    outcomes,
    upstreamHeaders,
    credentialCalls,
    appRequests,
    state,
    reset: () => {
      for (const list of [backend.requests, outcomes, upstreamHeaders, credentialCalls, state.routeCalls, appRequests])
        list.length = 0;
      state.candidates = [DEFAULT_CANDIDATE];
      state.models = null;
      state.credentialsError = null;
      backend.handle(null);
      backend.respond(null);
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await backend.close();
    },
  };
}

/** The APIError a client call must fail with. */
export async function apiError(p: Promise<unknown>): Promise<APIError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(APIError);
  return err as APIError;
}

/** A client that goes away mid-answer: streams `params` and aborts at the first text it reads. */
export async function abortAtFirstText(client: Anthropic, params: Anthropic.MessageStreamParams): Promise<void> {
  const stream = client.messages.stream(params);
  stream.on('error', () => {}); // the abort rejects the stream, as it should
  stream.finalMessage().catch(() => {});
  await new Promise<void>((resolve) => stream.on('text', () => resolve()));
  stream.abort();
}
