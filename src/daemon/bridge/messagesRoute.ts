import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { MessagesRequest } from '../../bridge/anthropicSchema.js';
import { DEFAULT_CONTEXT_WINDOW } from '../../bridge/codexModels.js';
import { estimateRequestTokens } from '../../bridge/countTokens.js';
import { MessageAggregator } from '../../bridge/messageAggregator.js';
import { parseMessagesRequest } from '../../bridge/parseMessagesRequest.js';
import { resolveModel, type ResolvedModel } from '../../bridge/resolveModel.js';
import { claudeSessionKey } from '../../bridge/sessionKey.js';
import { SseSink } from '../../bridge/sseSink.js';
import { StreamTranslator } from '../../bridge/streamTranslator.js';
import { translateRequest, type TranslatedRequest } from '../../bridge/translateRequest.js';
import { upstreamHeaders } from '../../bridge/upstreamHeaders.js';
import type { FailureContext } from '../../bridge/upstreamErrors.js';
import { CcbridgeError } from '../../shared/errors.js';
import type { RouteCandidate } from './bridgeDeps.js';
import { toAnthropicError } from './bridgeErrors.js';
import type { BridgeEnv, BridgeRuntime } from './bridgeRuntime.js';
import { modelContext } from './modelContext.js';
import { openUpstream, type OpenResult } from './openUpstream.js';
import { OutcomeRecorder } from './outcomeRecorder.js';
import { readBodyText } from './readBodyText.js';
import { sseResponseStream } from './sseResponseStream.js';

/** Request header a `ccbridge claude --account A` session sets to pin its account. */
export const PIN_HEADER = 'x-ccbridge-account';

interface Prepared {
  req: MessagesRequest;
  candidate: RouteCandidate;
  model: ResolvedModel;
  sessionId: string;
  translated: TranslatedRequest;
  bodyJson: string;
  failure: FailureContext;
}

async function prepare(rt: BridgeRuntime, c: Context<BridgeEnv>, rec: OutcomeRecorder): Promise<Prepared> {
  const req = parseMessagesRequest(await readBodyText(c.req.raw));
  rec.outcome.requestedModel = req.model;
  rec.outcome.stream = req.stream === true;
  const sessionKey = claudeSessionKey(c.req.header('x-claude-code-session-id'), req.metadata?.user_id);
  const candidates = rt.deps.route({ sessionKey, pinnedAccount: c.req.header(PIN_HEADER) ?? null });
  const candidate = candidates[0];
  if (!candidate) throw new CcbridgeError('no_account', 'no account can serve requests; add one with `ccbridge add` and `ccbridge connect`', { status: 503 });
  rec.outcome.accountId = candidate.accountId;
  rec.outcome.accountName = candidate.accountName;
  const model = resolveModel(req.model, await modelContext(rt.deps, candidate));
  rec.outcome.model = model.slug;
  const sessionId = sessionKey ?? randomUUID();
  const translated = translateRequest(req, { model, accountId: candidate.accountId, fastMode: candidate.fastMode, sessionId });
  const failure: FailureContext = {
    now: Date.now(),
    accountName: candidate.accountName,
    model: model.slug,
    contextWindow: model.info?.contextWindow ?? DEFAULT_CONTEXT_WINDOW,
    promptTokens: () => estimateRequestTokens(translated.body),
  };
  return { req, candidate, model, sessionId, translated, bodyJson: JSON.stringify(translated.body), failure };
}

