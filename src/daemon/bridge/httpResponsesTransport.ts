import type { IncomingMessage } from 'node:http';
import { encodeRequestBody } from '../../translate/encodeRequestBody.js';
import { classifyHttpFailure, classifyUnexpectedAnswer, upstreamTimeout } from '../../translate/upstreamErrors.js';
import { withContentEncoding } from '../../translate/upstreamHeaders.js';
import { awaitFirstOutput, unreachable, type OpenResult } from './awaitFirstOutput.js';
import type { ResponsesCall, ResponsesTransport } from './responsesClient.js';
import { postUpstream, readErrorBody, UpstreamEventSource, UpstreamHeadersTimeout } from './upstreamClient.js';
import type { UpstreamTransport } from './upstreamTransport.js';

/**
 * `POST {upstream}/responses` with an SSE answer: a non-200 status is the failure, the body the event stream.
 * The body goes zstd-compressed where Node can (encodeRequestBody.ts), as codex sends it.
 */
export class HttpResponsesTransport implements ResponsesTransport {
  constructor(
    private readonly url: URL,
    /** The daemon's one HTTP transport (keep-alive agent, proxy, CA). */
    private readonly network: UpstreamTransport,
  ) {}

  async open(call: ResponsesCall, headers: Record<string, string>): Promise<OpenResult> {
    let res: IncomingMessage;
    try {
      const { bytes, contentEncoding } =
        'bytes' in call.body ? call.body : await encodeRequestBody(JSON.stringify(call.body));
      res = await postUpstream(
        this.url,
        this.network,
        withContentEncoding(headers, contentEncoding),
        bytes,
        call.cancel,
        call.headersTimeoutMs,
      );
    } catch (err) {
      if (call.cancel.cancelled) throw err;
      if (err instanceof UpstreamHeadersTimeout)
        return { ok: false, failure: upstreamTimeout('no response headers', err.limitMs) };
      return { ok: false, failure: unreachable(this.url, err) };
    }
    call.onHeaders(res.headers);
    const status = res.statusCode ?? 0;
    const contentType = res.headers['content-type'] ?? '';
    if (status === 200 && !/^text\/event-stream\b/i.test(contentType)) {
      // A challenge page or a proxy's answer: say what came back; another account would get the same.
      return {
        ok: false,
        failure: classifyUnexpectedAnswer(contentType, await readErrorBody(res, call.headersTimeoutMs)),
      };
    }
    if (status !== 200) {
      const text = await readErrorBody(res, call.headersTimeoutMs);
      const retryAfter = res.headers['retry-after'];
      return {
        ok: false,
        failure: classifyHttpFailure(status, text, call.failure, typeof retryAfter === 'string' ? retryAfter : null),
      };
    }
    return awaitFirstOutput(new UpstreamEventSource(res), { url: this.url, ...call });
  }
}
