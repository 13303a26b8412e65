import * as z from 'zod';
import { AccountSchema, AccountNameSchema, FastOverrideSchema } from './state.js';
import { AuthStatusSchema, LoginKindSchema, LoginSessionSchema } from './auth.js';
import { LimitsSnapshotSchema, WindowForecastSchema } from './limits.js';
import { CodexModelSchema } from './codexModel.js';
import { EventSchema, type CcbEvent } from './events.js';
import { SettingsSchema } from './settings.js';
import { TestStepSchema } from './testStep.js';

/** Routing availability of one account, as the router sees it. */
export const AccountHealthSchema = z.object({
  /** `exhausted` (usage limit until `until`), `cooldown` (5xx), or ok. */
  state: z.enum(['ok', 'exhausted', 'cooldown']),
  until: z.string().nullable(),
  reason: z.string().nullable(),
});

export const AccountViewSchema = AccountSchema.extend({
  isActive: z.boolean(),
  isDefault: z.boolean(),
  effectiveFastMode: z.boolean(),
  fastModeSource: z.enum(['account', 'global']),
  auth: AuthStatusSchema,
  limits: LimitsSnapshotSchema.extend({
    stale: z.boolean(),
    staleReason: z.string().nullable(),
    /** Absent from daemons older than the forecasts. */
    forecasts: z.array(WindowForecastSchema).optional(),
  }).nullable(),
  health: AccountHealthSchema,
});
export type AccountView = z.infer<typeof AccountViewSchema>;

export const StatsSchema = z.object({
  day: z.string(),
  requests: z.number().int(),
  errors: z.number().int(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
});
export type Stats = z.infer<typeof StatsSchema>;

/** A request the bridge is serving now. */
export const InflightRequestSchema = z.object({
  requestId: z.string(),
  /** Null until routed. */
  accountId: z.string().nullable(),
  accountName: z.string().nullable(),
  /** The upstream model once resolved, else the model the client asked for. */
  model: z.string().nullable(),
  stream: z.boolean(),
  startedAt: z.string(),
  /** Output tokens so far: estimated from what has streamed, until upstream reports the count. */
  outputTokens: z.number().int(),
});
export type InflightRequest = z.infer<typeof InflightRequestSchema>;

/** The bridge's traffic now: requests in flight and what finished over the last minute. */
export const TrafficSchema = z.object({
  /** Oldest first, at most a screenful; `inflightCount` counts them all. */
  inflight: z.array(InflightRequestSchema),
  inflightCount: z.number().int(),
  /** Requests finished in the last 60 s (failed ones included) and their tokens. */
  lastMinute: z.object({
    requests: z.number().int(),
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
  }),
});
export type Traffic = z.infer<typeof TrafficSchema>;

export const StateViewSchema = z.object({
  version: z.string(),
  pid: z.number().int(),
  startedAt: z.string(),
  dataDir: z.string(),
  socketPath: z.string(),
  bridge: z.object({ host: z.string(), port: z.number().int(), url: z.string(), baseUrl: z.string() }),
  settings: SettingsSchema,
  activeAccountId: z.string().nullable(),
  defaultAccountId: z.string().nullable(),
  /** The account new requests go to right now (active, else default), after routing rules. */
  routeAccountId: z.string().nullable(),
  /** Why `routeAccountId` is not the active account (failover, balance), when it is not. */
  routeReason: z.string().nullable().optional(),
  accounts: z.array(AccountViewSchema),
  loginSessions: z.array(LoginSessionSchema),
  /** Today's totals, from the persisted usage history: they survive a daemon restart. */
  stats: StatsSchema,
  /** Absent from daemons older than the live traffic view. */
  traffic: TrafficSchema.optional(),
});
export type StateView = z.infer<typeof StateViewSchema>;

export const CreateAccountBodySchema = z
  .object({ name: AccountNameSchema, model: z.string().min(1).optional() })
  .strict();

export const PatchAccountBodySchema = z
  .object({
    name: AccountNameSchema.optional(),
    enabled: z.boolean().optional(),
    model: z.string().min(1).nullable().optional(),
    fastMode: FastOverrideSchema.optional(),
  })
  .strict();

export type CreateAccountBody = z.input<typeof CreateAccountBodySchema>;
export type PatchAccountBody = z.input<typeof PatchAccountBodySchema>;

export const ConnectBodySchema = z.object({ kind: LoginKindSchema.default('browser') }).strict();

/** Every control-API failure; `exitCode` is what the CLI exits with (1 failure, 2 usage). */
export const ApiErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), exitCode: z.number().int() }),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;

/** `GET /api/accounts/:ref/models`: the account's model list, as codex's `model/list` gives it. */
export const ModelListResponseSchema = z.object({ models: z.array(CodexModelSchema) });
export type ModelListResponse = z.infer<typeof ModelListResponseSchema>;

/** `POST /api/accounts/:ref/connect` and `GET|DELETE /api/login-sessions/:id`. */
export const LoginSessionResponseSchema = z.object({ session: LoginSessionSchema });
export type LoginSessionResponse = z.infer<typeof LoginSessionResponseSchema>;

/** `POST /api/accounts/:ref/test`: codex binary, auth, token freshness, quota, one real upstream request. */
export const AccountTestResultSchema = z.object({
  ok: z.boolean(),
  account: z.object({ id: z.string(), name: z.string() }),
  steps: z.array(TestStepSchema),
  /** What the failure means for the user: sign in (CLI exit 3) or out of quota (exit 4); null otherwise. */
  problem: z.enum(['needs_login', 'out_of_quota']).nullable(),
});
export type AccountTestResult = z.infer<typeof AccountTestResultSchema>;

/** Every route that changes one account answers with its new view. */
export const AccountResponseSchema = z.object({ account: AccountViewSchema });

/** `DELETE /api/accounts/:ref`: the account as it was stored. */
export const RemovedAccountResponseSchema = z.object({ removed: AccountSchema });

/** `GET /api/token` and `POST /api/token/rotate`. */
export const TokenResponseSchema = z.object({ token: z.string() });

/** `POST /api/shutdown`: the daemon's pid, to wait for its exit. */
export const ShutdownResponseSchema = z.object({ stopping: z.boolean(), pid: z.number().int() });

/** `GET|PATCH /api/settings` (GET adds the key table, PATCH the changed keys; no client reads them). */
export const SettingsResponseSchema = z.object({ settings: SettingsSchema });

/**
 * `GET /api/events?limit=N`. Entries are checked one by one and the unreadable ones dropped, so one
 * line of another version does not hide the rest of the history.
 */
export const EventsResponseSchema = z.object({
  events: z.array(z.unknown()).transform((entries) =>
    entries.flatMap((e): CcbEvent[] => {
      const parsed = EventSchema.safeParse(e);
      return parsed.success ? [parsed.data] : [];
    }),
  ),
});
