/**
 * Environment the daemon process is started with, over the caller's. glibc gives each thread that
 * allocates its own malloc arena; a long-running daemon then keeps ~10 MB more resident after a
 * burst of traffic than it needs. Two arenas keep idle RSS down. V8 grows its young generation up to
 * 3 x 16 MB under load and keeps it; capped at 2 MB semi-spaces, a daemon that streamed 20k deltas
 * stays ~10 MB lower, for more (cheap) scavenges. A value the user set wins.
 */
export function daemonProcessEnv(env: Record<string, string | undefined>): Record<string, string | undefined> {
  return { MALLOC_ARENA_MAX: '2', NODE_OPTIONS: '--max-semi-space-size=2', ...env };
}
