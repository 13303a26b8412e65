#!/usr/bin/env node
// A fake `codex` executable for tests (select it with CCBRIDGE_CODEX_BIN). It mimics codex 0.169 where ccbridge
// touches it: `--version`, `app-server` (JSON-RPC over stdio, codex.md §11), `login`, `login --device-auth`,
// `login status`, `logout` (§3), writing auth.json exactly as codex does (§1, §2).
//
// Behaviour is steerable per test and per account: the JSON in env FAKE_CODEX_BEHAVIOR, overridden key by key by
// `<CODEX_HOME>/fake-codex.json` (re-read on every action, so a test may change it mid-run). Keys:
//   version            string   printed by --version (default "0.169.0")
//   login              "succeed" | "fail" | "hang"   how a login ends (default "succeed")
//   loginDelayMs       number   time until the login ends (default 100)
//   loginError         string   error text of a failed login
//   identity           {email, planType, chatgptAccountId, chatgptUserId}   written into the tokens at login
//   accessTtlSec       number   access-token lifetime at login and refresh (default 3600; negative = expired)
//   refresh            "ok" | "permanent" | "transient"   outcome of account/read {refreshToken:true}
//   refreshDelayMs     number   time a refresh takes (default 0)
//   slowMs             number | {<method>: ms}   delay before answering (all / some app-server methods)
//   hang               [method] never answer these app-server methods
//   crash              "startup" | <method>   exit 3 at start-up, or when that method arrives
//   unsupported        [method] answer like a codex that lacks the method (-32600 "unknown variant")
//   models             [Model]  model/list data (default: a small catalogue); modelPageSize: page size
//   rateLimitsUpdated  boolean  send account/rateLimits/updated right after each account/rateLimits/read
//   rateLimits         object   fields laid over the default snapshot of account/rateLimits/read (primary, secondary…)
//   resetCredits       object   its rateLimitResetCredits ({availableCount, credits}; default null)
//   debugModels        "ok" | "hang" | "fail"   how `debug models --bundled` answers (default "ok": the models in
//                      codex's bundled-catalogue shape, snake_case, gpt-5.5 first by priority)
// Every process appends what it did to `<CODEX_HOME>/fake-codex-calls.jsonl` ({t, pid, event, ...}); events:
// spawn, request, refresh, login-start, login-cancel, login-end, logout, exit. Tests count refreshes with it
// and check that processes are gone.
import { appendFileSync, existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { randomUUID } from 'node:crypto';
import { FAKE_IDENTITY, makeTokens, writeAuthJson } from './fakeCodexAuth.mjs';

const home = process.env.CODEX_HOME;
const args = process.argv.slice(2);

function behaviour() {
  let fromEnv = {};
  let fromFile = {};
  try {
    fromEnv = JSON.parse(process.env.FAKE_CODEX_BEHAVIOR || '{}');
  } catch {}
  try {
    if (home) fromFile = JSON.parse(readFileSync(join(home, 'fake-codex.json'), 'utf8'));
  } catch {}
  return {
    version: '0.169.0',
    login: 'succeed',
    loginDelayMs: 100,
    accessTtlSec: 3600,
    refresh: 'ok',
    ...fromEnv,
    ...fromFile,
  };
}

function log(event, extra = {}) {
  if (!home || !existsSync(home)) return;
  appendFileSync(
    join(home, 'fake-codex-calls.jsonl'),
    `${JSON.stringify({ t: Date.now(), pid: process.pid, event, ...extra })}\n`,
  );
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function readAuth() {
  try {
    return JSON.parse(readFileSync(join(home, 'auth.json'), 'utf8'));
  } catch {
    return null;
  }
}

function claims(jwt) {
  try {
    return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
  } catch {
    return {};
  }
}

function identityOf(auth) {
  const c = claims(auth?.tokens?.id_token ?? '');
  const a = c['https://api.openai.com/auth'] ?? {};
  const id = {
    email: c.email,
    planType: a.chatgpt_plan_type,
    chatgptAccountId: a.chatgpt_account_id,
    chatgptUserId: a.chatgpt_user_id,
  };
  return Object.fromEntries(Object.entries(id).filter(([, v]) => v !== undefined));
}

function writeLogin(b) {
  writeAuthJson(home, makeTokens({ ...FAKE_IDENTITY, ...b.identity }, { accessTtlSec: b.accessTtlSec }));
}

function requireHome() {
  if (!home || !existsSync(home) || !statSync(home).isDirectory()) {
    process.stderr.write(`Error: CODEX_HOME points to ${JSON.stringify(home ?? '')}, but that path does not exist\n`);
    process.exit(1);
  }
}

// ---------- codex login / logout (messages as in cli/src/login.rs; device prompt on stdout) ----------

async function cliLogin(device) {
  const b = behaviour();
  log('login-start', { via: 'cli', kind: device ? 'device' : 'browser' });
  process.on('SIGTERM', () => {
    log('exit', { via: 'cli', signal: 'SIGTERM' });
    process.exit(143);
  });
  if (device) {
    process.stdout.write(
      `Welcome to Codex [v${b.version}]\nOpenAI's command-line coding agent\n\n` +
        'Follow these steps to sign in with ChatGPT using device code authorization:\n\n' +
        '1. Open this link in your browser and sign in to your account\n   \x1b[94mhttps://auth.openai.com/codex/device\x1b[0m\n\n' +
        '2. Enter this one-time code \x1b[90m(expires in 15 minutes)\x1b[0m\n   \x1b[94mFAKE-CODE1\x1b[0m\n\n' +
        'Continue only if you started this login in Codex. If a website or another person gave you this code, cancel.\n',
    );
  } else {
    process.stderr.write(
      'Starting local login server on http://localhost:1455.\nIf your browser did not open, navigate to this URL to authenticate:\n\n' +
        `${authorizeUrl()}\n\nOn a remote or headless machine? Use \`codex login --device-auth\` instead.\n`,
    );
  }
  if (b.login === 'hang') return setInterval(() => {}, 1 << 30);
  await sleep(b.loginDelayMs);
  if (b.login === 'fail') {
    log('login-end', { via: 'cli', success: false });
    process.stderr.write(`Error logging in: ${b.loginError ?? 'the login was denied'}\n`);
    process.exit(1);
  }
  writeLogin(b);
  log('login-end', { via: 'cli', success: true });
  process.stderr.write('Successfully logged in\n');
  process.exit(0);
}

function authorizeUrl() {
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: 'app_EMoamEEZ73f0CkXaXp7hrann',
    redirect_uri: 'http://localhost:1455/auth/callback',
    scope: 'openid profile email offline_access',
    code_challenge: 'fakechallenge',
    code_challenge_method: 'S256',
    state: randomUUID(),
    originator: 'codex_cli_rs',
  });
  return `https://auth.openai.com/oauth/authorize?${q}`;
}

