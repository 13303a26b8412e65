import { rmSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { until } from '../../helpers/until.js';
import { controlApi } from '../../../src/client/controlApi.js';
import { DaemonClient } from '../../../src/client/daemonClient.js';
import { AUTH_READ_MAX_AGE_MS } from '../../../src/codex/authFile.js';
import { resolvePaths } from '../../../src/shared/paths.js';
import type { UpstreamEvent } from '../../../src/translate/upstreamEvents.js';
import { FAKE_CODEX } from '../../helpers/codexTestKit.js';
import {
  frame,
  RATE_LIMIT_HEADERS,
  sse,
  startFakeCodexBackend,
  usageLimitBody,
  type FakeCodexBackend,
  type RecordedRequest,
} from '../../fakes/codexBackend.js';
import { makeTokens, writeAuthJson } from '../../fakes/fakeCodexAuth.mjs';
import { bridgeClient, makeHome, ok, okJson, spawnCli, type TestHome } from '../../helpers/cli.js';

// Routing and failover through the built daemon: fake codex as control plane, fake Codex backend upstream,
// the official Anthropic SDK as the client. Accounts are told apart upstream by their ChatGPT-Account-ID.

let h: TestHome;
let backend: FakeCodexBackend;
let client: Anthropic;
const ids: Record<'alpha' | 'beta', string> = { alpha: '', beta: '' };

const state = () => new DaemonClient(resolvePaths(h.env)).call(controlApi.state());
const accountOf = (r: RecordedRequest) =>
  r.headers['chatgpt-account-id'] === 'acct-alpha'
    ? 'alpha'
    : r.headers['chatgpt-account-id'] === 'acct-beta'
      ? 'beta'
      : '?';
const served = () => backend.requests.map(accountOf);
const nowS = () => Math.floor(Date.now() / 1000);

type Reply = {
  status?: number;
  json?: unknown;
  events?: UpstreamEvent[];
  headers?: Record<string, string>;
  delayMs?: number;
  dieAfter?: number;
};

/** Answers each upstream request by account. */
function answer(by: Partial<Record<'alpha' | 'beta', Reply | ((req: RecordedRequest) => Reply)>>): void {
  backend.handle((req, res: ServerResponse) => {
    const entry = by[accountOf(req) as 'alpha' | 'beta'];
    const r: Reply =
      typeof entry === 'function' ? entry(req) : (entry ?? { events: sse.response([sse.message('default')]) });
    const headers = { ...RATE_LIMIT_HEADERS, ...r.headers };
    if (r.json !== undefined) {
      res.writeHead(r.status ?? 200, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(r.json));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', ...headers });
    const events = r.events ?? [];
    const send = (from: number) => {
      if (r.dieAfter !== undefined && from >= r.dieAfter) return void res.socket?.destroy();
      if (from >= events.length) return void res.end();
      res.write(frame(events[from]!));
      if (r.delayMs) setTimeout(() => send(from + 1), r.delayMs);
      else send(from + 1);
    };
    send(0);
  });
}

const ask = (session = 'session-1') =>
  client.messages.stream(
    { model: 'ccbridge-sonnet', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] },
    { headers: { 'x-claude-code-session-id': session } },
  );

/** Raw SSE event names of one streamed answer (to check the client saw one clean stream). */
async function rawEvents(session = 'session-1'): Promise<string[]> {
  const stream = ask(session);
  const names: string[] = [];
  stream.on('streamEvent', (e) => names.push(e.type));
  await stream.finalMessage();
  return names;
}

beforeAll(async () => {
  backend = await startFakeCodexBackend();
  // A short ping interval so a 'silent' upstream takes a fraction of a second.
  h = await makeHome({ CCBRIDGE_CODEX_BIN: FAKE_CODEX, CCBRIDGE_UPSTREAM_URL: backend.url, CCBRIDGE_PING_MS: '150' });
  for (const name of ['alpha', 'beta'] as const) {
    ids[name] = ((await okJson(h, ['add', name])) as { id: string }).id;
    writeAuthJson(
      join(h.env.CCBRIDGE_HOME!, 'accounts', ids[name], 'codex-home'),
      makeTokens({ chatgptAccountId: `acct-${name}`, email: `${name}@example.com` }),
    );
  }
  client = await bridgeClient(h);
});

afterAll(async () => {
  await h.cleanup();
  await backend.close();
});

beforeEach(async () => {
  // Cool-downs live in the daemon's memory and usage-limit marks in limits.json: a restart without that
  // file starts every test from healthy accounts.
  await ok(h, ['config', 'set', 'routing', 'failover']);
  await ok(h, ['stop']);
  rmSync(join(h.env.CCBRIDGE_HOME!, 'limits.json'), { force: true });
  await ok(h, ['start']);
  // The reads at start (fake codex: 42 % each) are in before the first request, so routing starts from a tie.
  const deadline = Date.now() + 5000;
  while (!(await state()).accounts.every((a) => a.limits?.source === 'app-server') && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 20));
  backend.requests.length = 0;
});

