import type { IncomingMessage } from 'node:http';
import { classifyHttpFailure } from '../../translate/upstreamErrors.js';
import { awaitFirstOutput, unreachable, type OpenResult } from './awaitFirstOutput.js';
import type { ResponsesCall, ResponsesTransport } from './responsesClient.js';
import { postUpstream, readErrorBody, UpstreamEventSource } from './upstreamClient.js';
import type { UpstreamTransport } from './upstreamTransport.js';

/** `POST {upstream}/responses` with an SSE answer: a non-200 status is the failure, the body the event stream. */
export class HttpResponsesTransport implements ResponsesTransport {
  constructor(
    private readonly url: URL,
    /** The daemon's one HTTP transport (keep-alive agent, proxy, CA). */
    private readonly network: UpstreamTransport,
  ) {}

  async open(call: ResponsesCall, headers: Record<string, string>): Promise<OpenResult> {
    let res: IncomingMessage;
    try {
      res = await postUpstream(this.url, this.network, headers, JSON.stringify(call.body), call.cancel);
    } catch (err) {
      if (call.cancel.cancelled) throw err;
      return { ok: false, failure: unreachable(this.url, err) };
    }
    call.onHeaders(res.headers);
    const status = res.statusCode ?? 0;
    if (status !== 200) {
      const text = await readErrorBody(res);
      const retryAfter = res.headers['retry-after'];
      return {
        ok: false,
        failure: classifyHttpFailure(status, text, call.failure, typeof retryAfter === 'string' ? retryAfter : null),
      };
    }
    return awaitFirstOutput(new UpstreamEventSource(res), { url: this.url, ...call });
  }
}
