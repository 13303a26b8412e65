import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  frame,
  RATE_LIMIT_HEADERS,
  sse,
  type FakeCodexBackend,
  type RecordedRequest,
} from '../../fakes/codexBackend.js';
import { peerBin } from '../../peers/testPeers.mjs';
import { ok, okJson, run, type TestHome } from '../../helpers/cli.js';
import { addConnectedAccount, realClaudeHome } from '../../helpers/realClaudeHome.js';
import type { UpstreamEvent } from '../../../src/translate/upstreamEvents.js';

// The real Claude Code CLI (2.1.332) run by `ccbridge claude`, through the built daemon's bridge, against the
// fake Codex backend: the whole product path a user takes, with only the remote backend faked.

const CLAUDE = peerBin('claude');
let h: TestHome;
let backend: FakeCodexBackend;

type Body = {
  model: string;
  input: Array<Record<string, unknown>>;
  tools: Array<{ name: string }>;
};
const bodyOf = (r: RecordedRequest) => r.body as Body;
/** The last user-visible text of a request, to tell Claude Code's background calls from the turn. */
const lastUserText = (b: Body) =>
  JSON.stringify(b.input.filter((i) => i.type === 'message' && i.role === 'user').at(-1) ?? {});

function reply(res: ServerResponse, events: UpstreamEvent[]): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', ...RATE_LIMIT_HEADERS });
  res.end(events.map(frame).join(''));
}

beforeAll(async () => {
  ({ h, backend } = await realClaudeHome(CLAUDE));
  await addConnectedAccount(h, 'work', 'gpt-5.4', { chatgptAccountId: 'acct-work', email: 'work@example.com' });
  // A second, connected account that is neither active nor default: only a pin sends requests to it.
  await addConnectedAccount(h, 'personal', 'gpt-5.5', { chatgptAccountId: 'acct-personal', email: 'me@example.com' });
}, 60_000);

afterAll(async () => {
  await h.cleanup();
  await backend.close();
});