// ---------- codex app-server ----------

const FAKE_MODELS = [
  { slug: 'gpt-5.5', name: 'GPT-5.5', fast: true, isDefault: true },
  { slug: 'gpt-5.4', name: 'GPT-5.4', fast: true },
  { slug: 'gpt-5.4-mini', name: 'GPT-5.4-Mini' },
  { slug: 'gpt-5.3-codex', name: 'GPT-5.3-Codex' },
  { slug: 'codex-auto-review', name: 'Codex Auto Review', hidden: true },
].map((m) => ({
  id: m.slug,
  model: m.slug,
  upgrade: null,
  displayName: m.name,
  description: `${m.name} (fake)`,
  hidden: m.hidden ?? false,
  supportedReasoningEfforts: ['low', 'medium', 'high', 'xhigh'].map((e) => ({ reasoningEffort: e, description: e })),
  defaultReasoningEffort: 'medium',
  inputModalities: ['text', 'image'],
  supportsPersonality: false,
  additionalSpeedTiers: m.fast ? ['fast'] : [],
  serviceTiers: m.fast ? [{ id: 'priority', name: 'Fast', description: '1.5x speed, increased usage' }] : [],
  defaultServiceTier: null,
  isDefault: m.isDefault ?? false,
}));

/** `codex debug models --bundled` output (codex.md §7 ModelInfo fields) for model/list entries. */
function bundledCatalog(models) {
  return {
    models: models.map((m, i) => ({
      slug: m.id,
      display_name: m.displayName,
      description: m.description,
      default_reasoning_level: m.defaultReasoningEffort,
      supported_reasoning_levels: m.supportedReasoningEfforts.map((e) => ({
        effort: e.reasoningEffort,
        description: e.description,
      })),
      visibility: m.hidden ? 'hide' : 'list',
      priority: m.isDefault ? 1 : i + 2,
      service_tiers: m.serviceTiers,
      context_window: 272000,
      input_modalities: m.inputModalities,
      use_responses_lite: false,
    })),
  };
}

