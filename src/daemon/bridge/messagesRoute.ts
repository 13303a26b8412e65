import { Hono, type Context } from 'hono';
import type { MessagesRequest } from '../../translate/anthropicSchema.js';
import { DEFAULT_CONTEXT_WINDOW, usesResponsesLite } from '../../translate/codexModels.js';
import { estimateRequestTokens } from '../../translate/countTokens.js';
import { MessageAggregator } from '../../translate/messageAggregator.js';
import { resolveModel, type ResolvedModel } from '../../translate/resolveModel.js';
import type { EncodedBody } from '../../translate/encodeRequestBody.js';
import type { ThinkingOutput } from '../../translate/reasoningEffort.js';
import { requestFacts, type RequestFacts } from '../../translate/requestFacts.js';
import type { ResponsesRequest } from '../../translate/responsesSchema.js';
import { threadIdentity, type ThreadIdentity } from '../../translate/sessionKey.js';
import { toolNameMapOf, type ToolNameMap } from '../../translate/toolNames.js';
import type { AnthropicSink } from '../../translate/anthropicSink.js';
import { SseSink } from '../../translate/sseSink.js';
import { StreamTranslator } from '../../translate/streamTranslator.js';
import { translateRequest, type TranslateContext } from '../../translate/translateRequest.js';
import { type BodyHead, upstreamHeaders } from '../../translate/upstreamHeaders.js';
import type { FailureContext, UpstreamFailure } from '../../translate/upstreamErrors.js';
import { AnthropicApiError, anthropicErrorEvent } from '../../translate/anthropicError.js';
import { PIN_HEADER } from '../../shared/bridgeNames.js';
import type { RouteCandidate } from './bridgeDeps.js';
import { toAnthropicError } from './bridgeErrors.js';
import { openWithFailover, type Committed } from './openWithFailover.js';
import type { BridgeEnv, BridgeRuntime } from './bridgeRuntime.js';
import { Cancellation } from './cancellation.js';
import {
  messagesBody,
  onClientGone,
  onResponseDone,
  openSseWriter,
  requestHeader,
  type SseWriter,
} from './clientIo.js';
import { type BodyFormat, nextTurn, parseBody } from './middleware/validBody.js';
import { OFF_THREAD_BYTES, offloadRequest, type OffloadedRequest } from './offloadRequest.js';
import { modelContext } from './modelContext.js';
import type { OpenResult } from './awaitFirstOutput.js';
import { accountAuth, ResponsesClient } from './responsesClient.js';
import { OutcomeRecorder } from './outcomeRecorder.js';
import { pumpSse, translateUpstream, writePingsUntil } from './pumpSse.js';

/** A request translated for one account: what goes upstream, and what the stream translator needs. */
interface Translation {
  /** The translated body, or (a large request) its bytes, encoded on the worker. */
  body: ResponsesRequest | EncodedBody;
  head: BodyHead;
  toolNames: ToolNameMap;
  thinking: ThinkingOutput;
  promptTokens: () => number;
}

/** The request as the route works with it, whichever thread parsed it. */
interface ParsedRequest {
  facts: RequestFacts;
  /** Translating it for one account (failover asks again for the next). */
  translate(ctx: TranslateContext): Promise<Translation>;
}

/** A request parsed here (parseBody); a large one (a few MB) is translated in a turn of its own. */
function parsedHere(req: MessagesRequest, large: boolean, c: Context<BridgeEnv>): ParsedRequest {
  return {
    facts: requestFacts(req, requestHeader(c, 'x-claude-code-session-id')),
    async translate(ctx) {
      if (large) await nextTurn();
      const { body, toolNames, thinking } = translateRequest(req, ctx);
      if (large) await nextTurn(); // encoding the translated body is the next long step
      return { body, head: body, toolNames, thinking, promptTokens: () => estimateRequestTokens(body) };
    },
  };
}

/** A request parsed, and translated for each account, on the worker (offloadRequest.ts). */
function parsedElsewhere(off: OffloadedRequest): ParsedRequest {
  return {
    facts: off.facts,
    async translate(ctx) {
      const t = await off.encode(ctx);
      return {
        body: t.encoded,
        head: t.head,
        toolNames: toolNameMapOf(t.renamedTools),
        thinking: t.thinking,
        promptTokens: () => t.promptTokens,
      };
    },
  };
}

