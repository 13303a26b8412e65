import { CommanderError, type Command } from 'commander';
import { CcbridgeError, errorMessage } from '../shared/errors.js';
import { describeZodError, isZodError } from '../shared/zodMessage.js';
import { buildProgram } from './program.js';

/** The one exit point: every failure becomes one stderr line and an exit code (1 failure, 2 usage). */
async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  const override = (cmd: Command): void => {
    cmd.exitOverride();
    cmd.commands.forEach(override);
  };
  override(program);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    process.exitCode = exitCodeFor(err);
  }
}

function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
    // commander already printed help, the version, or its usage error.
    return err.exitCode === 0 ? 0 : 2;
  }
  if (err instanceof CcbridgeError) {
    process.stderr.write(`ccbridge: ${err.message}\n`);
    return err.exitCode;
  }
  if (isZodError(err)) {
    process.stderr.write(`ccbridge: ${describeZodError(err)}\n`);
    return 2;
  }
  process.stderr.write(`ccbridge: ${errorMessage(err)}\n`);
  return 1;
}

// EPIPE (e.g. `ccbridge list | head -1`) is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
});

await main(process.argv);
