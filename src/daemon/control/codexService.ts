import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readBundledModels } from '../../codex/bundledModels.js';
import { AUTH_READ_MAX_AGE_MS } from '../../codex/authFile.js';
import { CodexControl } from '../../codex/codexControl.js';
import { codexEnv } from '../../codex/codexEnv.js';
import { ModelCatalog } from '../../codex/modelCatalog.js';
import { codexBinaryKey, MIN_CODEX_VERSION, seedCodexVersion } from '../../codex/codexBinary.js';
import { isTerminal } from '../../codex/loginSessionManager.js';
import type { CodexModel } from '../../shared/schemas/codexModel.js';
import type { Credentials, CredentialsRequest } from '../../codex/tokenKeeper.js';
import { errorMessage } from '../../shared/errors.js';
import { ccbridgeEnv } from '../../shared/schemas/ccbridgeEnv.js';
import type { AuthStatus, LoginSession } from '../../shared/schemas/auth.js';
import type { EventInput } from '../../shared/schemas/events.js';
import type { Account } from '../../shared/schemas/state.js';
import type { Daemon } from '../daemon.js';

const REMOVAL_LOGOUT_MS = 15_000;
/** Bound on every app-server request (a hung codex is killed and replaced after it); overridable for tests. */
const CODEX_TIMEOUT_MS = 10_000;
/** The bundled catalogue is checked a moment after start, not while the first requests come in. */
const BUNDLED_CHECK_DELAY_MS = 2_000;

/** The codex control plane as the daemon uses it: routes, the bridge's credentials and models. */
export interface CodexService {
  control: CodexControl;
  /** BridgeDeps.credentials: a valid access token (refresh through codex, single-flight). */
  credentials(accountId: string, req?: CredentialsRequest): Promise<Credentials>;
  /** The account's `model/list` (all pages), cached 5 minutes; a failure is remembered for a minute. */
  modelList(accountId: string): Promise<CodexModel[]>;
  /**
   * BridgeDeps.models, never waiting on codex: the account's last list, else codex's bundled catalogue, else null
   * (the bridge's built-in one); a missing or old list is read in the background.
   */
  models(accountId: string): CodexModel[] | null;
  /** BridgeDeps.codexVersion: the installed codex version (the minimum ccbridge supports until it is known). */
  codexVersion(): string;
  /** Resolves once `codex --version` has answered (or failed), or after `maxMs`. */
  versionKnown(maxMs: number): Promise<void>;
  /** The account's login is past fixing by a refresh: needs-login (out of rotation) until codex writes a new one. */
  markNeedsLogin(accountId: string, message: string): void;
  /**
   * The login state the router goes by. It asks for every account on every request, so auth.json is looked at once
   * a second at most (the account a request goes to is read afresh by the token keeper; logins and logouts done
   * through the daemon are seen at once). Commands and the state view read afresh.
   */
  routingAuth(account: Account): AuthStatus['state'];
}

/**
 * Builds the codex control plane into the daemon: auth status and login sessions in the state view, events for
 * logins and needs-login, auth.json watching, logout before `rm`, and everything closed on stop.
 */
