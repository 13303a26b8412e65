import * as z from 'zod';

export const AuthStateSchema = z.enum(['not-connected', 'connected', 'expiring', 'expired', 'needs-login']);
export type AuthState = z.infer<typeof AuthStateSchema>;

/** What ccbridge shows about an account's login; never carries a token. */
export const AuthStatusSchema = z.object({
  state: AuthStateSchema,
  email: z.string().nullable(),
  planType: z.string().nullable(),
  chatgptAccountId: z.string().nullable(),
  accessTokenExpiresAt: z.string().nullable(),
  lastRefresh: z.string().nullable(),
});
export type AuthStatus = z.infer<typeof AuthStatusSchema>;

export const NOT_CONNECTED: AuthStatus = {
  state: 'not-connected',
  email: null,
  planType: null,
  chatgptAccountId: null,
  accessTokenExpiresAt: null,
  lastRefresh: null,
};

export const LoginKindSchema = z.enum(['browser', 'device']);
export type LoginKind = z.infer<typeof LoginKindSchema>;
export const LoginSessionStateSchema = z.enum(['starting', 'waiting', 'succeeded', 'failed', 'cancelled', 'timed_out']);
export type LoginSessionState = z.infer<typeof LoginSessionStateSchema>;

export const LoginSessionSchema = z.object({
  id: z.string(),
  accountId: z.string(),
  kind: LoginKindSchema,
  state: LoginSessionStateSchema,
  authUrl: z.string().nullable(),
  verificationUrl: z.string().nullable(),
  userCode: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
});
export type LoginSession = z.infer<typeof LoginSessionSchema>;
