/**
 * Environment the daemon process is started with, over the caller's. glibc gives each thread that
 * allocates its own malloc arena, which keeps what it freed. Two arenas keep RSS after traffic down
 * (with the daemon's idle release in place, measured 1–2 MB less after the bench's 20k-delta
 * streams: the rest of glibc's share is the main arena's fragmentation, which no setting returns).
 * A value the user set wins; `start --foreground` runs with the environment it is given.
 */
export function daemonProcessEnv(env: Record<string, string | undefined>): Record<string, string | undefined> {
  return { MALLOC_ARENA_MAX: '2', ...env };
}
