import * as z from 'zod';

/** One check of `ccbridge test` (an account) or `ccbridge test --claude` (the Claude Code round trip). */
export const TestStepSchema = z.object({
  name: z.string(),
  /** `skipped`: not run because an earlier step failed. */
  status: z.enum(['ok', 'warn', 'failed', 'skipped']),
  detail: z.string(),
  ms: z.number(),
});
export type TestStep = z.infer<typeof TestStepSchema>;