export function startCodexService(daemon: Daemon, env: Record<string, string | undefined> = process.env): CodexService {
  const nameOf = (id: string) => daemon.store.get().accounts.find((a) => a.id === id)?.name ?? id;
  /** last_refresh of each needs-login account when its refresh failed: a different one means a new login. */
  const deadSince = new Map<string, string | null>();
  const markNeedsLogin = (id: string, message: string) => {
    deadSince.set(id, control.authStatus(id).lastRefresh);
    setNeedsLogin(daemon, id, true, { level: 'error', category: 'oauth', message, accountId: id });
  };
  const control: CodexControl = new CodexControl({
    homeFor: (id) => daemon.accountHome(id),
    nameFor: nameOf,
    env,
    requestTimeoutMs: ccbridgeEnv(env).CCBRIDGE_CODEX_TIMEOUT_MS ?? CODEX_TIMEOUT_MS,
    loginTimeoutMs: ccbridgeEnv(env).CCBRIDGE_LOGIN_TIMEOUT_MS,
    onNeedsLogin: markNeedsLogin,
    onLoginSession: (session) => {
      const event = loginEvent(session, nameOf(session.accountId), control.authStatus(session.accountId));
      if (event) daemon.log(event);
      daemon.notifyChange();
    },
    onLoginSucceeded: (id) => {
      setNeedsLogin(daemon, id, false);
      catalog.forget(id); // a new login may bring other models
    },
  });

  daemon.providers.auth = (account) => control.authStatus(account.id, { needsLogin: account.needsLogin });
  daemon.providers.loginSessions = () => control.logins.list();
  daemon.providers.models = (id) => catalog.available(id);

  const stopWatch = control.watchAuth({
    accounts: () => daemon.store.get().accounts.map((a) => ({ id: a.id, needsLogin: a.needsLogin })),
    onChange: (id, status, previous) => {
      // A login ccbridge ran already has its own event; the file appearing is then routine.
      const viaSession = control.logins
        .list()
        .some((s) => s.accountId === id && (s.state === 'succeeded' || !isTerminal(s.state)));
      const event = previous && authChangeEvent(nameOf(id), id, status, previous, viaSession);
      if (event) daemon.log(event);
      if (daemon.store.get().accounts.find((a) => a.id === id)?.needsLogin) {
        // Flagged before this daemon started: what is there now is the login that failed.
        if (!deadSince.has(id)) deadSince.set(id, status.lastRefresh);
        // codex stamps last_refresh only on a successful login or refresh: the account works again.
        if (status.lastRefresh !== null && status.lastRefresh !== deadSince.get(id)) {
          deadSince.delete(id);
          setNeedsLogin(daemon, id, false, {
            level: 'info',
            category: 'oauth',
            message: `${nameOf(id)}: new codex login found; needs-login cleared`,
            accountId: id,
          });
        }
      }
      daemon.notifyChange();
    },
  });

  const logoutBeforeRemoval = async (id: string) => {
    try {
      await withTimeout(control.logout(id), REMOVAL_LOGOUT_MS);
      daemon.log({
        level: 'info',
        category: 'account',
        message: `account ${nameOf(id)} logged out before removal`,
        accountId: id,
      });
    } catch (err) {
      daemon.log({
        level: 'warn',
        category: 'account',
        message: `logout of ${nameOf(id)} before removal failed (${errorMessage(err)}); its home is deleted anyway`,
        accountId: id,
      });
    }
  };
  daemon.onAccountRemoval(async (id) => {
    for (const s of control.logins.list())
      if (s.accountId === id && !isTerminal(s.state)) await control.logins.cancel(s.id);
    if (control.authStatus(id).state !== 'not-connected') await logoutBeforeRemoval(id);
    // Codex writes into the home while it runs (a new account's model list starts one): it must be gone first.
    await control.pool.evict(id);
  });
  daemon.onShutdown(async () => {
    stopWatch();
    await control.close();
  });

  // The version seen last time for this very binary answers at once: the bridge waits for the version before
  // its first request, and `codex --version` costs a process start.
  const versionFile = join(daemon.paths.dataDir, 'codex-version.json');
  let remembered = false;
  try {
    const key = codexBinaryKey(env);
    const seen = JSON.parse(readFileSync(versionFile, 'utf8')) as { key?: unknown; version?: unknown };
    if (seen.key === key && typeof seen.version === 'string') {
      seedCodexVersion(key, seen.version);
      remembered = true;
    }
  } catch {
    // no codex, or nothing remembered yet
  }
  let version: string | null = null;
  const probed = control.binary().then(
    (bin) => {
      version = bin.version;
      if (!remembered) rememberVersion(versionFile, env, bin.version);
    },
    (err: unknown) => {
      daemon.log({ level: 'warn', category: 'system', message: errorMessage(err) });
    },
  );

  const catalog = new ModelCatalog({
    cacheFile: join(daemon.paths.dataDir, 'codex-models.json'),
    list: (id) => control.listModels(id),
    bundled: async () => {
      const bin = await control.binary();
      const timeoutMs = ccbridgeEnv(env).CCBRIDGE_CODEX_TIMEOUT_MS ?? CODEX_TIMEOUT_MS;
      return {
        codex: { path: bin.path, version: bin.version },
        models: () => readBundledModels(bin.path, codexEnv(catalogHome(daemon), env), timeoutMs),
      };
    },
    onUpdate: () => daemon.notifyChange(),
    onError: (message, id) =>
      daemon.log({
        level: 'warn',
        category: 'system',
        message: id ? `${nameOf(id)}: model list unavailable (${message}); using the last one known` : message,
        accountId: id,
      }),
  });
  setTimeout(() => void catalog.refreshBundled(), BUNDLED_CHECK_DELAY_MS).unref();
  daemon.onAccountRemoval((id) => catalog.forget(id));
  return {
    control,
    credentials: (id, req) => control.credentials(id, req),
    codexVersion: () => version ?? MIN_CODEX_VERSION,
    modelList: (id) => catalog.list(id),
    models: (id) => catalog.available(id),
    versionKnown: (maxMs) => Promise.race([probed, new Promise<void>((resolve) => setTimeout(resolve, maxMs).unref())]),
    markNeedsLogin,
    routingAuth: (account) =>
      control.authStatus(account.id, { needsLogin: account.needsLogin, maxAgeMs: AUTH_READ_MAX_AGE_MS }).state,
  };
}

