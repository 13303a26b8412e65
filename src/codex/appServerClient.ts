import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type * as z from 'zod';
import { CcbridgeError } from '../shared/errors.js';
import { VERSION } from '../shared/version.js';
import { IncomingMessageSchema, InitializeResultSchema, type IncomingMessage } from './appServerProtocol.js';
import { redactText } from '../core/redact.js';
import { closeGracefully } from './terminate.js';

export interface AppServerClientOptions {
  /** codex executable (see resolveCodexBinary). */
  bin: string;
  /** Full environment for the process (see codexEnv). */
  env: Record<string, string>;
  /** Default per-request timeout. */
  requestTimeoutMs?: number;
  /** Label used in error messages, e.g. the account name. */
  label?: string;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** An error object the app-server answered with. `code` is the JSON-RPC error code. */
export class AppServerRpcError extends CcbridgeError {
  readonly rpcCode: number;
  readonly method: string;
  constructor(method: string, rpcCode: number, message: string) {
    super('codex_rpc_error', `codex app-server ${method}: ${redactText(message)}`, { status: 502 });
    this.rpcCode = rpcCode;
    this.method = method;
  }

  /** The server does not know the method (older codex): -32601, or serde's "unknown variant" as -32600. */
  get isUnknownMethod(): boolean {
    return this.rpcCode === -32601 || (this.rpcCode === -32600 && /unknown variant/.test(this.message));
  }
}

type NotificationHandler = (params: unknown, method: string) => void;

interface Pending {
  method: string;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const STDERR_TAIL = 2_000;

/**
 * JSON-RPC client for one `codex app-server` process: newline-delimited JSON over stdio without the
 * "jsonrpc" field (codex.md §11). Start with `AppServerClient.start()`, which also does the
 * initialize/initialized handshake.
 */
export class AppServerClient {
  readonly pid: number | undefined;
  /** Resolves when the process is gone (never rejects). */
  readonly exited: Promise<ExitInfo>;
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, Pending>();
  private readonly handlers = new Map<string, Set<NotificationHandler>>();
  private readonly timeoutMs: number;
  private readonly label: string;
  private nextId = 0;
  private stderrTail = '';
  private exitInfo: ExitInfo | null = null;

  private constructor(opts: AppServerClientOptions) {
    this.timeoutMs = opts.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.label = opts.label ?? 'codex app-server';
    this.child = spawn(opts.bin, ['app-server'], { env: opts.env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.pid = this.child.pid;
    this.exited = new Promise((resolve) => {
      let settled = false;
      const done = (info: ExitInfo, why: string) => {
        if (settled) return;
        settled = true;
        this.exitInfo = info;
        this.failAll(why);
        resolve(info);
      };
      this.child.once('exit', (code, signal) => done({ code, signal }, this.describeExit({ code, signal })));
      this.child.once('error', (err) =>
        done({ code: null, signal: null }, `could not run ${opts.bin}: ${err.message}`),
      );
    });
    this.child.stdin?.on('error', () => {}); // EPIPE after the process died; surfaced through `exited`.
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL);
    });
    const lines = createInterface({ input: this.child.stdout! });
    lines.on('line', (line) => this.onLine(line));
  }

  /** Spawns `codex app-server` and completes the handshake; the process is killed if that fails. */
  static async start(opts: AppServerClientOptions): Promise<AppServerClient> {
    const client = new AppServerClient(opts);
    try {
      await client.request(
        'initialize',
        {
          // clientInfo.name becomes the originator of the app-server's own upstream calls (refresh, usage);
          // ccbridge presents itself as the codex CLI there, like the bridge does on the data plane.
          clientInfo: { name: 'codex_cli_rs', title: 'ccbridge', version: VERSION },
          capabilities: { experimentalApi: false },
        },
        { schema: InitializeResultSchema },
      );
      client.notify('initialized');
      return client;
    } catch (err) {
      await client.close();
      throw err;
    }
  }

  get closed(): boolean {
    return this.exitInfo !== null;
  }

