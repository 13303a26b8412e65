import { mkdtempSync, rmSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frame, RATE_LIMIT_HEADERS, sse, type RecordedRequest } from '../../fakes/codexBackend.js';
import { peerBin } from '../../peers/testPeers.mjs';
import { startBridge, TOKEN, type BridgeHarness } from '../../helpers/bridgeHarness.js';

// The real Claude Code CLI (2.1.332, the pinned test peer) talking to the bridge app in this process,
// with the fake Codex backend behind it.

const CLAUDE = peerBin('claude');
let h: BridgeHarness;
let home: string;

beforeAll(async () => {
  h = await startBridge();
  home = mkdtempSync(join(tmpdir(), 'ccb-claude-'));
});
afterAll(async () => {
  await h.close();
  rmSync(home, { recursive: true, force: true });
});

async function claude(
  prompt: string,
  extra: string[] = [],
  moreEnv: Record<string, string> = {},
): Promise<{ result: string; is_error: boolean; num_turns: number }> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    HOME: home,
    ANTHROPIC_BASE_URL: h.baseUrl,
    ANTHROPIC_AUTH_TOKEN: TOKEN,
    ANTHROPIC_API_KEY: undefined,
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    CLAUDE_CODE_MAX_RETRIES: '2',
    ...moreEnv,
  };
  const run = await execa(CLAUDE, ['-p', prompt, '--output-format', 'json', ...extra], {
    env,
    extendEnv: false,
    cwd: home,
    timeout: 90_000,
    stdin: 'ignore',
  });
  return JSON.parse(run.stdout);
}

function reply(res: ServerResponse, events: ReturnType<typeof sse.response>): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', ...RATE_LIMIT_HEADERS });
  res.end(events.map(frame).join(''));
}

const outputsOf = (r: RecordedRequest): string[] =>
  (r.body?.input ?? [])
    .filter((i: { type: string }) => i.type === 'function_call_output')
    .map((i: { output: unknown }) => JSON.stringify(i.output));

