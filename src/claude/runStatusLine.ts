import { readFileSync } from 'node:fs';
import { resolvePaths } from '../shared/paths.js';
import { statusLineFile, type StatusLineSnapshot } from '../shared/statusLineSnapshot.js';
import { formatStatusLine, parseStatusLineInput } from './statusLine.js';

/** Claude Code writes its JSON and closes stdin at once; a stuck pipe must not hang its statusline. */
const STDIN_LIMIT_MS = 1000;

function readStdin(stdin: NodeJS.ReadStream): Promise<string> {
  if (stdin.isTTY) return Promise.resolve('');
  return new Promise((resolve) => {
    let text = '';
    const done = () => {
      clearTimeout(timer);
      stdin.pause();
      resolve(text);
    };
    const timer = setTimeout(done, STDIN_LIMIT_MS);
    stdin.setEncoding('utf8');
    stdin.on('data', (chunk: string) => (text += chunk));
    stdin.once('end', done);
    stdin.once('error', done);
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The daemon's snapshot when a live daemon wrote it; null when there is none (the daemon is down). */
export function readStatusLineSnapshot(env: Record<string, string | undefined>): StatusLineSnapshot | null {
  try {
    const snap = JSON.parse(readFileSync(statusLineFile(resolvePaths(env)), 'utf8')) as StatusLineSnapshot;
    if (snap?.version !== 1 || typeof snap.pid !== 'number' || !Array.isArray(snap.accounts)) return null;
    snap.sessions ??= {};
    return alive(snap.pid) ? snap : null;
  } catch {
    return null;
  }
}

/**
 * `ccbridge statusline`: one line for Claude Code's statusLine from its stdin and the daemon's snapshot file.
 * Never starts the daemon, never talks to it, never fails: a short fallback line says when it is down.
 */
export async function runStatusLine(
  env: Record<string, string | undefined> = process.env,
  stdin: NodeJS.ReadStream = process.stdin,
): Promise<string> {
  const input = parseStatusLineInput(await readStdin(stdin));
  const color = !env.NO_COLOR && env.TERM !== 'dumb';
  return formatStatusLine(input, readStatusLineSnapshot(env), Date.now(), color);
}
