import type { Command } from 'commander';

declare const __CCBRIDGE_VERSION__: string | undefined;

/** The one exit point: every failure becomes one stderr line and an exit code (1 failure, 2 usage). */
async function main(argv: string[]): Promise<void> {
  const args = argv.slice(2);
  // Scripts probe `--version` more than anything; answering before commander loads halves its cost.
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
    // The define itself, not shared/version.ts: importing that would add a chunk load to the hottest path.
    process.stdout.write(`${typeof __CCBRIDGE_VERSION__ === 'string' ? __CCBRIDGE_VERSION__ : '0.0.0-dev'}\n`);
    return;
  }
  // Claude Code runs the statusline every few seconds: no commander, no daemon client, one file read.
  if (args.length === 1 && args[0] === 'statusline') {
    const { runStatusLine } = await import('../claude/runStatusLine.js');
    process.stdout.write(`${await runStatusLine()}\n`);
    return;
  }
  const errors = import('./cliErrors.js');
  try {
    // The daemon process runs what the daemon needs only: not commander and the whole CLI program.
    const daemon = foregroundDaemon(args);
    if (daemon) {
      const { runDaemon } = await import('../daemon/runDaemon.js');
      await runDaemon(daemon);
      return;
    }
    const { buildProgram } = await import('./buildProgram.js');
    const program = await buildProgram(argv);
    const { printError } = await errors;
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
    process.exitCode = (await errors).exitCodeFor(err);
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

// EPIPE (e.g. `ccbridge list | head -1`) is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
});

await main(process.argv);