describe('the real Claude Code CLI through the bridge', () => {
  it('answers a text turn', async () => {
    h.backend.handle((_req, res) =>
      reply(
        res,
        sse.response([sse.reasoning(['thinking it over'], 'gAAAA-cc'), sse.message(['Hello from ', 'Codex!'])]),
      ),
    );
    const out = await claude('say hello');
    expect(out).toMatchObject({ is_error: false, result: 'Hello from Codex!' });
    const req = h.backend.requests.find((r) => r.path.endsWith('/responses'))!;
    expect(req.body).not.toHaveProperty('instructions');
    expect(req.body.input[0]).toMatchObject({ type: 'message', role: 'developer' });
    expect(JSON.stringify(req.body)).not.toContain('x-anthropic-billing-header');
    expect(req.headers['session-id']).toMatch(/^[0-9a-f-]{36}$/);
  }, 120_000);

  it('runs a Bash tool round trip: the backend asks for Bash, Claude runs it, the output goes back upstream', async () => {
    h.backend.requests.length = 0;
    h.backend.handle((req, res) => {
      const done = outputsOf(req).find((o) => o.includes('ccbridge-tool-ok'));
      if (done) reply(res, sse.response([sse.message('The command printed ccbridge-tool-ok.')], { id: 'resp_final' }));
      else
        reply(
          res,
          sse.response(
            [
              sse.functionCall(
                'Bash',
                { command: 'echo ccbridge-tool-ok', description: 'Print a marker' },
                'call_bash_1',
              ),
            ],
            { id: 'resp_tool' },
          ),
        );
    });
    const out = await claude('run the marker command', ['--allowedTools', 'Bash']);
    expect(out.is_error).toBe(false);
    expect(out.result).toBe('The command printed ccbridge-tool-ok.');
    const followUp = h.backend.requests.find((r) => outputsOf(r).some((o) => o.includes('ccbridge-tool-ok')))!;
    expect(followUp).toBeDefined();
    const call = followUp.body.input.find((i: { type: string }) => i.type === 'function_call');
    expect(call).toMatchObject({ type: 'function_call', name: 'Bash', call_id: 'call_bash_1' });
    expect(JSON.parse(call.arguments)).toEqual({ command: 'echo ccbridge-tool-ok', description: 'Print a marker' });
  }, 120_000);

  it('a subagent is its own upstream thread of the session (13.6): own thread, window and cache key', async () => {
    h.backend.requests.length = 0;
    h.backend.handle((req, res) => {
      if (req.headers['x-openai-subagent']) return reply(res, sse.response([sse.message('Subagent says hi.')]));
      // The Agent tool answers at once (the agent runs in the background); its report comes in a later request.
      const input = JSON.stringify(req.body.input);
      if (input.includes('Subagent says hi'))
        return reply(res, sse.response([sse.message('The helper said hi.')], { id: 'resp_final' }));
      if (input.includes('call_agent_1')) return reply(res, sse.response([sse.message('Waiting for the helper.')]));
      const task = { description: 'say hi', prompt: 'Say hi.', subagent_type: 'general-purpose' };
      reply(res, sse.response([sse.functionCall('Agent', task, 'call_agent_1')]));
    });
    const out = await claude('ask a helper agent to say hi', ['--allowedTools', 'Agent']);
    expect(out.is_error).toBe(false);
    const turns = h.backend.requests.filter((r) => r.body.tools?.some((t: { name?: string }) => t.name === 'Agent'));
    const main = turns.find((r) => !r.headers['x-openai-subagent'])!;
    const sub = h.backend.requests.find((r) => r.headers['x-openai-subagent'])!;
    expect(sub).toBeDefined();
    const session = main.headers['session-id'];
    const thread = sub.headers['thread-id'] as string;
    expect(main.headers['thread-id']).toBe(session);
    expect(thread).toMatch(/^[0-9a-f-]{36}$/);
    expect(thread).not.toBe(session);
    expect(sub.headers).toMatchObject({
      'session-id': session,
      'x-client-request-id': thread,
      'x-codex-window-id': `${thread}:0`,
      'x-codex-parent-thread-id': session,
      'x-openai-subagent': 'collab_spawn',
    });
    expect(sub.body.prompt_cache_key).toBe(thread);
    expect(main.body.prompt_cache_key).toBe(session);
    expect(JSON.parse(sub.headers['x-codex-turn-metadata'] as string)).toMatchObject({
      session_id: session,
      thread_id: thread,
      parent_thread_id: session,
    });
  }, 120_000);

  it('WebSearch keeps its sources: the side call thinks least, and the links reach the main loop', async () => {
    h.backend.requests.length = 0;
    const cites = [
      { url: 'https://example.test/release', title: 'ccbridge release notes', cited: 'ccbridge 1.0 shipped' },
      { url: 'https://example.test/codex', title: 'Codex backend', cited: 'runs on Codex' },
    ];
    h.backend.handle((req, res) => {
      const tools: { type: string }[] = req.body.tools ?? [];
      if (tools.some((t) => t.type === 'web_search'))
        reply(
          res,
          sse.response([
            sse.webSearch('ccbridge news', 'ws_cc1'),
            sse.message(['ccbridge 1.0 shipped', ' and runs on Codex.'], 'msg_ws', cites),
          ]),
        );
      else if (outputsOf(req).some((o) => o.includes('Web search results')))
        reply(res, sse.response([sse.message('Found it.')], { id: 'resp_final' }));
      else reply(res, sse.response([sse.functionCall('WebSearch', { query: 'ccbridge news' }, 'call_ws1')]));
    });
    // WebSearch is a deferred tool behind ToolSearch by default; this makes it a plain tool for the test.
    const out = await claude('search the web for ccbridge news', ['--allowedTools', 'WebSearch'], {
      ENABLE_TOOL_SEARCH: 'false',
      CLAUDE_CODE_EFFORT_LEVEL: 'xhigh',
    });
    expect(out).toMatchObject({ is_error: false, result: 'Found it.' });
    const side = h.backend.requests.find((r) => r.body.tools?.some((t: { type: string }) => t.type === 'web_search'))!;
    // Claude Code sends no thinking (but the session's effort) on this side call: the least reasoning.
    expect(side.body.reasoning).toEqual({ effort: 'low' });
    // Its main loop asks for adaptive thinking, display omitted, the effort set: that effort 1:1, no summaries.
    const main = h.backend.requests.find((r) => r.body.tools?.some((t: { name?: string }) => t.name === 'WebSearch'))!;
    expect(main.body.reasoning).toEqual({ effort: 'xhigh' });
    const result = h.backend.requests.flatMap(outputsOf).find((o) => o.includes('Web search results'))!;
    expect(result).toContain('https://example.test/release');
    expect(result).toContain('ccbridge release notes');
    expect(result).toContain('https://example.test/codex');
    expect(result).not.toContain('No links found');
  }, 120_000);

  it('an MCP tool whose schema the backend would refuse (array without items) is cleaned, and the call goes through', async () => {
    h.backend.requests.length = 0;
    h.backend.handle((req, res) => {
      if (outputsOf(req).some((o) => o.includes('labels set')))
        reply(res, sse.response([sse.message('Labelled.')], { id: 'resp_final' }));
      else reply(res, sse.response([sse.functionCall('mcp__labels__set_labels', { labels: ['bug'] }, 'call_mcp1')]));
    });
    const server = new URL('../../fakes/mcpServer.mjs', import.meta.url).pathname;
    const mcpConfig = JSON.stringify({ mcpServers: { labels: { command: process.execPath, args: [server] } } });
    const out = await claude(
      'label the issue as a bug',
      ['--mcp-config', mcpConfig, '--strict-mcp-config', '--allowedTools', 'mcp__labels__set_labels'],
      { ENABLE_TOOL_SEARCH: 'false' },
    );
    // The fake backend refuses an array without items (as the real one does): a 400 would fail the turn.
    expect(out).toMatchObject({ is_error: false, result: 'Labelled.' });
    const tool = h.backend.requests[0]!.body.tools.find((t: { name?: string }) => t.name === 'mcp__labels__set_labels');
    expect(tool.parameters).toMatchObject({
      type: 'object',
      properties: { labels: { type: 'array', items: { type: 'string' } }, link: { type: 'string' } },
    });
    expect(tool.parameters).not.toHaveProperty('anyOf');
  }, 120_000);
});
