import * as z from 'zod';
import { CodexModelSchema } from '../shared/schemas/codexModel.js';

/**
 * Shapes of the codex app-server v2 methods ccbridge uses (codex.md §11; checked against
 * `codex app-server generate-ts` of 0.169.0). Objects are loose: newer codex versions add fields freely.
 */

export const RpcErrorSchema = z.looseObject({ code: z.number(), message: z.string(), data: z.unknown().optional() });

/** One line from the app-server: a response, a notification, or a request from the server to us. */
export const IncomingMessageSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).optional(),
  method: z.string().optional(),
  params: z.unknown().optional(),
  result: z.unknown().optional(),
  error: RpcErrorSchema.optional(),
});
export type IncomingMessage = z.infer<typeof IncomingMessageSchema>;

export const InitializeResultSchema = z.looseObject({
  userAgent: z.string(),
  codexHome: z.string().optional(),
});

export const AccountSchema = z.union([
  z.looseObject({
    type: z.literal('chatgpt'),
    email: z.string().nullable().optional(),
    planType: z.string().nullable().optional(),
  }),
  z.looseObject({ type: z.string() }),
]);

export const AccountReadResultSchema = z.looseObject({
  account: AccountSchema.nullable(),
  requiresOpenaiAuth: z.boolean().optional(),
});
export type AccountReadResult = z.infer<typeof AccountReadResultSchema>;

export const LoginStartResultSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('chatgpt'), loginId: z.string(), authUrl: z.string() }),
  z.looseObject({
    type: z.literal('chatgptDeviceCode'),
    loginId: z.string(),
    verificationUrl: z.string(),
    userCode: z.string(),
  }),
]);
export type LoginStartResult = z.infer<typeof LoginStartResultSchema>;

export const LoginCompletedSchema = z.looseObject({
  loginId: z.string().nullable(),
  success: z.boolean(),
  error: z.string().nullable().optional(),
});
export type LoginCompleted = z.infer<typeof LoginCompletedSchema>;

export const LoginCancelResultSchema = z.looseObject({ status: z.enum(['canceled', 'notFound']) });

export const RateLimitWindowSchema = z.looseObject({
  usedPercent: z.number(),
  windowDurationMins: z.number().nullable().optional(),
  resetsAt: z.number().nullable().optional(),
});

export const CreditsSnapshotSchema = z.looseObject({
  hasCredits: z.boolean(),
  unlimited: z.boolean(),
  balance: z.string().nullable().optional(),
});

export const RateLimitSnapshotSchema = z.looseObject({
  limitId: z.string().nullable().optional(),
  limitName: z.string().nullable().optional(),
  primary: RateLimitWindowSchema.nullable().optional(),
  secondary: RateLimitWindowSchema.nullable().optional(),
  credits: CreditsSnapshotSchema.nullable().optional(),
  planType: z.string().nullable().optional(),
  rateLimitReachedType: z.string().nullable().optional(),
});
export type RateLimitSnapshot = z.infer<typeof RateLimitSnapshotSchema>;

/** Banked resets of a used-up window (codex ≥ 0.169); `credits` may list fewer than `availableCount`, or be null. */
export const RateLimitResetCreditsSchema = z.looseObject({
  availableCount: z.number().int().nonnegative(),
  credits: z
    .array(z.looseObject({ id: z.string(), status: z.string(), expiresAt: z.number().nullable().optional() }))
    .nullable()
    .optional(),
});

export const RateLimitsReadResultSchema = z.looseObject({
  rateLimits: RateLimitSnapshotSchema,
  rateLimitsByLimitId: z.record(z.string(), RateLimitSnapshotSchema).nullable().optional(),
  rateLimitResetCredits: RateLimitResetCreditsSchema.nullable().optional(),
});
export type RateLimitsReadResult = z.infer<typeof RateLimitsReadResultSchema>;

export const RateLimitsUpdatedSchema = z.looseObject({ rateLimits: RateLimitSnapshotSchema });

export const ModelListResultSchema = z.looseObject({
  data: z.array(CodexModelSchema),
  nextCursor: z.string().nullable().optional(),
});
