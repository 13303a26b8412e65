import { chmodSync, lstatSync, unlinkSync, type Stats } from 'node:fs';
import { connect } from 'node:net';
import type { Server } from 'node:net';
import { dirname } from 'node:path';
import { CcbridgeError } from '../../shared/errors.js';
import { MAX_SOCKET_PATH } from '../../shared/paths.js';
import { ensureSocketDir } from '../../core/fsSecure.js';

export function assertSocketPathFits(socketPath: string): void {
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH) {
    throw new CcbridgeError(
      'socket_path_too_long',
      `control socket path is ${Buffer.byteLength(socketPath)} bytes, over the ${MAX_SOCKET_PATH} the OS allows: ${socketPath}; set CCBRIDGE_SOCKET to a shorter path`,
    );
  }
}

/** Resolves true when something answers on the socket. */
export function socketAnswers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect(socketPath);
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

export function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

/**
 * Binds the control socket, 0600, in a directory of this user's (created 0700 when missing, never chmod-ed).
 * Only a socket is ever removed from the path, and only when nothing answers on it (left behind by a killed
 * daemon); a file, link or directory there is not ours to delete.
 */
export async function listenControlSocket(server: Server, socketPath: string): Promise<void> {
  assertSocketPathFits(socketPath);
  ensureSocketDir(dirname(socketPath));
  const existing = lstatOrNull(socketPath);
  if (existing && !existing.isSocket()) {
    throw new CcbridgeError(
      'socket_path_taken',
      `${socketPath} exists and is not a socket; move it away or set CCBRIDGE_SOCKET to another path`,
    );
  }
  if (existing) {
    if (await socketAnswers(socketPath)) {
      throw new CcbridgeError(
        'socket_in_use',
        `another process answers on ${socketPath}; stop it or set CCBRIDGE_SOCKET`,
      );
    }
    unlinkSync(socketPath);
  }
  // The umask closes the window between bind() and chmod() in which the socket would be 0755.
  const oldMask = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') {
      throw new CcbridgeError(
        'socket_denied',
        `no permission to create ${socketPath}; set CCBRIDGE_SOCKET to a path you own`,
      );
    }
    throw err;
  } finally {
    process.umask(oldMask);
  }
  chmodSync(socketPath, 0o600);
}
