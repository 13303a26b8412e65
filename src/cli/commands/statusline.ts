import { Command } from 'commander';
import { runStatusLine } from '../../claude/runStatusLine.js';

/**
 * Registered for help, completion and the man page; a bare `ccbridge statusline` takes the fast path in
 * main.ts that skips commander altogether.
 */
export function statuslineCommand(): Command {
  return new Command('statusline')
    .description("Claude Code's statusLine command: account, model, 5h/weekly quota, context (reads stdin)")
    .action(async () => {
      process.stdout.write(`${await runStatusLine()}\n`);
    });
}