/** A Messages request is a loose object (unknown fields pass): only an offloaded one has `encode` as a method. */
const isOffloaded = (b: MessagesRequest | OffloadedRequest): b is OffloadedRequest => typeof b.encode === 'function';

/** The request as parsed and routed: everything that does not depend on the account. */
interface Routed {
  parsed: ParsedRequest;
  facts: RequestFacts;
  pinnedAccount: string | null;
  thread: ThreadIdentity;
  candidates: RouteCandidate[];
}

/** The request made ready for one candidate account (models and signatures are per account). */
interface Prepared {
  facts: RequestFacts;
  candidate: RouteCandidate;
  model: ResolvedModel;
  thread: ThreadIdentity;
  translated: Translation;
  failure: FailureContext;
  /** The client named no session: the thread id is derived from the conversation's start (conversationKey). */
  sessionless: boolean;
}

/** The request's body as parsed: here, or (a large one) on the worker. */
interface Body {
  body: MessagesRequest | OffloadedRequest;
  large: boolean;
}

function route(rt: BridgeRuntime, c: Context<BridgeEnv>, { body, large }: Body, rec: OutcomeRecorder): Routed {
  const parsed = isOffloaded(body) ? parsedElsewhere(body) : parsedHere(body, large, c);
  const { facts } = parsed;
  rec.outcome.requestedModel = facts.model;
  rec.outcome.stream = facts.stream;
  rec.outcome.sessionKey = facts.sessionKey;
  const pinnedAccount = requestHeader(c, PIN_HEADER) ?? null;
  const routed = rt.deps.route({ sessionKey: facts.sessionKey, pinnedAccount });
  if (routed.kind === 'refused') {
    rec.fail(routed.reason === 'no_account' ? 'no_account' : 'other', routed.error.message, routed.error.status);
    throw routed.error;
  }
  const { candidates } = routed;
  if (!candidates[0]) {
    const error = new AnthropicApiError(
      'authentication_error',
      'no account can serve requests; add one with `ccbridge add` and `ccbridge connect`',
    );
    rec.fail('no_account', error.message, error.status);
    throw error;
  }
  // A subagent is its own upstream thread of the session; routing stays by session, so it shares the account.
  const thread = threadIdentity(facts.session, requestHeader(c, 'x-claude-code-agent-id'));
  return { parsed, facts, pinnedAccount, thread, candidates };
}

async function prepare(
  rt: BridgeRuntime,
  r: Routed,
  candidate: RouteCandidate,
  rec: OutcomeRecorder,
): Promise<Prepared> {
  const { facts, thread } = r;
  rec.outcome.accountId = candidate.accountId;
  rec.outcome.accountName = candidate.accountName;
  const model = resolveModel(facts.model, modelContext(rt.deps, candidate));
  rec.outcome.model = model.slug;
  const translated = await r.parsed.translate({
    model,
    accountId: candidate.accountId,
    fastMode: candidate.fastMode,
    thread,
    installationId: rt.deps.installationId(candidate.accountId),
  });
  const failure: FailureContext = {
    now: Date.now(),
    accountName: candidate.accountName,
    model: model.slug,
    contextWindow: model.info?.contextWindow ?? DEFAULT_CONTEXT_WINDOW,
    promptTokens: translated.promptTokens,
  };
  return { facts, candidate, model, thread, translated, failure, sessionless: facts.sessionKey === null };
}

