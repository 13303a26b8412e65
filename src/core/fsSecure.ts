import { chmodSync, mkdirSync, statSync } from 'node:fs';

/**
 * Creates `dir` (and parents) and makes sure the leaf is 0700. Never widens an existing mode:
 * a directory that is already stricter stays as it is.
 */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const mode = statSync(dir).mode & 0o777;
  if ((mode & 0o077) !== 0) chmodSync(dir, mode & 0o700);
}
