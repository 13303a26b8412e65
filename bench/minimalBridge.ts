// The least any Anthropic-to-Codex bridge must do per request, as a bench reference between the pass-through floor
// and the daemon: read and validate the Messages body, translate it (the daemon's own src/translate modules), send it
// upstream on a keep-alive agent with codex's headers and encoding, parse the SSE answer, translate each upstream
// socket read and write it as one chunk, pausing the upstream while the client's buffer is full. Nothing else: no
// bridge token, routing, token store, failover, retries, time limits, pings, events, usage or rate limits. What the
// daemon costs beyond this is its own layers; what this costs beyond the floor is the translation itself. Compiled
// by bench/benchDaemon.mjs; argv: the upstream base URL; it reports its URL over IPC and exits when the parent
// disconnects.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import { createParser } from 'eventsource-parser';
import { BUILTIN_MODELS, DEFAULT_CONTEXT_WINDOW } from '../src/translate/codexModels.js';
import { parseJsonObject, validateMessagesRequest } from '../src/translate/parseMessagesRequest.js';
import { parseUpstreamEvent } from '../src/translate/parseUpstreamEvent.js';
import { requestFacts } from '../src/translate/requestFacts.js';
import { resolveModel } from '../src/translate/resolveModel.js';
import { threadIdentity } from '../src/translate/sessionKey.js';
import { SseSink } from '../src/translate/sseSink.js';
import { StreamTranslator } from '../src/translate/streamTranslator.js';
import { translateRequest } from '../src/translate/translateRequest.js';
import { codexUserAgent, upstreamHeaders, withContentEncoding } from '../src/translate/upstreamHeaders.js';
import { encodeRequestBodySync } from '../src/translate/encodeRequestBody.js';
import { detectHostInfo } from '../src/daemon/bridge/detectHostInfo.js';
import { makeTokens } from '../test/fakes/fakeCodexAuth.mjs';

const upstream = new URL(process.argv[2] ?? '');
const agent = new http.Agent({ keepAlive: true, scheduling: 'lifo' });
const tiers = { opus: null, sonnet: null, haiku: null };
// The daemon's account in the bench has the same kind of token, and its User-Agent is made the same way: the same
// header bytes go upstream.
const { access_token: accessToken, account_id: chatgptAccountId } = makeTokens({ chatgptAccountId: 'acct-bench' });
const userAgent = codexUserAgent('0.169.0', detectHostInfo());

function bridge(bytes: Buffer, res: http.ServerResponse): void {
  const req = validateMessagesRequest(parseJsonObject(bytes.toString('utf8')));
  const facts = requestFacts(req, null);
  const model = resolveModel(facts.model, { accountModel: null, tierModels: tiers, available: BUILTIN_MODELS });
  const thread = threadIdentity(facts.session, null);
  const ctx = { model, accountId: 'bench', fastMode: false, thread, installationId: 'bench' };
  const { body, toolNames, thinking } = translateRequest(req, ctx);
  const headers = upstreamHeaders({
    accessToken,
    chatgptAccountId,
    codexVersion: '0.169.0',
    userAgent,
    thread,
    body,
    responsesLite: false,
  });
  // zstd where Node has it, as the daemon sends it (contract §0); the bench's bodies are small, so on this thread.
  const { bytes: payload, contentEncoding } = encodeRequestBodySync(JSON.stringify(body));
  const out = http.request(
    {
      host: upstream.hostname,
      port: upstream.port,
      path: `${upstream.pathname}/responses`,
      method: 'POST',
      agent,
      headers: { ...withContentEncoding(headers, contentEncoding), 'content-length': String(payload.length) },
    },
    (up) => {
      const sink = new SseSink(`req_${randomUUID()}`);
      const translator = new StreamTranslator(sink, {
        model: facts.model,
        accountId: 'bench',
        toolNames,
        thinking,
        stopSequences: facts.stopSequences,
        failure: {
          now: Date.now(),
          accountName: 'bench',
          model: model.slug,
          contextWindow: DEFAULT_CONTEXT_WINDOW,
          promptTokens: () => 0,
        },
      });
      const decoder = new StringDecoder('utf8');
      const parser = createParser({
        onEvent: (m) => {
          const ev = parseUpstreamEvent(m.event, m.data);
          if (ev) translator.handle(ev);
        },
      });
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
      // Node emits a `data` event per HTTP chunk, and the backend sends each event in a chunk of its own: the chunks
      // of one socket read are handled together in a microtask after it, one parse and one client write per read.
      let chunks: Buffer[] = [];
      const drain = () => {
        if (!chunks.length) return;
        parser.feed(decoder.write(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
        chunks = [];
        const text = translator.done ? '' : sink.take();
        // A full client buffer pauses the upstream, as any proxy must.
        if (text && !res.write(text)) {
          up.pause();
          res.once('drain', () => up.resume());
        }
      };
      up.on('data', (chunk: Buffer) => {
        if (chunks.push(chunk) === 1) queueMicrotask(drain);
      });
      up.on('end', () => {
        drain();
        translator.end();
        res.end(sink.take());
      });
    },
  );
  out.on('error', () => res.destroy());
  out.end(payload);
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    try {
      bridge(Buffer.concat(chunks), res);
    } catch (err) {
      res.writeHead(400).end(String(err));
    }
  });
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  process.send?.({ url: `http://127.0.0.1:${port}` });
});
process.on('disconnect', () => process.exit(0));
