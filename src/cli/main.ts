import type { Command, CommanderError } from 'commander';
import { CcbridgeError, errorMessage } from '../shared/errors.js';
import { VERSION } from '../shared/version.js';
import { redactText } from '../core/redact.js';
import { escapeControl } from '../shared/escapeControl.js';
import { describeZodError, isZodError } from '../shared/zodMessage.js';

/** The one exit point: every failure becomes one stderr line and an exit code (1 failure, 2 usage). */
async function main(argv: string[]): Promise<void> {
  const args = argv.slice(2);
  // Scripts probe `--version` more than anything; answering before commander loads halves its cost.
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  // Claude Code runs the statusline every few seconds: no commander, no daemon client, one file read.
  if (args.length === 1 && args[0] === 'statusline') {
    const { runStatusLine } = await import('../claude/runStatusLine.js');
    process.stdout.write(`${await runStatusLine()}\n`);
    return;
  }
  try {
    // The daemon process runs what the daemon needs only: not commander and the whole CLI program.
    const daemon = foregroundDaemon(args);
    if (daemon) {
      const { runDaemon } = await import('../daemon/runDaemon.js');
      await runDaemon(daemon);
      return;
    }
    const { buildProgram } = await import('./program.js');
    const program = await buildProgram(argv);
    const override = (cmd: Command): void => {
      cmd.exitOverride();
      // commander's own usage errors take the same one-line form as every other error.
      cmd.configureOutput({
        outputError: (text) =>
          printError(
            text
              .replace(/^error: /, '')
              .trim()
              .replace(/\s*\n\s*/g, ' '),
            'usage',
          ),
      });
      cmd.commands.forEach(override);
    };
    override(program);
    await program.parseAsync(argv);
  } catch (err) {
    process.exitCode = exitCodeFor(err);
  }
}

/**
 * `start --foreground` as the daemon is started (by `ccbridge start`, the systemd unit, `npm start`): its options,
 * or null for any other command line (which commander parses, `start --foreground` with odd flags included).
 */
function foregroundDaemon(args: string[]): { resetState: boolean; banner: boolean } | null {
  const flags = new Set(args.slice(1));
  if (args[0] !== 'start' || !(flags.has('--foreground') || flags.has('-f'))) return null;
  for (const f of flags) if (!['--foreground', '-f', '--reset-state', '--json'].includes(f)) return null;
  return { resetState: flags.has('--reset-state'), banner: !flags.has('--json') };
}

const isCommanderError = (err: unknown): err is CommanderError =>
  err instanceof Error &&
  typeof (err as Partial<CommanderError>).code === 'string' &&
  (err as CommanderError).code.startsWith('commander.');

function exitCodeFor(err: unknown): number {
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
function printError(message: string, code: string): void {
  const text = escapeControl(redactText(message));
  process.stderr.write(jsonErrors ? `${JSON.stringify({ error: { code, message: text } })}\n` : `ccbridge: ${text}\n`);
}

// EPIPE (e.g. `ccbridge list | head -1`) is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
});

await main(process.argv);