/** Opens the upstream for the first candidate; an upstream 401 gets one forced token refresh and one retry. */
async function open(rt: BridgeRuntime, p: Prepared, signal: AbortSignal): Promise<OpenResult> {
  const attempt = async (forceRefresh: boolean) => {
    const creds = await rt.deps.credentials(p.candidate.accountId, { forceRefresh });
    const headers = upstreamHeaders({
      accessToken: creds.accessToken,
      chatgptAccountId: creds.chatgptAccountId,
      codexVersion: rt.deps.codexVersion(),
      userAgent: rt.userAgent(),
      sessionId: p.sessionId,
      model: p.model.slug,
      priority: p.translated.body.service_tier === 'priority',
    });
    return openUpstream({
      url: rt.responsesUrl,
      headers,
      body: p.bodyJson,
      signal,
      commitAfterMs: rt.pingMs,
      failure: p.failure,
      onHeaders: (h) => rt.deps.onUpstreamHeaders(p.candidate.accountId, toHeaders(h)),
    });
  };
  const first = await attempt(false);
  if (first.ok || first.failure.kind !== 'unauthorized') return first;
  return attempt(true);
}

function toHeaders(h: Record<string, string | string[] | undefined>): Headers {
  const out = new Headers();
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out.set(k, Array.isArray(v) ? v.join(', ') : v);
  return out;
}

async function handle(rt: BridgeRuntime, c: Context<BridgeEnv>, rec: OutcomeRecorder): Promise<Response> {
  const requestId = c.get('requestId');
  const p = await prepare(rt, c, rec);
  const abort = new AbortController();
  const clientSignal = c.req.raw.signal;
  const onClientGone = () => abort.abort();
  clientSignal.addEventListener('abort', onClientGone, { once: true });

  const opened = await open(rt, p, abort.signal);
  if (!opened.ok) {
    rec.fail(opened.failure.kind, opened.failure.error.message, opened.failure.error.status);
    throw opened.failure.error;
  }

  const streaming = p.req.stream === true;
  const sink = streaming ? new SseSink(requestId) : new MessageAggregator();
  const translator = new StreamTranslator(sink, {
    model: p.req.model,
    accountId: p.candidate.accountId,
    toolNames: p.translated.toolNames,
    showThinking: p.req.thinking?.display !== 'omitted',
    failure: p.failure,
  });

  if (sink instanceof SseSink) {
    const body = sseResponseStream({
      translator,
      sink,
      first: opened.first,
      rest: opened.rest,
      pingMs: rt.pingMs,
      onEnd: (reason) => {
        clientSignal.removeEventListener('abort', onClientGone);
        rec.usage(translator.usage);
        if (reason === 'client_abort') rec.fail('client_abort', 'client disconnected');
        else if (translator.error) rec.fail(translator.failureKind ?? 'other', translator.error.message);
        rec.report();
      },
    });
    return new Response(body, {
      status: 200,
      headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'request-id': requestId },
    });
  }

  try {
    for (const ev of opened.first) translator.handle(ev);
    while (!translator.done) {
      const r = await opened.rest.next();
      if (r.done) translator.end();
      else for (const ev of r.value) translator.handle(ev);
    }
  } catch (err) {
    if (abort.signal.aborted) throw err;
    translator.fail(toAnthropicError(err));
  } finally {
    opened.rest.close();
    clientSignal.removeEventListener('abort', onClientGone);
  }
  rec.usage(translator.usage);
  if (translator.error) {
    rec.fail(translator.failureKind ?? 'other', translator.error.message, translator.error.status);
    throw translator.error;
  }
  rec.report();
  return c.json((sink as MessageAggregator).result(), 200, { 'request-id': requestId });
}

export function messagesRoute(rt: BridgeRuntime): Hono<BridgeEnv> {
  const app = new Hono<BridgeEnv>();
  app.post('/messages', async (c) => {
    const rec = new OutcomeRecorder(rt.deps, c.get('requestId'));
    try {
      return await handle(rt, c, rec);
    } catch (err) {
      if (c.req.raw.signal.aborted) rec.fail('client_abort', 'client disconnected', 499);
      else if (!rec.outcome.errorKind) {
        const e = toAnthropicError(err);
        const kind = err instanceof CcbridgeError ? 'no_account' : e.status === 400 || e.status === 413 ? 'bad_request' : 'other';
        rec.fail(kind, e.message, e.status);
      }
      rec.report();
      throw err;
    }
  });
  return app;
}