function rememberVersion(file: string, env: Record<string, string | undefined>, version: string): void {
  try {
    writeFileSync(file, JSON.stringify({ key: codexBinaryKey(env), version }), { mode: 0o600 });
  } catch {
    // next start asks codex again
  }
}

/** A private CODEX_HOME for codex runs that belong to no account (the bundled catalogue). */
function catalogHome(daemon: Daemon): string {
  const home = join(daemon.paths.runDir, 'codex-catalog');
  mkdirSync(home, { recursive: true, mode: 0o700 });
  return home;
}

function setNeedsLogin(daemon: Daemon, id: string, value: boolean, event?: EventInput): void {
  daemon.mutate((s) => {
    const account = s.accounts.find((a) => a.id === id);
    if (!account || account.needsLogin === value) return { result: null, events: [] };
    account.needsLogin = value;
    return { result: null, events: event ? [event] : [] };
  });
}

/** One event per meaningful login step; URLs and codes stay out of the log (they are in the session). */
export function loginEvent(s: LoginSession, name: string, auth: AuthStatus): EventInput | null {
  const base = { category: 'oauth' as const, accountId: s.accountId, data: { sessionId: s.id, kind: s.kind } };
  const how = s.kind === 'device' ? 'device code' : 'browser';
  switch (s.state) {
    case 'starting':
      return { ...base, level: 'info', message: `login for ${name} started (${how})` };
    case 'waiting':
      return { ...base, level: 'info', message: `login for ${name} waiting for the ${how} sign-in` };
    case 'succeeded': {
      const who = [auth.email, auth.planType && `(${auth.planType})`].filter(Boolean).join(' ');
      return { ...base, level: 'info', message: `${name} connected${who ? ` as ${who}` : ''}` };
    }
    case 'failed':
      return { ...base, level: 'warn', message: `login for ${name} failed: ${s.error ?? 'unknown error'}` };
    case 'cancelled':
      return { ...base, level: 'info', message: `login for ${name} cancelled` };
    case 'timed_out':
      return { ...base, level: 'warn', message: `login for ${name} timed out; run \`ccbridge connect ${name}\` again` };
  }
}

/** Logins and logouts seen in auth.json are worth an event; routine expiry steps only at debug level. */
export function authChangeEvent(
  name: string,
  id: string,
  status: AuthStatus,
  previous: AuthStatus,
  routine = false,
): EventInput | null {
  const was = previous.state;
  if (was === status.state && previous.email === status.email) return null;
  const connectedNow = was === 'not-connected' && status.state !== 'not-connected';
  const goneNow = was !== 'not-connected' && status.state === 'not-connected';
  const message = connectedNow
    ? `${name}: codex login found${status.email ? ` (${status.email})` : ''}`
    : goneNow
      ? `${name}: codex login removed (not connected)`
      : `${name}: auth ${was} → ${status.state}`;
  return {
    level: (connectedNow || goneNow) && !routine ? 'info' : 'debug',
    category: 'account',
    message,
    accountId: id,
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer within ${ms / 1000}s`)), ms).unref(),
    ),
  ]);
}
