/**
 * Environment the daemon process is started with, over the caller's. glibc gives each thread that
 * allocates its own malloc arena; a long-running daemon then keeps ~10 MB more resident after a
 * burst of traffic than it needs. Two arenas keep idle RSS down; a value the user set wins.
 */
export function daemonProcessEnv(env: Record<string, string | undefined>): Record<string, string | undefined> {
  return { MALLOC_ARENA_MAX: '2', ...env };
}
