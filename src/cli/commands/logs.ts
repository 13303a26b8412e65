import { Command, Option } from 'commander';
import { closeSync, existsSync, openSync, readSync, statSync, watch, type FSWatcher } from 'node:fs';
import * as z from 'zod';
import { resolvePaths } from '../../shared/paths.js';
import { optionValue, parseOptions } from '../parseOptions.js';
import { escapeControlKeepLines } from '../../shared/escapeControl.js';

function readRange(file: string, from: number, to: number): string {
  if (to <= from) return '';
  const buf = Buffer.alloc(to - from);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buf, 0, buf.length, from);
  } finally {
    closeSync(fd);
  }
  return buf.toString('utf8');
}

/** The last `n` lines, reading backwards in chunks so a big log is not loaded whole. */
export function tailLines(file: string, n: number): string {
  const size = statSync(file).size;
  let start = size;
  let text = '';
  while (start > 0 && text.split('\n').length <= n + 1) {
    const from = Math.max(0, start - 64 * 1024);
    text = readRange(file, from, start) + text;
    start = from;
  }
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.slice(-n).join('\n');
}

const LogsOptionsSchema = z.object({
  lines: optionValue(z.coerce.number().int().min(0), 'must be a whole number'),
  follow: z.boolean().optional(),
});

export function logsCommand(): Command {
  return new Command('logs')
    .description('show the daemon log')
    .addOption(new Option('-n, --lines <n>', 'number of lines').default(50))
    .option('-f, --follow', 'keep printing new lines')
    .action(async (_opts: unknown, cmd: Command) => {
      const opts = parseOptions(cmd, LogsOptionsSchema);
      const { logFile } = resolvePaths();
      if (!existsSync(logFile)) {
        process.stderr.write(`no daemon log yet at ${logFile} (a foreground daemon logs to its terminal)\n`);
        if (!opts.follow) return;
      } else if (opts.lines > 0) {
        const text = tailLines(logFile, opts.lines);
        if (text) process.stdout.write(escapeControlKeepLines(text) + '\n');
      }
      if (!opts.follow) return;
      let pos = existsSync(logFile) ? statSync(logFile).size : 0;
      const pump = () => {
        if (!existsSync(logFile)) return;
        const size = statSync(logFile).size;
        if (size < pos) pos = 0; // rotated or truncated
        process.stdout.write(escapeControlKeepLines(readRange(logFile, pos, size)));
        pos = size;
      };
      // fs.watch misses renames on some filesystems; a slow poll backs it up.
      const timer = setInterval(pump, 500);
      let watcher: FSWatcher | undefined;
      try {
        watcher = watch(logFile, pump);
      } catch {
        // file may not exist yet; the poll covers it
      }
      await new Promise<void>((resolve) => process.once('SIGINT', resolve));
      clearInterval(timer);
      watcher?.close();
    });
}
