import type * as z from 'zod';
import { CcbridgeError } from '../shared/errors.js';
import {
  AccountResponseSchema,
  AccountTestResultSchema,
  EventsResponseSchema,
  LoginSessionResponseSchema,
  ModelListResponseSchema,
  RemovedAccountResponseSchema,
  SettingsResponseSchema,
  ShutdownResponseSchema,
  StateViewSchema,
  TokenResponseSchema,
  type CreateAccountBody,
  type PatchAccountBody,
} from '../shared/schemas/api.js';
import type { LoginKind } from '../shared/schemas/auth.js';
import {
  ApplyResultSchema,
  IntegrationPreviewSchema,
  IntegrationTestResultSchema,
  type ApplyIntegrationBody,
} from '../shared/schemas/integration.js';
import type { SettingsPatch } from '../shared/schemas/settings.js';
import { UsageReportSchema } from '../shared/schemas/usage.js';
import { describeZodError } from '../shared/describeZodError.js';

export type ControlMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** One control-API call: what to send, and the schema the daemon's answer must match. */
export interface ControlRequest<S extends z.ZodType = z.ZodType> {
  method: ControlMethod;
  path: string;
  body?: unknown;
  response: S;
}

/** What carries a request to the daemon (the socket client; tests pass an in-memory fake). */
export interface ControlTransport {
  request(method: string, path: string, body?: unknown): Promise<unknown>;
}

const req = <S extends z.ZodType>(method: ControlMethod, path: string, response: S, body?: unknown) =>
  (body === undefined ? { method, path, response } : { method, path, body, response }) as ControlRequest<S>;

const account = (ref: string) => `/api/accounts/${encodeURIComponent(ref)}`;
const loginSession = (id: string) => `/api/login-sessions/${encodeURIComponent(id)}`;

/** Enough of `GET /api/state` to tell which daemon answers, even one of another version. */
const DaemonIdentitySchema = StateViewSchema.pick({ pid: true, version: true });

/**
 * Every control-API route the CLI and the TUI call, in one table: each entry builds the request and
 * names the schema of its answer, so a caller gets a parsed, typed value and no route is written twice.
 */
export const controlApi = {
  state: () => req('GET', '/api/state', StateViewSchema),
  identity: () => req('GET', '/api/state', DaemonIdentitySchema),
  events: (limit: number) => req('GET', `/api/events?limit=${limit}`, EventsResponseSchema),
  token: () => req('GET', '/api/token', TokenResponseSchema),
  rotateToken: () => req('POST', '/api/token/rotate', TokenResponseSchema),
  shutdown: () => req('POST', '/api/shutdown', ShutdownResponseSchema),

  addAccount: (body: CreateAccountBody) => req('POST', '/api/accounts', AccountResponseSchema, body),
  patchAccount: (ref: string, body: PatchAccountBody) => req('PATCH', account(ref), AccountResponseSchema, body),
  removeAccount: (ref: string) => req('DELETE', account(ref), RemovedAccountResponseSchema),
  activate: (ref: string) => req('POST', `${account(ref)}/activate`, AccountResponseSchema),
  makeDefault: (ref: string) => req('POST', `${account(ref)}/default`, AccountResponseSchema),
  refreshLimits: (ref: string) => req('POST', `${account(ref)}/limits/refresh`, AccountResponseSchema),

  connect: (ref: string, kind: LoginKind) =>
    req('POST', `${account(ref)}/connect`, LoginSessionResponseSchema, { kind }),
  loginSession: (id: string) => req('GET', loginSession(id), LoginSessionResponseSchema),
  cancelLogin: (id: string) => req('DELETE', loginSession(id), LoginSessionResponseSchema),
  logout: (ref: string) => req('POST', `${account(ref)}/logout`, AccountResponseSchema),
  models: (ref: string) => req('GET', `${account(ref)}/models`, ModelListResponseSchema),
  testAccount: (ref: string) => req('POST', `${account(ref)}/test`, AccountTestResultSchema),

  usage: (query: { days: number; account?: string | undefined }) => {
    const account = query.account ? `&account=${encodeURIComponent(query.account)}` : '';
    return req('GET', `/api/usage?days=${query.days}${account}`, UsageReportSchema);
  },

  settings: () => req('GET', '/api/settings', SettingsResponseSchema),
  patchSettings: (patch: SettingsPatch) => req('PATCH', '/api/settings', SettingsResponseSchema, patch),

  integration: (query: { account?: string | undefined; settingsPath?: string | undefined }) => {
    const params = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => Boolean(e[1])));
    const qs = params.toString();
    return req('GET', `/api/integration${qs ? `?${qs}` : ''}`, IntegrationPreviewSchema);
  },
  applyIntegration: (body?: Partial<ApplyIntegrationBody>) =>
    req('POST', '/api/integration/apply', ApplyResultSchema, body),
  testIntegration: (body: { account?: string; settingsPath?: string }) =>
    req('POST', '/api/integration/test', IntegrationTestResultSchema, body),
};

/**
 * Sends one request and parses the answer with its route's schema. An answer of another shape
 * means the daemon speaks another version of the API: say so, and how to fix it.
 */
export async function callControl<S extends z.ZodType>(
  transport: ControlTransport,
  request: ControlRequest<S>,
): Promise<z.output<S>> {
  const answer = await transport.request(request.method, request.path, request.body);
  const parsed = request.response.safeParse(answer);
  if (parsed.success) return parsed.data;
  throw new CcbridgeError(
    'daemon_answer_invalid',
    `the daemon answered ${request.method} ${request.path} with an unexpected shape (${describeZodError(parsed.error)}); if it is older than this ccbridge, run \`ccbridge restart\``,
  );
}