/** Opens the upstream for one candidate with its own credentials, over the daemon's transport. */
function open(rt: BridgeRuntime, p: Prepared, cancel: Cancellation): Promise<OpenResult> {
  const client = new ResponsesClient(rt.responsesTransport, accountAuth(rt.deps, p.candidate.accountId));
  return client.stream({
    accountId: p.candidate.accountId,
    sessionless: p.sessionless,
    headers: (creds) =>
      upstreamHeaders({
        accessToken: creds.accessToken,
        chatgptAccountId: creds.chatgptAccountId,
        codexVersion: rt.deps.codexVersion(),
        userAgent: rt.userAgent(),
        thread: p.thread,
        body: p.translated.head,
        responsesLite: usesResponsesLite(p.model.info),
      }),
    body: p.translated.body,
    cancel,
    // Codex's own stream idle limit: an upstream silent this long before any output is committed to anyway.
    headersTimeoutMs: rt.headersTimeoutMs,
    idleLimitMs: rt.idleLimitMs,
    failure: p.failure,
    onHeaders: (h) => rt.deps.onUpstreamHeaders(p.candidate.accountId, h),
  });
}

/**
 * Tries the routed accounts in order until one produces output. When every one was out of quota, the
 * router's verdict (the earliest reset of all) replaces the last account's own 429.
 */
async function openRouted(
  rt: BridgeRuntime,
  r: Routed,
  rec: OutcomeRecorder,
  cancel: Cancellation,
): Promise<Committed<Prepared> | { ok: false; error: AnthropicApiError; failure: UpstreamFailure }> {
  const result = await openWithFailover(
    r.candidates,
    async (candidate) => {
      const p = await prepare(rt, r, candidate, rec);
      return { prepared: p, opened: await open(rt, p, cancel) };
    },
    {
      onAttemptFailed: (accountId, failure, next) => rt.deps.onAttemptFailed?.(accountId, failure, next),
      onCommitted: (accountId) => rt.deps.onCommitted?.(accountId, r.facts.sessionKey),
    },
  );
  if (result.ok) return result;
  let error = result.failure.error;
  if (result.failure.kind === 'usage_limit') {
    const now = rt.deps.route({ sessionKey: r.facts.sessionKey, pinnedAccount: r.pinnedAccount });
    if (now.kind === 'refused') error = now.error;
  }
  return { ok: false, error, failure: result.failure };
}

function translatorFor(p: Prepared, sink: AnthropicSink): StreamTranslator {
  return new StreamTranslator(sink, {
    model: p.facts.model,
    accountId: p.candidate.accountId,
    toolNames: p.translated.toolNames,
    thinking: p.translated.thinking,
    stopSequences: p.facts.stopSequences,
    failure: p.failure,
  });
}

type Attempts = Awaited<ReturnType<typeof openRouted>>;

/** Streams a committed upstream to the client, then reports the outcome. */
async function streamCommitted(
  rt: BridgeRuntime,
  requestId: string,
  committed: Committed<Prepared>,
  writer: SseWriter,
  rec: OutcomeRecorder,
  cancel: Cancellation,
): Promise<void> {
  const { prepared: p, opened } = committed;
  const sink = new SseSink(requestId);
  const translator = translatorFor(p, sink);
  rec.streamsFrom(translator);
  const how = await pumpSse({
    translator,
    sink,
    first: opened.first,
    rest: opened.rest,
    writer,
    pingMs: rt.pingMs,
    cancel,
  });
  rec.usage(translator.usage, translator.reasoningTokens);
  if (how === 'client_abort') rec.fail('client_abort', 'client disconnected');
  else if (translator.error) rec.fail(translator.failureKind ?? 'other', translator.error.message);
  rec.report();
}

/**
 * A streaming request whose upstream is still silent after the ping interval: status and pings go out now
 * (Claude Code gives up after 300 s without a byte; the SDK ignores pings before `message_start`) while the
 * attempts, failover included, go on. Then the real stream follows, or an SSE `error` event.
 */
async function streamWhenSettled(
  rt: BridgeRuntime,
  requestId: string,
  attempts: Promise<Attempts>,
  writer: SseWriter,
  rec: OutcomeRecorder,
  cancel: Cancellation,
): Promise<void> {
  let result: Attempts;
  try {
    result = await writePingsUntil(attempts, writer, rt.pingMs);
  } catch (err) {
    if (cancel.cancelled) rec.fail('client_abort', 'client disconnected');
    const e = toAnthropicError(err);
    if (!rec.outcome.errorKind) rec.fail('other', e.message);
    if (!cancel.cancelled) {
      void writer.write(anthropicErrorEvent(e, requestId));
      writer.end();
    }
    rec.report();
    return;
  }
  if (result.ok) return streamCommitted(rt, requestId, result, writer, rec, cancel);
  rec.fail(result.failure.kind, result.error.message);
  void writer.write(anthropicErrorEvent(result.error, requestId));
  writer.end();
  rec.report();
}

