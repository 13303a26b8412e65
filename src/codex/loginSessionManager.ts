import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import { CcbridgeError, errorMessage, notFound } from '../shared/errors.js';
import type { LoginKind, LoginSession, LoginSessionState } from '../shared/schemas/auth.js';
import type { CodexProcessOptions } from './appServerPool.js';
import { authFilePath, readAuthFile } from './authFile.js';
import { startLogin, type LoginAttempt } from './loginAttempt.js';

export const LOGIN_TIMEOUT_MS = 15 * 60_000;
/** The error of the app-server's `account/login/completed` when its own login timeout struck. */
const CODEX_LOGIN_TIMED_OUT = 'Login timed out';
const KEEP_FINISHED_MS = 60 * 60_000;
const KEEP_FINISHED_MAX = 50;

export interface LoginSessionManagerOptions {
  process: CodexProcessOptions;
  timeoutMs?: number;
  now?: () => number;
  /** Runs after codex wrote a new login for the account (evict its pooled app-server, clear needs-login …). */
  onSucceeded?: (accountId: string) => void | Promise<void>;
}

interface Run {
  session: LoginSession;
  abort: AbortController;
  attempt: LoginAttempt | null;
  timer: NodeJS.Timeout | null;
  /** Resolves when this session's codex process is gone (or it never started one). */
  finished: Promise<void>;
  markFinished: () => void;
}

const TERMINAL: ReadonlySet<LoginSessionState> = new Set(['succeeded', 'failed', 'cancelled', 'timed_out']);

export function isTerminal(state: LoginSessionState): boolean {
  return TERMINAL.has(state);
}

/**
 * Login sessions ("connect"): one real codex ChatGPT login per session, browser or device code.
 *
 * Logins are serialized across accounts, because codex's callback server binds one fixed port (1455) and a
 * second login cancels the first (codex.md §3). A second `start` is queued, not refused: it stays visible in
 * the `starting` state and runs when the previous session ends; its timeout counts from its turn. Starting an
 * account that already has an unfinished session returns that session.
 *
 * Emits `change` with a copy of the session on every state change.
 */
export class LoginSessionManager extends EventEmitter<{ change: [LoginSession] }> {
  private readonly runs = new Map<string, Run>();
  private running: Run | null = null;
  private queue: Promise<void> = Promise.resolve();
  private readonly timeoutMs: number;
  private readonly now: () => number;

  constructor(private readonly opts: LoginSessionManagerOptions) {
    super();
    this.timeoutMs = opts.timeoutMs ?? LOGIN_TIMEOUT_MS;
    this.now = opts.now ?? Date.now;
  }

  start(accountId: string, kind: LoginKind): LoginSession {
    const open = [...this.runs.values()].find((r) => r.session.accountId === accountId && !isTerminal(r.session.state));
    if (open) return { ...open.session };
    this.prune();
    let markFinished!: () => void;
    const finished = new Promise<void>((resolve) => (markFinished = resolve));
    const run: Run = {
      session: {
        id: `ls_${randomBytes(6).toString('hex')}`,
        accountId,
        kind,
        state: 'starting',
        authUrl: null,
        verificationUrl: null,
        userCode: null,
        startedAt: this.iso(),
        finishedAt: null,
        error: null,
      },
      abort: new AbortController(),
      attempt: null,
      timer: null,
      finished,
      markFinished,
    };
    this.runs.set(run.session.id, run);
    this.emit('change', { ...run.session });
    this.queue = this.queue.then(() => this.execute(run));
    return { ...run.session };
  }

  get(id: string): LoginSession | undefined {
    const run = this.runs.get(id);
    return run && { ...run.session };
  }

  list(): LoginSession[] {
    return [...this.runs.values()].map((r) => ({ ...r.session }));
  }

  /** Cancels the session; resolves once its codex process is gone. A finished session is returned unchanged. */
  async cancel(id: string): Promise<LoginSession> {
    const run = this.runs.get(id);
    if (!run) throw notFound('login_session_not_found', `No login session ${id}.`);
    if (!isTerminal(run.session.state)) {
      this.finish(run, 'cancelled', null);
      if (this.running !== run) run.markFinished(); // still queued: no process to wait for
    }
    await run.finished;
    return { ...run.session };
  }