describe('real Claude Code through ccbridge', () => {
  it('answers a text turn (claude -p … --output-format json)', async () => {
    backend.requests.length = 0;
    backend.handle((req, res) => {
      const b = bodyOf(req);
      reply(
        res,
        sse.response([sse.message(lastUserText(b).includes('capital of France') ? 'Paris, says codex.' : 'ok')], {
          model: b.model,
        }),
      );
    });
    const r = await run(h, ['claude', '-p', 'What is the capital of France?', '--output-format', 'json'], {
      timeoutMs: 90_000,
    });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ type: 'result', is_error: false, result: 'Paris, says codex.' });

    const turn = backend.requests.find((q) => lastUserText(bodyOf(q)).includes('capital of France'))!;
    expect(turn).toBeTruthy();
    expect(turn.headers['chatgpt-account-id']).toBe('acct-work');
    expect(turn.headers.authorization).toMatch(/^Bearer ey/);
    const body = bodyOf(turn);
    expect(body.model).toBe('gpt-5.4'); // the tier alias resolved to the account's model
    expect(body).toMatchObject({ stream: true, store: false });
    // No instructions field: Claude Code's system prompt is the first developer message, as codex 0.169 sends it.
    expect(body).not.toHaveProperty('instructions');
    expect(body.input[0]).toMatchObject({ type: 'message', role: 'developer' });
    expect(JSON.stringify(body)).not.toContain('x-anthropic-billing-header');
    expect(body.tools.length).toBeGreaterThan(3); // Claude Code's tools, translated
  }, 120_000);

  it('runs a tool round trip: the backend asks for Bash, Claude Code runs it and sends the result back', async () => {
    backend.requests.length = 0;
    backend.handle((req, res) => {
      const b = bodyOf(req);
      const output = b.input.find((i) => i.type === 'function_call_output');
      if (output)
        return reply(
          res,
          sse.response([
            sse.message(
              `The command printed: ${String(JSON.stringify(output.output)).includes('ccbridge-tool-ok') ? 'ccbridge-tool-ok' : '??'}`,
            ),
          ]),
        );
      if (lastUserText(b).includes('run the echo')) {
        return reply(
          res,
          sse.response([
            sse.functionCall('Bash', { command: 'echo ccbridge-tool-ok', description: 'Print a marker' }, 'call_echo1'),
          ]),
        );
      }
      reply(res, sse.response([sse.message('ok')]));
    });
    const r = await run(
      h,
      ['claude', '-p', 'Please run the echo command.', '--output-format', 'json', '--allowedTools', 'Bash'],
      { timeoutMs: 90_000 },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ is_error: false, result: 'The command printed: ccbridge-tool-ok' });
    const second = backend.requests.find((q) => bodyOf(q).input.some((i) => i.type === 'function_call_output'))!;
    const items = bodyOf(second).input;
    const call = items.find((i) => i.type === 'function_call')!;
    const result = items.find((i) => i.type === 'function_call_output')!;
    expect(call).toMatchObject({ name: 'Bash', call_id: 'call_echo1' });
    expect(JSON.parse(call.arguments as string)).toMatchObject({ command: 'echo ccbridge-tool-ok' });
    expect(result.call_id).toBe('call_echo1');
    expect(JSON.stringify(result.output)).toContain('ccbridge-tool-ok');
  }, 120_000);

  it('uses the settings written by apply-claude when run as plain `claude`', async () => {
    await ok(h, ['apply-claude']);
    backend.handle((req, res) =>
      reply(res, sse.response([sse.message(lastUserText(bodyOf(req)).includes('ping') ? 'pong' : 'ok')])),
    );
    const r = await new Promise<{ code: number | null; stdout: string }>((done) => {
      import('node:child_process').then(({ execFile }) => {
        const env = { ...h.env };
        delete env.ANTHROPIC_BASE_URL;
        execFile(
          CLAUDE,
          ['-p', 'ping', '--output-format', 'json'],
          { env, timeout: 90_000, cwd: h.dir },
          (err, stdout) => done({ code: err ? 1 : 0, stdout }),
        );
      });
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ result: 'pong' });
  }, 120_000);

  it('`ccbridge claude --account personal` pins every request of that session to the other account', async () => {
    backend.requests.length = 0;
    backend.handle((req, res) =>
      reply(res, sse.response([sse.message(lastUserText(bodyOf(req)).includes('who') ? 'personal here' : 'ok')])),
    );
    const r = await run(h, ['claude', '--account', 'personal', '-p', 'who answers?', '--output-format', 'json'], {
      timeoutMs: 90_000,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ result: 'personal here' });
    expect(backend.requests.length).toBeGreaterThan(0);
    expect(new Set(backend.requests.map((q) => q.headers['chatgpt-account-id']))).toEqual(new Set(['acct-personal']));
    expect(bodyOf(backend.requests.find((q) => lastUserText(bodyOf(q)).includes('who'))!).model).toBe('gpt-5.5');
    // The pin is per session: the active account is still work.
    expect((await okJson(h, ['status'])).activeAccount).toBe('work');
  }, 120_000);

  it('`ccbridge test --claude` makes a real round trip through the bridge, step by step, pinned on request', async () => {
    backend.requests.length = 0;
    backend.handle((req, res) => reply(res, sse.response([sse.message('OK')], { model: bodyOf(req).model })));
    const result = await okJson(h, ['test', '--claude']);
    expect(result).toMatchObject({ ok: true, model: 'ccbridge-opus' });
    expect(result.steps.map((s: { name: string; status: string }) => [s.name, s.status])).toEqual([
      ['settings file', 'ok'],
      ['bridge health', 'ok'],
      ['messages', 'ok'],
    ]);
    expect(result.steps[2].detail).toMatch(/^ccbridge-opus replied "OK", \d+ in \/ \d+ out tokens$/);
    expect(backend.requests.map((q) => q.headers['chatgpt-account-id'])).toEqual(['acct-work']);
    expect(bodyOf(backend.requests[0]!).model).toBe('gpt-5.4');

    const human = await ok(h, ['test', '--claude', '--account', 'personal']);
    expect(human).toMatch(/^ok +messages +\d+ ms +ccbridge-opus replied "OK"/m);
    expect(backend.requests.at(-1)!.headers['chatgpt-account-id']).toBe('acct-personal');
    expect(bodyOf(backend.requests.at(-1)!).model).toBe('gpt-5.5');
  }, 60_000);
});
