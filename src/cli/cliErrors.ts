import type { CommanderError } from 'commander';
import { CcbridgeError, errorMessage } from '../shared/errors.js';
import { redactText } from '../core/redact.js';
import { escapeControl } from '../shared/escapeControl.js';
import { describeZodError, isZodError } from '../shared/describeZodError.js';

// Loaded by main only once a command runs (or fails): `--version` and the statusline never pay for it.

const isCommanderError = (err: unknown): err is CommanderError =>
  err instanceof Error &&
  typeof (err as Partial<CommanderError>).code === 'string' &&
  (err as CommanderError).code.startsWith('commander.');

export function exitCodeFor(err: unknown): number {
  if (isCommanderError(err)) {
    // commander already printed help, the version, or its usage error.
    return err.exitCode === 0 ? 0 : 2;
  }
  if (err instanceof CcbridgeError) {
    printError(err.message, err.code);
    return err.exitCode;
  }
  if (isZodError(err)) {
    printError(describeZodError(err), 'usage');
    return 2;
  }
  printError(errorMessage(err), 'error');
  return 1;
}

/** Under `--json` an error is JSON on stderr too, for scripts that parse what they run. */
const jsonErrors = process.argv.slice(2).includes('--json');

/**
 * One stderr line: `ccbridge: <message>`, or `{"error":{"code","message"}}` under --json. A foreground daemon fails
 * through here too: what it prints is redacted like its log.
 */
export function printError(message: string, code: string): void {
  const text = escapeControl(redactText(message));
  process.stderr.write(jsonErrors ? `${JSON.stringify({ error: { code, message: text } })}\n` : `ccbridge: ${text}\n`);
}