  request<S extends z.ZodType>(
    method: string,
    params: unknown,
    opts: { timeoutMs?: number; schema: S },
  ): Promise<z.infer<S>>;
  request(method: string, params?: unknown, opts?: { timeoutMs?: number }): Promise<unknown>;
  async request(
    method: string,
    params?: unknown,
    opts: { timeoutMs?: number; schema?: z.ZodType } = {},
  ): Promise<unknown> {
    if (this.exitInfo) throw this.exitError(method, this.describeExit(this.exitInfo));
    const id = this.nextId++;
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    const result = await new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(
          new CcbridgeError(
            'codex_timeout',
            `${this.label}: codex app-server did not answer ${method} within ${Math.round(timeoutMs / 1000)}s.`,
            { status: 504 },
          ),
        );
      }, timeoutMs);
      this.pending.set(id, { method, resolve, reject, timer });
      this.send(params === undefined ? { method, id } : { method, id, params });
    });
    if (!opts.schema) return result;
    const parsed = opts.schema.safeParse(result);
    if (!parsed.success) {
      throw new CcbridgeError(
        'codex_protocol',
        `${this.label}: unexpected answer to ${method} from codex app-server: ${parsed.error.issues[0]?.message ?? 'invalid'} (at ${parsed.error.issues[0]?.path.join('.') ?? '?'}).`,
        { status: 502 },
      );
    }
    return parsed.data;
  }

  notify(method: string, params?: unknown): void {
    this.send(params === undefined ? { method } : { method, params });
  }

  /** Subscribes to a server notification (`'*'` for all); returns the unsubscribe function. */
  onNotification(method: string, handler: NotificationHandler): () => void {
    let set = this.handlers.get(method);
    if (!set) this.handlers.set(method, (set = new Set()));
    set.add(handler);
    return () => void set.delete(handler);
  }

  /** Ends the process: closes stdin (codex exits on EOF), then SIGTERM, then SIGKILL. Idempotent. */
  async close(): Promise<void> {
    if (this.exitInfo) return;
    await closeGracefully(this.child, this.exited);
  }

  private send(message: Record<string, unknown>): void {
    this.child.stdin?.write(`${JSON.stringify(message)}\n`);
  }

  private onLine(line: string): void {
    if (!line.trim()) return;
    let msg: IncomingMessage;
    try {
      msg = IncomingMessageSchema.parse(JSON.parse(line));
    } catch {
      return; // Not protocol (codex may print diagnostics); nothing waits on it.
    }
    if (msg.method !== undefined) {
      if (msg.id !== undefined) this.refuseServerRequest(msg.id, msg.method);
      else this.dispatch(msg.method, msg.params);
      return;
    }
    if (typeof msg.id !== 'number') return;
    const pending = this.pending.get(msg.id);
    if (!pending) return;
    this.pending.delete(msg.id);
    clearTimeout(pending.timer);
    if (msg.error) pending.reject(new AppServerRpcError(pending.method, msg.error.code, msg.error.message));
    else pending.resolve(msg.result ?? null);
  }

  /** ccbridge starts no threads, so approvals and other server→client requests never apply to it. */
  private refuseServerRequest(id: string | number, method: string): void {
    this.send({ id, error: { code: -32601, message: `ccbridge does not handle ${method}` } });
  }

  private dispatch(method: string, params: unknown): void {
    for (const key of [method, '*']) {
      for (const handler of this.handlers.get(key) ?? []) {
        try {
          handler(params, method);
        } catch {
          // A faulty subscriber must not break the reader loop.
        }
      }
    }
  }

  private describeExit(info: ExitInfo): string {
    const how = info.signal ? `was killed by ${info.signal}` : `exited with code ${info.code}`;
    const tail = redactText(this.stderrTail)
      .replace(/\x1b\[[0-9;]*m/g, '')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !/bubblewrap|PATH aliases/.test(l))
      .slice(-1)[0];
    return `codex app-server ${how}${tail ? `: ${tail.slice(0, 300)}` : ''}`;
  }

  private exitError(method: string, why: string): CcbridgeError {
    return new CcbridgeError('codex_exited', `${this.label}: ${why} (while waiting for ${method}).`, { status: 502 });
  }

  private failAll(why: string): void {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(this.exitError(pending.method, why));
      this.pending.delete(id);
    }
  }
}
