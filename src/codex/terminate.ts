import type { ChildProcess } from 'node:child_process';

function within(ms: number, done: Promise<unknown>): Promise<boolean> {
  return Promise.race([done.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms).unref())]);
}

/**
 * Stops a codex process and resolves once it is gone: SIGTERM, then SIGKILL after `graceMs`.
 * `exited` must resolve on the child's exit.
 */
export async function terminate(child: ChildProcess, exited: Promise<unknown>, graceMs = 2_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  if (await within(graceMs, exited)) return;
  child.kill('SIGKILL');
  await exited;
}

/** Closes stdin first (codex app-server exits on EOF), then terminates if it lingers. */
export async function closeGracefully(child: ChildProcess, exited: Promise<unknown>, graceMs = 1_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.stdin?.end();
  if (await within(graceMs, exited)) return;
  await terminate(child, exited);
}
