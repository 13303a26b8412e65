import { statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { listenControlSocket, lstatOrNull } from './listenControlSocket.js';

export interface KeepControlSocketOptions {
  /** The daemon's data dir: once it is gone there is nothing left to serve. */
  dataDir: string;
  /** How often the paths are looked at. */
  intervalMs?: number;
  /** The socket file was gone and is bound again. */
  onRebound(): void;
  /** Binding it again failed (said once until it works again). */
  onReboundFailed(err: unknown): void;
  /** The data dir was removed (or replaced by a new one): the daemon should stop. */
  onDataDirGone(): void;
}

/** Default look interval: one lstat every 2 s, and a command finds the daemon again within that. */
const INTERVAL_MS = 2_000;

/**
 * A daemon whose control socket file was deleted (a cleanup of its directory, a user's `rm`) runs on and keeps the
 * data dir's lock, yet no command reaches it: each waits out its deadline, and no new daemon can start in its place.
 * So the socket path is looked at every few seconds, and a socket file that is gone is bound again by a listener
 * that hands its connections to `server` (connections already open go on). A data dir that is gone or made anew
 * (the user removed ccbridge's data) stops the daemon instead, rather than leave it running on state nobody can see.
 */
export function keepControlSocket(
  server: Server,
  socketPath: string,
  opts: KeepControlSocketOptions,
): { stop(): void } {
  let rebound: Server | null = null;
  let busy = false;
  let failing = false;
  const dataDir = identity(opts.dataDir);
  const timer = setInterval(() => {
    if (busy) return;
    // A data dir made anew (a command run right after the old one was removed creates it) is not this daemon's.
    if (identity(opts.dataDir) !== dataDir) {
      clearInterval(timer);
      opts.onDataDirGone();
      return;
    }
    if (lstatOrNull(socketPath)) return;
    busy = true;
    const next = createServer((socket) => server.emit('connection', socket));
    listenControlSocket(next, socketPath)
      .then(
        () => {
          rebound?.close();
          rebound = next;
          failing = false;
          opts.onRebound();
        },
        (err: unknown) => {
          next.close();
          if (!failing) opts.onReboundFailed(err);
          failing = true;
        },
      )
      .finally(() => (busy = false));
  }, opts.intervalMs ?? INTERVAL_MS);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      rebound?.close();
    },
  };
}

/** Device and inode of a directory, or null when it is gone. */
function identity(path: string): string | null {
  try {
    const st = statSync(path);
    return `${st.dev}:${st.ino}`;
  } catch {
    return null;
  }
}
