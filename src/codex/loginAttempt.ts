import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { CcbridgeError, errorMessage } from '../shared/errors.js';
import type * as z from 'zod';
import type { LoginKind } from '../shared/schemas/auth.js';
import { AppServerRpcError } from './appServerClient.js';
import { LoginCompletedSchema, LoginStartResultSchema } from './appServerProtocol.js';
import { startAppServer, type CodexProcessOptions } from './appServerPool.js';
import { resolveCodexBinary } from './codexBinary.js';
import { codexEnv } from './codexEnv.js';
import { parseBrowserLoginUrl, parseDeviceCodePrompt, parseLoginError } from './loginOutput.js';
import { redactText } from '../core/redact.js';
import { terminate } from './terminate.js';

export interface LoginPrompt {
  authUrl: string | null;
  verificationUrl: string | null;
  userCode: string | null;
}

export interface LoginOutcome {
  success: boolean;
  error: string | null;
}

/** One running codex login: what to show the user, how it ends, and how to stop it. */
export interface LoginAttempt {
  prompt: LoginPrompt;
  /** Settles when codex reports the end of the login or its process dies; never rejects. */
  outcome: Promise<LoginOutcome>;
  /** Cancels the login if it still runs, and resolves once the codex process is gone. Idempotent. */
  stop(): Promise<void>;
  pid: number | undefined;
}

const aborted = () => new CcbridgeError('login_aborted', 'The login was stopped before codex was ready.');

/** The app-server lacks `account/login/start` (or this login type): use `codex login` instead. */
class LoginUnsupportedError extends Error {}

/**
 * Starts the real ChatGPT OAuth login through a dedicated `codex app-server` for the account
 * (`account/login/start`), falling back to `codex login [--device-auth]` on a codex without that method.
 */
export async function startLogin(
  proc: CodexProcessOptions,
  accountId: string,
  kind: LoginKind,
  signal: AbortSignal,
): Promise<LoginAttempt> {
  try {
    return await startAppServerLogin(proc, accountId, kind, signal);
  } catch (err) {
    if (err instanceof LoginUnsupportedError) return startCliLogin(proc, accountId, kind, signal);
    throw err;
  }
}

async function startAppServerLogin(
  proc: CodexProcessOptions,
  accountId: string,
  kind: LoginKind,
  signal: AbortSignal,
): Promise<LoginAttempt> {
  const client = await startAppServer(proc, accountId);
  const onAbort = () => void client.close();
  signal.addEventListener('abort', onAbort, { once: true });
  if (signal.aborted) onAbort();

  let loginId: string | null = null;
  let settle!: (o: LoginOutcome) => void;
  const outcome = new Promise<LoginOutcome>((resolve) => (settle = resolve));
  const early: Array<z.infer<typeof LoginCompletedSchema>> = [];
  const accept = (done: z.infer<typeof LoginCompletedSchema>) => {
    if (done.loginId !== null && done.loginId !== loginId) return;
    settle({
      success: done.success,
      error: done.success ? null : redactText(done.error ?? 'codex reported a failed login'),
    });
  };
  client.onNotification('account/login/completed', (params) => {
    const parsed = LoginCompletedSchema.safeParse(params);
    if (!parsed.success) return;
    if (loginId === null) early.push(parsed.data);
    else accept(parsed.data);
  });
  void client.exited.then((info) =>
    settle({
      success: false,
      error: `codex app-server ${info.signal ? `was killed by ${info.signal}` : `exited with code ${info.code}`} during the login`,
    }),
  );

  let started: z.infer<typeof LoginStartResultSchema>;
  try {
    started = await client.request(
      'account/login/start',
      { type: kind === 'device' ? 'chatgptDeviceCode' : 'chatgpt' },
      { schema: LoginStartResultSchema },
    );
  } catch (err) {
    await client.close();
    if (signal.aborted) throw aborted();
    if (err instanceof AppServerRpcError && err.isUnknownMethod) throw new LoginUnsupportedError();
    throw err;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  loginId = started.loginId;
  early.forEach(accept);
  void outcome.then(() => client.close());

  return {
    prompt:
      started.type === 'chatgpt'
        ? { authUrl: started.authUrl, verificationUrl: null, userCode: null }
        : { authUrl: null, verificationUrl: started.verificationUrl, userCode: started.userCode },
    outcome,
    pid: client.pid,
    async stop() {
      if (!client.closed) {
        // Frees codex's callback port at once; the process goes right after.
        await client
          .request('account/login/cancel', { loginId: started.loginId }, { timeoutMs: 5_000 })
          .catch(() => {});
      }
      await client.close();
    },
  };
}

async function startCliLogin(
  proc: CodexProcessOptions,
  accountId: string,
  kind: LoginKind,
  signal: AbortSignal,
): Promise<LoginAttempt> {
  const baseEnv = proc.env ?? process.env;
  const bin = await resolveCodexBinary(baseEnv);
  const home = proc.homeFor(accountId);
  mkdirSync(home, { recursive: true, mode: 0o700 });
  // codex login always tries to open a browser; the ccbridge CLI does that (or not, --no-browser) on the
  // user's side instead. BROWSER=true makes the attempt a no-op where codex honours BROWSER.
  const env = { ...codexEnv(home, baseEnv), BROWSER: 'true' };
  const child = spawn(bin.path, kind === 'device' ? ['login', '--device-auth'] : ['login'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');

  const prompt = await new Promise<LoginPrompt>((resolve, reject) => {
    const check = () => {
      if (kind === 'device') {
        const p = parseDeviceCodePrompt(stdout);
        if (p) resolve({ authUrl: null, ...p });
      } else {
        const url = parseBrowserLoginUrl(stderr);
        if (url) resolve({ authUrl: url, verificationUrl: null, userCode: null });
      }
    };
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      check();
    });
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      check();
    });
    const onAbort = () => void terminate(child, exited).then(() => reject(aborted()));
    signal.addEventListener('abort', onAbort, { once: true });
    void exited.then((code) => {
      signal.removeEventListener('abort', onAbort);
      const why = parseLoginError(stderr) ?? `exit code ${code}`;
      reject(new CcbridgeError('login_failed', `codex login ended before showing a login link: ${redactText(why)}`));
    });
  }).catch(async (err: unknown) => {
    await terminate(child, exited);
    throw err instanceof CcbridgeError ? err : new CcbridgeError('login_failed', errorMessage(err));
  });

  let stopped = false;
  const outcome = exited.then((code): LoginOutcome => {
    if (code === 0) return { success: true, error: null };
    if (stopped) return { success: false, error: 'cancelled' };
    return { success: false, error: redactText(parseLoginError(stderr) ?? `codex login exited with code ${code}`) };
  });
  return {
    prompt,
    outcome,
    pid: child.pid,
    async stop() {
      stopped = true;
      await terminate(child, exited);
    },
  };
}
