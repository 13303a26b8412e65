/**
 * The one error type core code throws. `main()` turns it into a single stderr line and `exitCode`;
 * the control API turns it into `{error:{code,message}}` with `status`.
 */
export class CcbridgeError extends Error {
  readonly code: string;
  readonly exitCode: number;
  readonly status: number;

  constructor(code: string, message: string, opts: { exitCode?: number; status?: number; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'CcbridgeError';
    this.code = code;
    this.exitCode = opts.exitCode ?? 1;
    this.status = opts.status ?? 400;
  }
}

/** Exit status of a command that acts through an account which must sign in (again) first. */
export const EXIT_NEEDS_LOGIN = 3;
/** Exit status of a command that acts through an account (or accounts) out of quota. */
export const EXIT_OUT_OF_QUOTA = 4;

/** Bad usage (unknown key, bad value): exit 2 like commander's own usage errors. */
export function usageError(code: string, message: string): CcbridgeError {
  return new CcbridgeError(code, message, { exitCode: 2, status: 400 });
}

export function notFound(code: string, message: string): CcbridgeError {
  return new CcbridgeError(code, message, { exitCode: 1, status: 404 });
}

export function conflict(code: string, message: string): CcbridgeError {
  return new CcbridgeError(code, message, { exitCode: 1, status: 409 });
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
