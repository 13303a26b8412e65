import * as z from 'zod';

/** What one account did on one local day. Input tokens as upstream reports them: cached ones included. */
export const UsageCountsSchema = z.object({
  requests: z.number().int().nonnegative(),
  inputTokens: z.number().int().nonnegative(),
  cachedInputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  reasoningTokens: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  /** Requests this account failed that another account then served. */
  failovers: z.number().int().nonnegative(),
});
export type UsageCounts = z.infer<typeof UsageCountsSchema>;

export const UsageDateSchema = z.string().regex(/^\d{4}-\d\d-\d\d$/);

/**
 * `<data>/usage.json`: per local day, per account id, the counts and the account's name then (an account
 * removed since still shows by name).
 */
export const UsageFileSchema = z.object({
  version: z.literal(1),
  days: z.record(UsageDateSchema, z.record(z.string(), UsageCountsSchema.extend({ name: z.string() }))),
});
export type UsageFile = z.infer<typeof UsageFileSchema>;

export const UsageAccountDaySchema = UsageCountsSchema.extend({ id: z.string(), name: z.string() });
export type UsageAccountDay = z.infer<typeof UsageAccountDaySchema>;

/** `GET /api/usage?days=N&account=ref`: oldest day first; days without any request are left out. */
export const UsageReportSchema = z.object({
  days: z.array(z.object({ date: UsageDateSchema, accounts: z.array(UsageAccountDaySchema) })),
});
export type UsageReport = z.infer<typeof UsageReportSchema>;

export const UsageQuerySchema = z.object({
  days: z.coerce.number().int().min(1).max(90).default(7),
  account: z.string().min(1).optional(),
});
