/**
 * One-line description of a zod error, written against the error's plain shape so the CLI's
 * eager path can report zod failures without loading zod itself.
 */
export interface ZodLikeError {
  name: string;
  issues: Array<{ path: PropertyKey[]; message: string }>;
}

export function isZodError(err: unknown): err is ZodLikeError {
  return err instanceof Error && err.name === 'ZodError' && Array.isArray((err as Partial<ZodLikeError>).issues);
}

export function describeZodError(err: ZodLikeError): string {
  const issue = err.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path.length ? issue.path.map(String).join('.') : '(root)';
  return `${path}: ${issue.message}`;
}