function rateLimitSnapshot(planType) {
  return {
    limitId: 'codex',
    limitName: null,
    primary: { usedPercent: 42, windowDurationMins: 300, resetsAt: 1_900_000_000 },
    secondary: { usedPercent: 7, windowDurationMins: 10080, resetsAt: 1_900_100_000 },
    credits: { hasCredits: true, unlimited: false, balance: '9.99' },
    individualLimit: null,
    planType,
    rateLimitReachedType: null,
  };
}

function appServer() {
  const send = (msg) => process.stdout.write(`${JSON.stringify(msg)}\n`);
  const notify = (method, params) => send({ method, params });
  const fail = (id, code, message) => send({ id, error: { code, message } });
  let initialized = false;
  let activeLogin = null; // { loginId, timer }

  log('spawn', {
    via: 'app-server',
    authOverrides: ['CODEX_API_KEY', 'CODEX_ACCESS_TOKEN', 'OPENAI_API_KEY'].filter(
      (k) => process.env[k] !== undefined,
    ),
    caCertificate: process.env.CODEX_CA_CERTIFICATE ?? null,
  });
  if (behaviour().crash === 'startup') {
    process.stderr.write('fake codex: crashed at start-up\n');
    log('exit', { code: 3 });
    process.exit(3);
  }
  const bye = (how) => {
    log('exit', how);
    process.exit(0);
  };
  process.on('SIGTERM', () => bye({ signal: 'SIGTERM' }));

  const endLogin = (success, error) => {
    if (!activeLogin) return;
    const { loginId, timer } = activeLogin;
    clearTimeout(timer);
    activeLogin = null;
    log('login-end', { via: 'app-server', success });
    notify('account/login/completed', { loginId, success, error, onboardingEntrypoint: null });
    if (success) notify('account/updated', { authMode: 'chatgpt', planType: identityOf(readAuth()).planType ?? null });
  };

  const handlers = {
    initialize: () => {
      initialized = true;
      return {
        userAgent: `codex_cli_rs/${behaviour().version} (fake)`,
        codexHome: home,
        platformFamily: 'unix',
        platformOs: 'linux',
      };
    },
    'account/read': async (params) => {
      const b = behaviour();
      let auth = readAuth();
      if (auth?.tokens && params?.refreshToken) {
        log('refresh', { mode: b.refresh });
        if (b.refreshDelayMs) await sleep(b.refreshDelayMs);
        if (b.refresh === 'permanent') return { account: null, userId: null, requiresOpenaiAuth: true };
        if (b.refresh === 'ok') {
          const tokens = makeTokens(
            { ...FAKE_IDENTITY, ...identityOf(auth) },
            { accessTtlSec: b.accessTtlSec, serial: process.pid },
          );
          writeAuthJson(home, { ...tokens, account_id: auth.tokens.account_id });
          auth = readAuth();
        }
      }
      if (!auth?.tokens) return { account: null, userId: null, requiresOpenaiAuth: true };
      const id = identityOf(auth);
      return {
        account: { type: 'chatgpt', email: id.email ?? null, planType: id.planType ?? 'unknown', workspaceName: null },
        userId: id.chatgptUserId ?? null,
        requiresOpenaiAuth: true,
      };
    },
    'account/login/start': (params) => {
      const b = behaviour();
      if (params?.type !== 'chatgpt' && params?.type !== 'chatgptDeviceCode') {
        throw { code: -32600, message: `Invalid request: unknown variant \`${params?.type}\`` };
      }
      if (activeLogin) endLogin(false, 'Login was superseded by a new login');
      const loginId = randomUUID();
      log('login-start', { via: 'app-server', type: params.type, loginId });
      let timer = null;
      if (b.login !== 'hang') {
        timer = setTimeout(() => {
          if (b.login === 'fail') return endLogin(false, b.loginError ?? 'the login was denied');
          writeLogin(b);
          endLogin(true, null);
        }, b.loginDelayMs);
      }
      activeLogin = { loginId, timer };
      return params.type === 'chatgpt'
        ? { type: 'chatgpt', loginId, authUrl: authorizeUrl() }
        : {
            type: 'chatgptDeviceCode',
            loginId,
            verificationUrl: 'https://auth.openai.com/codex/device',
            userCode: 'FAKE-CODE1',
          };
    },
    'account/login/cancel': (params) => {
      log('login-cancel', { loginId: params?.loginId });
      if (!activeLogin || activeLogin.loginId !== params?.loginId) return { status: 'notFound' };
      endLogin(false, 'Login was cancelled');
      return { status: 'canceled' };
    },
    'account/logout': () => {
      log('logout', { via: 'app-server' });
      rmSync(join(home, 'auth.json'), { force: true });
      notify('account/updated', { authMode: null, planType: null });
      return {};
    },
    'account/rateLimits/read': () => {
      const auth = readAuth();
      if (!auth?.tokens) throw { code: -32600, message: 'codex account authentication required to read rate limits' };
      const snap = { ...rateLimitSnapshot(identityOf(auth).planType ?? null), ...behaviour().rateLimits };
      if (behaviour().rateLimitsUpdated) {
        setTimeout(
          () =>
            notify('account/rateLimits/updated', {
              rateLimits: { ...snap, primary: { ...snap.primary, usedPercent: 43 } },
            }),
          10,
        );
      }
      return {
        ordinaryUsageAllowed: true,
        rateLimits: snap,
        rateLimitsByLimitId: { codex: snap },
        rateLimitResetCredits: behaviour().resetCredits ?? null,
        accountId: null,
        rateLimitUpsell: null,
      };
    },
    'model/list': (params) => {
      const b = behaviour();
      const all = (b.models ?? FAKE_MODELS).filter((m) => params?.includeHidden || !m.hidden);
      const start = Number(params?.cursor ?? 0);
      const size = Math.min(params?.limit ?? 100, b.modelPageSize ?? 100);
      const data = all.slice(start, start + size);
      return { data, nextCursor: start + size < all.length ? String(start + size) : null };
    },
  };

  const onMessage = async (msg) => {
    if (msg.id === undefined) return; // notifications (initialized) need no answer
    const b = behaviour();
    log('request', { method: msg.method });
    if (b.crash === msg.method) {
      process.stderr.write(`fake codex: crashed on ${msg.method}\n`);
      log('exit', { code: 3 });
      process.exit(3);
    }
    if ((b.hang ?? []).includes(msg.method)) return;
    const slow = typeof b.slowMs === 'number' ? b.slowMs : (b.slowMs?.[msg.method] ?? 0);
    if (slow) await sleep(slow);
    const handler = handlers[msg.method];
    if (!handler || (b.unsupported ?? []).includes(msg.method)) {
      return fail(msg.id, -32600, `Invalid request: unknown variant \`${msg.method}\`, expected one of \`initialize\``);
    }
    if (!initialized && msg.method !== 'initialize') return fail(msg.id, -32600, 'Not initialized');
    try {
      send({ id: msg.id, result: await handler(msg.params) });
    } catch (err) {
      fail(msg.id, err?.code ?? -32603, err?.message ?? String(err));
    }
  };

  const rl = createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    if (!line.trim()) return;
    let msg;
    try {
      msg = JSON.parse(line);
    } catch {
      return;
    }
    void onMessage(msg);
  });
  rl.on('close', () => bye({ reason: 'stdin closed' }));
}

