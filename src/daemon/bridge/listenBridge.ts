import type { Server } from 'node:http';
import { CcbridgeError } from '../../shared/errors.js';
import { portOwner } from './portOwner.js';

const FALLBACK_TRIES = 20;

function listenOnce(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => {
      server.off('listening', onListening);
      reject(err);
    };
    const onListening = () => {
      server.off('error', onError);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/**
 * Binds the bridge. A busy port is fatal unless `fallback` is on, then the next ports are tried.
 * Returns the port actually bound.
 */
export async function listenBridge(server: Server, host: string, port: number, fallback: boolean): Promise<number> {
  const tries = fallback ? FALLBACK_TRIES : 1;
  for (let i = 0; i < tries; i++) {
    try {
      return await listenOnce(server, host, port + i);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' && i + 1 < tries) continue;
      if (code === 'EADDRINUSE') {
        if (fallback)
          throw new CcbridgeError(
            'port_in_use',
            `ports ${port}-${port + tries - 1} on ${host} are all in use; free one or set CCBRIDGE_PORT`,
          );
        const owner = portOwner(port);
        const by = owner ? ` by pid ${owner.pid} (${owner.name})` : '';
        throw new CcbridgeError(
          'port_in_use',
          `port ${port} on ${host} is already in use${by}; stop it, set CCBRIDGE_PORT, or run \`ccbridge config set portFallback true\``,
        );
      }
      if (code === 'EACCES')
        throw new CcbridgeError(
          'port_denied',
          `no permission to listen on ${host}:${port}; set CCBRIDGE_PORT above 1024`,
        );
      if (code === 'EADDRNOTAVAIL')
        throw new CcbridgeError('host_unavailable', `cannot listen on ${host}; check CCBRIDGE_HOST`);
      throw err;
    }
  }
  throw new CcbridgeError('port_in_use', `no free port from ${port}`);
}