  /** Resolves with the session once it reached a terminal state and its process is gone. */
  async waitForEnd(id: string): Promise<LoginSession> {
    const run = this.runs.get(id);
    if (!run) throw notFound('login_session_not_found', `No login session ${id}.`);
    await run.finished;
    return { ...run.session };
  }

  /** Cancels every unfinished session (daemon stop). */
  async close(): Promise<void> {
    await Promise.all(
      this.list()
        .filter((s) => !isTerminal(s.state))
        .map((s) => this.cancel(s.id)),
    );
  }

  private async execute(run: Run): Promise<void> {
    if (isTerminal(run.session.state)) return run.markFinished();
    this.running = run;
    try {
      await this.drive(run);
    } finally {
      if (run.timer) clearTimeout(run.timer);
      await run.attempt?.stop();
      this.running = null;
      run.markFinished();
    }
  }

  private async drive(run: Run): Promise<void> {
    const span =
      this.timeoutMs >= 60_000
        ? `${Math.round(this.timeoutMs / 60_000)} minutes`
        : `${Math.round(this.timeoutMs / 1000)} seconds`;
    run.timer = setTimeout(
      () => this.finish(run, 'timed_out', `No login was completed within ${span}.`),
      this.timeoutMs,
    );
    const { accountId, kind } = run.session;
    try {
      run.attempt = await startLogin(this.opts.process, accountId, kind, run.abort.signal);
    } catch (err) {
      this.finish(run, 'failed', errorMessage(err));
      return;
    }
    if (isTerminal(run.session.state)) return; // cancelled or timed out while codex was starting
    this.update(run, { state: 'waiting', ...run.attempt.prompt });

    const ended = new Promise<null>((resolve) =>
      run.abort.signal.addEventListener('abort', () => resolve(null), { once: true }),
    );
    const outcome = await Promise.race([run.attempt.outcome, ended]);
    if (!outcome || isTerminal(run.session.state)) return;
    if (!outcome.success) {
      // The app-server abandons a browser login after 10 minutes itself (`LOGIN_CHATGPT_TIMEOUT`): a timeout too.
      if (outcome.error === CODEX_LOGIN_TIMED_OUT)
        this.finish(run, 'timed_out', 'No login was completed within 10 minutes (codex gave up waiting).');
      else this.finish(run, 'failed', outcome.error ?? 'codex reported a failed login');
      return;
    }
    try {
      secureLogin(this.opts.process.homeFor(accountId));
    } catch (err) {
      this.finish(run, 'failed', errorMessage(err));
      return;
    }
    try {
      await this.opts.onSucceeded?.(accountId);
    } catch {
      // The login itself succeeded; follow-up bookkeeping must not turn it into a failure.
    }
    this.finish(run, 'succeeded', null);
  }

  private finish(run: Run, state: LoginSessionState, error: string | null): void {
    if (isTerminal(run.session.state)) return;
    if (run.timer) clearTimeout(run.timer);
    this.update(run, { state, error, finishedAt: this.iso() });
    run.abort.abort();
  }

  private update(run: Run, patch: Partial<LoginSession>): void {
    run.session = { ...run.session, ...patch };
    this.emit('change', { ...run.session });
  }

  private prune(): void {
    const finished = [...this.runs.values()].filter((r) => isTerminal(r.session.state));
    const cutoff = this.now() - KEEP_FINISHED_MS;
    finished.forEach((r, i) => {
      const old = Date.parse(r.session.finishedAt ?? r.session.startedAt) < cutoff;
      if (old || finished.length - i > KEEP_FINISHED_MAX) this.runs.delete(r.session.id);
    });
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }
}

/**
 * After a login: codex writes auth.json 0600 itself, but ccbridge checks rather than trusts (the home may have been
 * created loosely by hand), and requires the file store — a keyring-only login is invisible to the bridge.
 */
function secureLogin(home: string): void {
  const file = authFilePath(home);
  if (!existsSync(file)) {
    throw new CcbridgeError(
      'login_no_auth_file',
      'codex reported a successful login but wrote no auth.json; ccbridge needs the file store (`cli_auth_credentials_store = "file"` in the account\'s config.toml).',
    );
  }
  chmodSync(home, 0o700);
  chmodSync(file, 0o600);
  const read = readAuthFile(home);
  if (read.kind !== 'ok' || !read.auth.tokens) {
    throw new CcbridgeError(
      'login_no_tokens',
      'codex reported a successful login but auth.json holds no ChatGPT tokens.',
    );
  }
}
