import { spawn } from 'node:child_process';
import type * as z from 'zod';
import { closeSync, existsSync, openSync, readFileSync, renameSync, statSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { CcbridgeError } from '../shared/errors.js';
import { DAEMON_LOG_MAX_BYTES, MAX_SOCKET_PATH, resolvePaths, type Paths } from '../shared/paths.js';
import { ensurePrivateDir } from '../core/fsSecure.js';
import type { ApiError } from '../shared/schemas/api.js';
import { VERSION } from '../shared/version.js';
import { daemonProcessEnv } from '../shared/daemonProcessEnv.js';
import { ALREADY_RUNNING_EXIT } from '../daemon/daemonLock.js';
import { callControl, controlApi, type ControlRequest } from './controlApi.js';
import { ccbridgeEnv } from '../shared/schemas/ccbridgeEnv.js';

export class DaemonDownError extends CcbridgeError {
  constructor(socketPath: string) {
    super(
      'daemon_down',
      `the ccbridge daemon is not running (no answer on ${socketPath}); start it with \`ccbridge start\``,
    );
  }
}

/** Talks HTTP to the daemon over its Unix socket (node:http with socketPath; no extra deps). */
export class DaemonClient {
  readonly paths: Paths;

  constructor(paths: Paths = resolvePaths()) {
    this.paths = paths;
  }

  #send(method: string, path: string, body?: unknown): Promise<IncomingMessage> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    // The kernel refuses such a path (EINVAL) before anything could answer: say what to change.
    if (Buffer.byteLength(this.paths.socketPath) > MAX_SOCKET_PATH)
      return Promise.reject(
        new CcbridgeError(
          'socket_path_too_long',
          `control socket path is ${Buffer.byteLength(this.paths.socketPath)} bytes, over the ${MAX_SOCKET_PATH} the OS allows: ${this.paths.socketPath}; set CCBRIDGE_SOCKET to a shorter path`,
        ),
      );
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          socketPath: this.paths.socketPath,
          method,
          path,
          headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {},
        },
        resolve,
      );
      req.once('error', (err: NodeJS.ErrnoException) => {
        // A daemon mid-shutdown can also reset or close the connection: it is going down.
        if (['ENOENT', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE'].includes(err.code ?? ''))
          reject(new DaemonDownError(this.paths.socketPath));
        else if (err.code === 'EACCES')
          reject(
            new CcbridgeError(
              'socket_denied',
              `no permission to use ${this.paths.socketPath}; is the daemon run by another user?`,
            ),
          );
        else reject(err);
      });
      req.end(payload);
    });
  }

  /** The raw JSON answer; callers go through `call`, which checks it against the route's schema. */
  async request(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await this.#send(method, path, body);
    const text = await readAll(res);
    const data = text ? (JSON.parse(text) as unknown) : {};
    if ((res.statusCode ?? 500) >= 400) throw apiError(res.statusCode ?? 500, data);
    return data;
  }

  /** One route of `controlApi`, its answer parsed. */
  call<S extends z.ZodType>(request: ControlRequest<S>): Promise<z.output<S>> {
    return callControl(this, request);
  }

  /** Server-sent events from the daemon; resolves when the stream ends or `signal` aborts. */
  async stream(path: string, onEvent: (event: string, data: unknown) => void, signal?: AbortSignal): Promise<void> {
    const res = await this.#send('GET', path);
    if ((res.statusCode ?? 500) >= 400) throw apiError(res.statusCode ?? 500, JSON.parse(await readAll(res)));
    signal?.addEventListener('abort', () => res.destroy(), { once: true });
    res.setEncoding('utf8');
    let buf = '';
    await new Promise<void>((resolve) => {
      res.on('data', (chunk: string) => {
        buf += chunk;
        let sep: number;
        while ((sep = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, sep);
          buf = buf.slice(sep + 2);
          let event = 'message';
          let data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data += line.slice(5).trimStart();
          }
          if (data) onEvent(event, JSON.parse(data));
        }
      });
      res.once('end', resolve);
      res.once('close', resolve);
      res.once('error', resolve);
    });
  }

  /** The running daemon's pid and version, or null when none answers. */
  async probe(): Promise<{ pid: number; version: string } | null> {
    try {
      return await this.call(controlApi.identity());
    } catch (err) {
      if (err instanceof DaemonDownError) return null;
      throw err;
    }
  }

  async isRunning(): Promise<boolean> {
    return (await this.probe()) !== null;
  }
}

function readAll(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.once('error', reject);
  });
}

