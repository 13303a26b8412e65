import * as z from 'zod';

export const LimitWindowSchema = z.object({
  usedPercent: z.number(),
  windowMinutes: z.number().nullable(),
  /** Unix seconds. */
  resetsAt: z.number().nullable(),
});
export type LimitWindow = z.infer<typeof LimitWindowSchema>;

export const CreditsSchema = z.object({
  hasCredits: z.boolean(),
  unlimited: z.boolean(),
  balance: z.string().nullable(),
});

export const LimitBucketSchema = z.object({
  limitId: z.string(),
  limitName: z.string().nullable(),
  primary: LimitWindowSchema.nullable(),
  secondary: LimitWindowSchema.nullable(),
  credits: CreditsSchema.nullable(),
  reachedType: z.string().nullable(),
});
export type LimitBucket = z.infer<typeof LimitBucketSchema>;

export const LimitsSourceSchema = z.enum(['headers', 'app-server', 'persisted']);

export const LimitsSnapshotSchema = z.object({
  source: LimitsSourceSchema,
  /** ISO time the data was obtained. */
  fetchedAt: z.string(),
  planType: z.string().nullable(),
  activeLimit: z.string().nullable(),
  buckets: z.array(LimitBucketSchema),
  /**
   * Banked rate-limit reset credits (`account/rateLimits/read`, codex ≥ 0.169); absent when unknown. Shown,
   * never spent: spending one is the user's call.
   */
  resetCredits: z.number().int().nonnegative().optional(),
  /** Last failed read, kept beside the previous data. */
  error: z.string().nullable().default(null),
});
export type LimitsSnapshot = z.infer<typeof LimitsSnapshotSchema>;

/** When one window runs out at the current pace (`src/limits/forecastExhaustion.ts`); only windows with a forecast are listed. */
export const WindowForecastSchema = z.object({
  limitId: z.string(),
  slot: z.enum(['primary', 'secondary']),
  /** Unix ms. */
  exhaustsAt: z.number(),
});
export type WindowForecast = z.infer<typeof WindowForecastSchema>;

/** An upstream 429 `usage_limit_reached`: the account is out of rotation until `until` (unix ms). */
export const ExhaustionMarkSchema = z.object({ until: z.number(), reason: z.string() });
export type ExhaustionMark = z.infer<typeof ExhaustionMarkSchema>;

/**
 * `<data>/limits.json`: the last snapshot per account, so `ccbridge limits` has something right after a restart,
 * and the usage-limit marks still ahead, so a restart does not send requests to an account the upstream refused.
 */
export const LimitsFileSchema = z.object({
  version: z.literal(1),
  accounts: z.record(z.string(), LimitsSnapshotSchema),
  exhausted: z.record(z.string(), ExhaustionMarkSchema).default({}),
});
export type LimitsFile = z.infer<typeof LimitsFileSchema>;