/** What `attempts` settles with, or `'quiet'` after `ms` without it (one promise and a timer, per request). */
function settledOrQuiet<T>(attempts: Promise<T>, ms: number): Promise<T | 'quiet'> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms, 'quiet');
    attempts.then(
      (result) => {
        clearTimeout(timer);
        resolve(result);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };

async function handle(
  rt: BridgeRuntime,
  c: Context<BridgeEnv>,
  body: Body,
  rec: OutcomeRecorder,
  cancel: Cancellation,
): Promise<Response> {
  const requestId = c.get('requestId');
  const routed = route(rt, c, body, rec);
  const attempts = openRouted(rt, routed, rec, cancel);

  if (routed.facts.stream) {
    // Quiet past the ping interval: commit 200 and ping while the attempts (and any failover) go on.
    const first = await settledOrQuiet(attempts, rt.pingMs);
    if (first !== 'quiet' && !first.ok) {
      rec.fail(first.failure.kind, first.error.message, first.error.status);
      throw first.error;
    }
    const writer = openSseWriter(c, SSE_HEADERS);
    if (first === 'quiet') void streamWhenSettled(rt, requestId, attempts, writer, rec, cancel);
    else void streamCommitted(rt, requestId, first, writer, rec, cancel);
    return writer.response;
  }

  const result = await attempts;
  if (!result.ok) {
    rec.fail(result.failure.kind, result.error.message, result.error.status);
    throw result.error;
  }
  const { prepared: p, opened } = result;
  const sink = new MessageAggregator();
  const translator = translatorFor(p, sink);
  rec.streamsFrom(translator);
  const how = await translateUpstream({
    translator,
    first: opened.first,
    rest: opened.rest,
    cancel,
  });
  if (how === 'client_abort') throw new Error('client disconnected');
  rec.usage(translator.usage, translator.reasoningTokens);
  if (translator.error) {
    rec.fail(translator.failureKind ?? 'other', translator.error.message, translator.error.status);
    throw translator.error;
  }
  rec.report();
  return c.json(sink.result());
}

/**
 * One outcome per request, whichever way it ends: a body the validator refused included. An error is recorded here
 * and goes on to `onError`, which answers it. The body is read here, not by a middleware: every middleware level
 * is a few more promises per request.
 */
export async function serveMessages(rt: BridgeRuntime, c: Context<BridgeEnv>): Promise<Response> {
  const rec = new OutcomeRecorder(rt.deps, c.get('requestId'));
  rt.deps.onStart?.(rec);
  const cancel = new Cancellation();
  const unsubscribe = onClientGone(c, () => cancel.cancel());
  try {
    return await handle(rt, c, await parseBody(offloadingLarge, c), rec, cancel);
  } catch (err) {
    unsubscribe();
    if (cancel.cancelled) rec.fail('client_abort', 'client disconnected', 499);
    else if (!rec.outcome.errorKind) {
      const e = toAnthropicError(err);
      const kind = e.status === 400 || e.status === 413 ? 'bad_request' : 'other';
      rec.fail(kind, e.message, e.status);
    }
    rec.report();
    throw err;
  }
}

/** Messages bodies, the large ones parsed and translated on the worker. */
const offloadingLarge: BodyFormat<MessagesRequest, OffloadedRequest> = {
  ...messagesBody,
  offload: {
    minBytes: OFF_THREAD_BYTES,
    take: async (bytes, c) => {
      const off = await offloadRequest(bytes, requestHeader(c, 'x-claude-code-session-id') ?? null);
      onResponseDone(c, off.release);
      return off;
    },
  },
};

export function messagesRoute(rt: BridgeRuntime): Hono<BridgeEnv> {
  const app = new Hono<BridgeEnv>();
  app.post('/messages', (c) => serveMessages(rt, c));
  return app;
}