function apiError(status: number, data: unknown): CcbridgeError {
  const err = (data as Partial<ApiError>).error;
  return new CcbridgeError(err?.code ?? 'daemon_error', err?.message ?? `daemon answered HTTP ${status}`, {
    status,
    exitCode: err?.exitCode ?? 1,
  });
}

/** A daemon started in the background, and how it ended once it has. */
interface Spawned {
  pid: number | undefined;
  ended: { code: number | null; at: number } | null;
}

/** `ccbridge start --foreground`, detached, its output appended to the daemon log (its dir made when missing). */
function spawnDaemon(paths: Paths, args: string[]): Spawned {
  ensurePrivateDir(paths.runDir);
  const logFd = openSync(paths.logFile, 'a', 0o600);
  // argv[1] is the script the user ran (bin/ccbridge or dist/ccbridge.mjs); this module may live in a chunk.
  const child = spawn(process.execPath, [process.argv[1]!, 'start', '--foreground', ...args], {
    detached: true,
    stdio: ['ignore', logFd, logFd],
    env: daemonProcessEnv(process.env),
  });
  closeSync(logFd);
  const spawned: Spawned = { pid: child.pid, ended: null };
  child.once('exit', (code) => (spawned.ended = { code, at: Date.now() }));
  child.once('error', () => (spawned.ended = { code: 1, at: Date.now() }));
  child.unref();
  return spawned;
}

/** How long after our daemon found the data dir taken by one that does not answer before it is tried again. */
const RETRY_AFTER_TAKEN_MS = 1_000;

/**
 * Starts the daemon detached (its output goes to the daemon log) and waits until its socket answers. When another
 * starter wins the race, this one's child exits with ALREADY_RUNNING and we wait for the winner. When the daemon
 * holding the data dir does not answer (it is stopping, or its data dir was just removed and it is about to), ours
 * is started again each second until one answers or the deadline passes. Returns whether this call started it.
 */
export async function startDaemon(client: DaemonClient, args: string[] = []): Promise<boolean> {
  const running = await client.probe();
  if (running) {
    warnVersionSkew(running.version);
    return false;
  }
  const { paths } = client;
  if (existsSync(paths.logFile) && statSync(paths.logFile).size > DAEMON_LOG_MAX_BYTES)
    renameSync(paths.logFile, `${paths.logFile}.1`);
  const logStart = existsSync(paths.logFile) ? statSync(paths.logFile).size : 0;
  let daemon = spawnDaemon(paths, args);

  const startDeadlineMs = ccbridgeEnv().CCBRIDGE_START_TIMEOUT_MS;
  const deadline = Date.now() + startDeadlineMs;
  while (Date.now() < deadline) {
    // Whoever answers may be a concurrent starter's daemon; we started it only if it is our child.
    const answer = await client.probe();
    if (answer) return answer.pid === daemon.pid;
    const { ended } = daemon;
    if (ended && ended.code !== ALREADY_RUNNING_EXIT) {
      throw new CcbridgeError('daemon_start_failed', daemonFailure(paths.logFile, logStart));
    }
    if (ended && Date.now() - ended.at >= RETRY_AFTER_TAKEN_MS) daemon = spawnDaemon(paths, args);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new CcbridgeError(
    'daemon_start_timeout',
    daemon.ended
      ? `another ccbridge daemon holds ${paths.dataDir} but does not answer on ${paths.socketPath}; stop that process, then try again`
      : `the daemon did not answer on ${paths.socketPath} within ${startDeadlineMs / 1000}s; see \`ccbridge logs\``,
  );
}

/** After an upgrade the old daemon keeps running until restarted; say so rather than act oddly. */
function warnVersionSkew(daemonVersion: string): void {
  if (daemonVersion !== VERSION) {
    process.stderr.write(
      `ccbridge: the running daemon is version ${daemonVersion}, this ccbridge is ${VERSION}; run \`ccbridge restart\`\n`,
    );
  }
}

/** The daemon's own last error line (it prints "ccbridge: …" before exiting). */
function daemonFailure(logFile: string, from: number): string {
  const text = existsSync(logFile) ? readFileSync(logFile).subarray(from).toString('utf8') : '';
  const line = text
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('ccbridge: '));
  return line ? line.slice('ccbridge: '.length) : `the daemon exited during start; see ${logFile}`;
}

/** A client for a daemon that is running, starting one first when needed. */
export async function connectDaemon(paths: Paths = resolvePaths()): Promise<DaemonClient> {
  const client = new DaemonClient(paths);
  await startDaemon(client);
  return client;
}