describe('failover before the first byte', () => {
  it('a 429 usage_limit_reached on the active account goes to the next one; the client sees one clean stream', async () => {
    answer({
      alpha: { status: 429, json: usageLimitBody(nowS() + 3600) },
      beta: { events: sse.response([sse.message(['hello ', 'from beta'])]) },
    });
    const names = await rawEvents();
    expect(names.filter((n) => n === 'message_start')).toHaveLength(1);
    expect(names.at(-1)).toBe('message_stop');
    expect(served()).toEqual(['alpha', 'beta']);
    expect(await ask().finalText()).toBe('hello from beta');
    // alpha stays out of rotation until its reset: the second request went straight to beta.
    expect(served()).toEqual(['alpha', 'beta', 'beta']);

    const view = await state();
    expect(view.routeAccountId).toBe(ids.beta);
    expect(view.routeReason).toMatch(/^alpha is out of quota until (\w{3} )?\d\d:\d\d \(usage limit reached\)$/);
    expect(view.accounts.find((a) => a.id === ids.alpha)!.health).toMatchObject({
      state: 'exhausted',
      reason: 'usage limit reached',
    });
    // New sessions follow the moved route: one event for the move, not one per request.
    await ask('session-2').finalMessage();
    await ask('session-3').finalMessage();
    const { events } = await new DaemonClient(resolvePaths(h.env)).call(controlApi.events(50));
    expect(events).toContainEqual(
      expect.objectContaining({
        category: 'proxy',
        message: expect.stringContaining('failover from alpha to beta'),
        data: expect.objectContaining({ from: ids.alpha, to: ids.beta }),
      }),
    );
    expect(
      events.filter((e) => e.message.startsWith('routing moved from alpha to beta: alpha is out of quota')),
    ).toHaveLength(1);

    const status = await okJson(h, ['status']);
    expect(status).toMatchObject({
      activeAccount: 'alpha',
      routeAccount: 'beta',
      routeReason: expect.stringMatching(/^alpha is out of quota/),
    });
    expect(await ok(h, ['status'])).toMatch(
      /routing to: +beta \(alpha is out of quota until .+\(usage limit reached\)\)/,
    );
    const limits = await ok(h, ['limits']);
    expect(limits).toContain('requests go to beta (alpha is out of quota until');
    expect(limits).toMatch(/alpha · active · pro[^\n]*\n {2}out of quota until/);
  });

  it('after the reset, requests go back to the active account, and that switch is an event too', async () => {
    const resetS = nowS() + 2;
    answer({ alpha: { status: 429, json: usageLimitBody(resetS) } });
    await ask('s-before').finalMessage();
    await ask('s-during').finalMessage();
    expect(served()).toEqual(['alpha', 'beta', 'beta']);
    await new Promise((r) => setTimeout(r, resetS * 1000 + 100 - Date.now()));
    // The daemon sees the reset on its own clock: bounded, it routes to alpha again.
    await until(async () => (await state()).routeAccountId === ids.alpha, 5000, 'the route back to alpha');
    answer({});
    await ask('s-after').finalMessage();
    expect(served()).toEqual(['alpha', 'beta', 'beta', 'alpha']);
    const { events } = await new DaemonClient(resolvePaths(h.env)).call(controlApi.events(50));
    const moves = events
      .filter((e) => e.category === 'proxy' && e.message.startsWith('routing moved'))
      .map((e) => e.message);
    expect(moves.slice(-2)).toEqual([
      expect.stringMatching(/^routing moved from alpha to beta: alpha is out of quota/),
      'routing moved from beta to alpha: back to the active account alpha',
    ]);
  });

  it('a usage-limit mark survives a daemon restart: the account gets no request until its reset', async () => {
    answer({ alpha: { status: 429, json: usageLimitBody(nowS() + 3600) } });
    await ask().finalMessage();
    expect(served()).toEqual(['alpha', 'beta']);
    await ok(h, ['restart']);
    await ask('session-2').finalMessage();
    expect(served()).toEqual(['alpha', 'beta', 'beta']);
    expect((await state()).accounts.find((a) => a.id === ids.alpha)!.health).toMatchObject({
      state: 'exhausted',
      reason: 'usage limit reached',
    });
  });

  it('a 401 that a token refresh does not fix: failover, and the account is needs-login until a new login', async () => {
    answer({ alpha: { status: 401, json: { error: { message: 'token revoked' } } } });
    expect(await ask().finalText()).toBe('default');
    // alpha: the 401, then the retry with the token codex just refreshed; then beta serves.
    expect(served()).toEqual(['alpha', 'alpha', 'beta']);
    const alpha = () => state().then((v) => v.accounts.find((a) => a.id === ids.alpha)!);
    expect(await alpha()).toMatchObject({ needsLogin: true, auth: { state: 'needs-login' } });
    const { events } = await new DaemonClient(resolvePaths(h.env)).call(controlApi.events(50));
    expect(events).toContainEqual(
      expect.objectContaining({
        category: 'oauth',
        level: 'error',
        accountId: ids.alpha,
        message: expect.stringContaining('`ccbridge connect alpha`'),
      }),
    );
    await ask('session-2').finalMessage();
    expect(served()).toEqual(['alpha', 'alpha', 'beta', 'beta']);

    // A new codex login (auth.json rewritten) puts it back in rotation.
    writeAuthJson(
      join(h.env.CCBRIDGE_HOME!, 'accounts', ids.alpha, 'codex-home'),
      makeTokens({ chatgptAccountId: 'acct-alpha', email: 'alpha@example.com' }),
    );
    const deadline = Date.now() + 8000;
    while ((await alpha()).needsLogin && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await alpha()).toMatchObject({ needsLogin: false, auth: { state: 'connected' } });
  });

  it('an account whose token cannot be refreshed any more fails over to the next one before anything is sent', async () => {
    const home = join(h.env.CCBRIDGE_HOME!, 'accounts', ids.alpha, 'codex-home');
    writeAuthJson(
      home,
      makeTokens({ chatgptAccountId: 'acct-alpha', email: 'alpha@example.com' }, { accessTtlSec: -60 }),
    );
    writeFileSync(join(home, 'fake-codex.json'), JSON.stringify({ refresh: 'permanent' }));
    // The daemon goes by a read of auth.json up to AUTH_READ_MAX_AGE_MS old, and the last test used alpha.
    await new Promise((r) => setTimeout(r, AUTH_READ_MAX_AGE_MS + 50));
    try {
      answer({ beta: { events: sse.response([sse.message('from beta')]) } });
      expect(await ask().finalText()).toBe('from beta');
      expect(served()).toEqual(['beta']); // alpha never reached the backend
      expect((await state()).accounts.find((a) => a.id === ids.alpha)).toMatchObject({ needsLogin: true });
    } finally {
      // A new login puts alpha back in rotation for the tests after this one.
      rmSync(join(home, 'fake-codex.json'));
      writeAuthJson(home, makeTokens({ chatgptAccountId: 'acct-alpha', email: 'alpha@example.com' }));
      const deadline = Date.now() + 8000;
      while ((await state()).accounts.find((a) => a.id === ids.alpha)!.needsLogin && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
    }
  });

  it('an in-stream response.failed overload before any output fails over, and cools the account down', async () => {
    answer({
      alpha: { events: sse.failed('server_is_overloaded', 'try later') },
      beta: { events: sse.response([sse.message('from beta')]) },
    });
    expect(await ask().finalText()).toBe('from beta');
    expect(served()).toEqual(['alpha', 'beta']);
    const alpha = (await state()).accounts.find((a) => a.id === ids.alpha)!;
    expect(alpha.health).toMatchObject({ state: 'cooldown', reason: 'overloaded' });
    expect(Date.parse(alpha.health.until!) - Date.now()).toBeGreaterThan(50_000);
  });

  it('never fails over once bytes went to the client: a later failure is an SSE error', async () => {
    // One event per write: the first output commits the stream before the failure arrives.
    const partial = sse.response([sse.message(['one ', 'two ', 'three'])]).slice(0, 5);
    answer({
      alpha: { events: [...partial, ...sse.failed('server_is_overloaded', 'gone').slice(1)], delayMs: 20 },
      beta: { events: sse.response([sse.message('beta')]) },
    });
    const stream = ask();
    const names: string[] = [];
    stream.on('streamEvent', (e) => names.push(e.type));
    await expect(stream.finalMessage()).rejects.toThrow(/overloaded/);
    expect(names[0]).toBe('message_start');
    expect(served()).toEqual(['alpha']);
  });

  it('a silent upstream gets 200 and pings; an overload before output still fails over', async () => {
    const created = sse.failed('x', 'y')[0]!;
    answer({
      alpha: {
        events: [
          created,
          { type: 'response.failed', response: { error: { code: 'server_is_overloaded', message: 'busy' } } },
        ],
        delayMs: 500,
      },
      beta: { events: sse.response([sse.message('after the pings')]) },
    });
    const res = await fetch(`http://127.0.0.1:${h.port}/anthropic/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': (await ok(h, ['token'])).trim(), 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'ccbridge-sonnet',
        max_tokens: 50,
        stream: true,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    const names = [...text.matchAll(/^event: (\S+)$/gm)].map((m) => m[1]);
    const start = names.indexOf('message_start');
    expect(start).toBeGreaterThanOrEqual(2);
    expect(names.slice(0, start).every((n) => n === 'ping')).toBe(true);
    expect(names.at(-1)).toBe('message_stop');
    expect(text).toContain('after the pings');
    expect(served()).toEqual(['alpha', 'beta']);
  });

  it('a 400 the request caused is not retried elsewhere', async () => {
    answer({ alpha: { status: 400, json: { error: { message: 'bad input', type: 'invalid_request_error' } } } });
    await expect(ask().finalMessage()).rejects.toMatchObject({ status: 400 });
    expect(served()).toEqual(['alpha']);
  });
});

describe('all accounts exhausted', () => {
  it('answers 429 rate_limit_error with retry-after = the earliest reset, naming that account and time', async () => {
    const t = nowS();
    answer({
      alpha: { status: 429, json: usageLimitBody(t + 7200) },
      beta: { status: 429, json: usageLimitBody(t + 1800) },
    });
    const err = (await ask()
      .finalMessage()
      .catch((e: unknown) => e)) as InstanceType<typeof Anthropic.RateLimitError>;
    expect(err).toBeInstanceOf(Anthropic.RateLimitError);
    expect(err.status).toBe(429);
    const retryAfter = Number(err.headers?.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(1790);
    expect(retryAfter).toBeLessThanOrEqual(1800);
    expect(err.message).toMatch(
      /all 2 connected accounts are out of Codex quota; the first to reset is beta at (\w{3} )?\d\d:\d\d \(in (29|30)m \d+s; usage limit reached\)/,
    );
    expect(served()).toEqual(['alpha', 'beta']);
    // The next request is refused without touching the backend.
    await expect(ask().finalMessage()).rejects.toMatchObject({ status: 429 });
    expect(served()).toEqual(['alpha', 'beta']);
  });
});

describe('manual routing', () => {
  it('never switches, even when the active account is out of quota', async () => {
    await ok(h, ['config', 'set', 'routing', 'manual']);
    answer({
      alpha: { status: 429, json: usageLimitBody(nowS() + 600) },
      beta: { events: sse.response([sse.message('beta')]) },
    });
    await expect(ask().finalMessage()).rejects.toMatchObject({ status: 429 });
    await expect(ask().finalMessage()).rejects.toMatchObject({ status: 429 });
    expect(served()).toEqual(['alpha', 'alpha']);
    expect((await state()).routeAccountId).toBe(ids.alpha);
  });
});

describe('sticky sessions', () => {
  it('keep a session on its account while a new session goes where capacity is (balance)', async () => {
    await ok(h, ['config', 'set', 'routing', 'balance']);
    let alphaUsed = '10';
    const reply = (name: string, used: () => string) => () => ({
      events: sse.response([sse.message(name)]),
      headers: { 'x-codex-primary-used-percent': used() },
    });
    answer({ alpha: reply('alpha', () => alphaUsed), beta: reply('beta', () => '50') });
    // Fresh reads show both at the fake codex's 42%: the tie goes to the active account.
    expect(await ask('s-one').finalText()).toBe('alpha');
    // alpha's answer said 10% used; beta has not answered yet (42%): a new session still picks alpha.
    alphaUsed = '80';
    expect(await ask('s-one').finalText()).toBe('alpha');
    // alpha now reports 80%: a new session goes to beta, the old one stays on alpha.
    expect(await ask('s-two').finalText()).toBe('beta');
    expect(await ask('s-one').finalText()).toBe('alpha');
    expect(await ask('s-two').finalText()).toBe('beta');
    expect(served()).toEqual(['alpha', 'alpha', 'beta', 'alpha', 'beta']);
  });

  it('a session moved off an exhausted account stays on its fallback (failover)', async () => {
    answer({
      alpha: { status: 429, json: usageLimitBody(nowS() + 600) },
      beta: { events: sse.response([sse.message('beta')]) },
    });
    expect(await ask('s-three').finalText()).toBe('beta');
    expect(await ask('s-three').finalText()).toBe('beta');
    expect(served()).toEqual(['alpha', 'beta', 'beta']);
  });
});

describe('ccbridge limits', () => {
  it('shows each account’s buckets from the last responses and --json for scripts', async () => {
    answer({
      alpha: {
        events: sse.response([sse.message('a')]),
        headers: { 'x-codex-primary-used-percent': '64', 'x-codex-secondary-used-percent': '12' },
      },
    });
    await ask().finalMessage();
    const text = await ok(h, ['limits', 'alpha']);
    expect(text).toContain('routing failover · requests go to alpha');
    expect(text).toMatch(/alpha · active · pro · from responses just now\n {2}codex +5h +█+░+ +64% {2}resets /);
    expect(text).toMatch(/weekly +█+░+ +12%/);
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    // beta has banked reset credits, reported as codex 0.169 does; for alpha codex could not tell (null).
    const betaBehaviour = join(h.env.CCBRIDGE_HOME!, 'accounts', ids.beta, 'codex-home', 'fake-codex.json');
    const credit = { id: 'rc_1', resetType: 'codexRateLimits', status: 'available', grantedAt: nowS() - 86400 };
    writeFileSync(
      betaBehaviour,
      JSON.stringify({
        resetCredits: { availableCount: 2, credits: [{ ...credit, expiresAt: null, title: null, description: null }] },
      }),
    );
    const json = await okJson(h, ['limits', '--refresh']).finally(() => rmSync(betaBehaviour));
    expect(json.accounts.map((a: { name: string }) => a.name)).toEqual(['alpha', 'beta']);
    expect(json.accounts.map((a: { resetCredits: number | null }) => a.resetCredits)).toEqual([null, 2]);
    expect(await ok(h, ['limits', 'beta'])).toMatch(
      /\n {2}banked +2 rate-limit reset credits \(ccbridge never spends them\)\n/,
    );
    // --refresh read both through the fake codex (42 % / 7 %, credits 9.99).
    expect(json.accounts[1]).toMatchObject({
      source: 'app-server',
      plan: 'pro',
      stale: false,
      credits: { balance: '9.99' },
      buckets: [
        {
          limitId: 'codex',
          windows: [
            { window: '5h', usedPercent: 42 },
            { window: 'weekly', usedPercent: 7 },
          ],
        },
      ],
    });
  });

  it('--watch --json prints a report per state change until stopped', async () => {
    const child = spawnCli(h, ['limits', 'alpha', '--watch', '--json']);
    const lines: string[] = [];
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const parts = buf.split('\n');
      buf = parts.pop()!;
      lines.push(...parts.filter(Boolean));
    });
    const used = () => lines.map((l) => JSON.parse(l).accounts[0].buckets[0]?.windows[0]?.usedPercent);
    try {
      await until(() => lines.length >= 1);
      answer({
        alpha: { events: sse.response([sse.message('a')]), headers: { 'x-codex-primary-used-percent': '77' } },
      });
      await ask().finalMessage();
      await until(() => used().includes(77));
      expect(JSON.parse(lines.at(-1)!).accounts.map((a: { name: string }) => a.name)).toEqual(['alpha']);
    } finally {
      child.kill('SIGINT');
    }
    expect(await new Promise((resolve) => child.once('exit', (code) => resolve(code)))).toBe(0);
  });
});

describe('routing drain', () => {
  const behave = (name: 'alpha' | 'beta', b: Record<string, unknown> | null) => {
    const file = join(h.env.CCBRIDGE_HOME!, 'accounts', ids[name], 'codex-home', 'fake-codex.json');
    if (b) writeFileSync(file, JSON.stringify(b));
    else rmSync(file, { force: true });
  };
  const window = (usedPercent: number, resetsAt: number) => ({
    primary: { usedPercent, windowDurationMins: 300, resetsAt },
  });
  const limitHeaders = (used: number, resetAt: number) => ({
    'x-codex-primary-used-percent': String(used),
    'x-codex-primary-reset-at': String(resetAt),
  });

  it('spends the account that resets first, and moves a session off it before it runs out', async () => {
    const alphaReset = nowS() + 3 * 3600;
    const betaReset = nowS() + 3600;
    behave('alpha', { rateLimits: window(10, alphaReset) });
    behave('beta', { rateLimits: window(50, betaReset) });
    try {
      await ok(h, ['config', 'set', 'routing', 'drain']);
      await ok(h, ['limits', '--refresh']);
      // beta climbs 1.5 % per answer from 90 % and would refuse with a 429 at 100 %.
      let betaUsed = 88.5;
      answer({
        alpha: { events: sse.response([sse.message('alpha')]), headers: limitHeaders(10, alphaReset) },
        beta: () => {
          betaUsed += 1.5;
          return betaUsed >= 100
            ? { status: 429, json: usageLimitBody(betaReset), headers: limitHeaders(100, betaReset) }
            : { events: sse.response([sse.message('beta')]), headers: limitHeaders(betaUsed, betaReset) };
        },
      });
      // alpha is active, but beta's quota resets two hours sooner: new sessions go there first.
      expect(await ask('drain-1').finalText()).toBe('beta');
      // The session stays on beta until the forecast (five rises over ten seconds) says it runs out within minutes.
      for (let i = 0; i < 9 && served().at(-1) !== 'alpha'; i++) {
        await new Promise((r) => setTimeout(r, 2100));
        await ask('drain-1').finalMessage();
      }
      const betaServed = served().filter((s) => s === 'beta').length;
      expect(served()).toEqual([...Array(betaServed).fill('beta'), 'alpha']);
      expect(betaUsed).toBeLessThan(100); // moved before beta refused anything
      const { events } = await new DaemonClient(resolvePaths(h.env)).call(controlApi.events(50));
      expect(events.map((e) => e.message)).toContainEqual(
        expect.stringMatching(
          /^routing a session moved from beta to alpha: beta runs out at (\w{3} )?\d\d:\d\d at this pace$/,
        ),
      );
      const beta = (await state()).accounts.find((a) => a.id === ids.beta)!;
      expect(beta.limits?.forecasts).toEqual([expect.objectContaining({ limitId: 'codex', slot: 'primary' })]);
      // limits shows it: a line under the window, and forecast.exhaustsAt in --json (null where flat).
      const report = await okJson(h, ['limits', 'beta']);
      const [primary, secondary] = report.accounts[0].buckets[0].windows;
      expect(primary.forecast.exhaustsAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(secondary.forecast).toEqual({ exhaustsAt: null });
      expect(await ok(h, ['limits', 'beta'])).toMatch(/\n +at this pace: out at (\w{3} )?\d\d:\d\d \(in \d+(m|s)/);
    } finally {
      behave('alpha', null);
      behave('beta', null);
    }
  }, 30_000);
});