// ---------- entry ----------

if (args[0] === '--version') {
  process.stdout.write(`codex-cli ${behaviour().version}\n`);
} else if (args[0] === 'app-server') {
  requireHome();
  appServer();
} else if (args[0] === 'debug' && args[1] === 'models' && args.includes('--bundled')) {
  const b = behaviour();
  log('debug-models');
  if (b.debugModels === 'hang') setInterval(() => {}, 1 << 30);
  else if (b.debugModels === 'fail') {
    process.stderr.write('Error: fake codex could not load its catalogue\n');
    process.exit(1);
  } else process.stdout.write(`${JSON.stringify(bundledCatalog(b.models ?? FAKE_MODELS))}\n`);
} else if (args[0] === 'login' && args[1] === 'status') {
  requireHome();
  const ok = Boolean(readAuth()?.tokens);
  process.stderr.write(ok ? 'Logged in using ChatGPT\n' : 'Not logged in\n');
  process.exit(ok ? 0 : 1);
} else if (args[0] === 'login') {
  requireHome();
  await cliLogin(args.includes('--device-auth'));
} else if (args[0] === 'logout') {
  requireHome();
  const had = existsSync(join(home, 'auth.json'));
  rmSync(join(home, 'auth.json'), { force: true });
  log('logout', { via: 'cli' });
  process.stderr.write(had ? 'Successfully logged out\n' : 'Not logged in\n');
} else {
  process.stderr.write(`fake codex: unsupported arguments: ${args.join(' ')}\n`);
  process.exit(2);
}
