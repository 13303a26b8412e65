import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listenControlSocket } from '../../src/daemon/api/listenControlSocket.js';
import { ensurePrivateDir } from '../../src/core/fsSecure.js';

// Where the daemon puts its control socket it must never touch what is not its own: a shared 1777 directory
// keeps its mode, a file at the socket path survives, a directory of another user is refused.

let dir: string;
let servers: Server[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ccb-sock-'));
  servers = [];
});
afterEach(async () => {
  for (const s of servers) await new Promise((r) => s.close(r));
  rmSync(dir, { recursive: true, force: true });
});

const listen = (path: string) => {
  const server = createServer();
  servers.push(server);
  return listenControlSocket(server, path);
};
const mode = (p: string) => statSync(p).mode & 0o7777;

describe('the control socket never touches what is not ours', () => {
  it('creates a private 0700 subdirectory it owns when the socket directory is missing', async () => {
    const sock = join(dir, 'run', 'c.sock');
    await listen(sock);
    expect(mode(join(dir, 'run'))).toBe(0o700);
    expect(mode(sock) & 0o777).toBe(0o600);
  });

  it('binds in a shared 1777 directory without chmod-ing it', async () => {
    const shared = join(dir, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    await listen(join(shared, 'c.sock'));
    expect(mode(shared)).toBe(0o1777);
    expect(mode(join(shared, 'c.sock')) & 0o777).toBe(0o600);
  });

  it('refuses a regular file or a directory at the socket path, and leaves it alone', async () => {
    const file = join(dir, 'c.sock');
    writeFileSync(file, 'precious');
    await expect(listen(file)).rejects.toThrow(/exists and is not a socket; move it away or set CCBRIDGE_SOCKET/);
    expect(readFileSync(file, 'utf8')).toBe('precious');
    mkdirSync(join(dir, 'd.sock'));
    await expect(listen(join(dir, 'd.sock'))).rejects.toThrow(/is not a socket/);
  });

  it('refuses a directory others may write to without the sticky bit, and does not chmod it', async () => {
    const open = join(dir, 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    await expect(listen(join(open, 'c.sock'))).rejects.toThrow(/can be written by other users .*CCBRIDGE_SOCKET/);
    expect(mode(open)).toBe(0o777);
  });

  it('refuses a directory of another user, and a shared one as the data directory', async () => {
    const shared = join(dir, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    expect(() => ensurePrivateDir(shared)).toThrow(/shared directory \(mode 1777\); set CCBRIDGE_HOME/);
    expect(mode(shared)).toBe(0o1777);
    // Root can hand a directory to "nobody"; anyone else tries the root-owned /tmp-like case instead.
    const foreign = join(dir, 'foreign');
    mkdirSync(foreign, { mode: 0o755 });
    if (process.getuid?.() === 0) chownSync(foreign, 65534, 65534);
    const target = process.getuid?.() === 0 ? foreign : '/';
    await expect(listen(join(target, 'c.sock'))).rejects.toThrow(/belongs to another user .*CCBRIDGE_SOCKET/);
  });

  it('never removes a socket something answers on', async () => {
    const sock = join(dir, 'c.sock');
    await listen(sock);
    await expect(listen(sock)).rejects.toThrow(/another process answers/);
  });
});
