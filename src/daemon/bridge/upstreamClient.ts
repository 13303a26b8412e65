import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { createParser } from 'eventsource-parser';
import { parseUpstreamEvent } from '../../bridge/parseUpstreamEvent.js';
import type { UpstreamEvent } from '../../bridge/upstreamEvents.js';
import type { Cancellation } from './cancellation.js';

/**
 * HTTP to the Codex backend over node:http(s) with keep-alive agents: measured faster than the global
 * fetch here (p50 0.10 ms vs 0.28 ms per small request, no web-stream layer per chunk).
 */
const agents = {
  'http:': new http.Agent({ keepAlive: true, scheduling: 'lifo' }),
  'https:': new https.Agent({ keepAlive: true, scheduling: 'lifo' }),
};

/** Sends the request; a cancel destroys it (and its response) at any point. */
export function postUpstream(url: URL, headers: Record<string, string>, body: string, cancel: Cancellation): Promise<IncomingMessage> {
  const mod = url.protocol === 'https:' ? https : http;
  const agent = url.protocol === 'https:' ? agents['https:'] : agents['http:'];
  return new Promise((resolve, reject) => {
    const req = mod.request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, resolve);
    req.on('error', reject);
    cancel.onCancel(() => req.destroy(new Error('client disconnected')));
    req.end(body);
  });
}

/** Reads a (small) error body, capped so a huge HTML page cannot balloon memory. */
export async function readErrorBody(res: IncomingMessage, cap = 64 * 1024): Promise<string> {
  let text = '';
  res.setEncoding('utf8');
  for await (const chunk of res as AsyncIterable<string>) {
    if (text.length < cap) text += chunk;
  }
  return text.slice(0, cap);
}

/**
 * The upstream SSE body as batches of parsed events, one batch per socket chunk, so the caller can translate
 * a whole chunk and write it to the client at once.
 */
export async function* upstreamEventBatches(res: IncomingMessage): AsyncGenerator<UpstreamEvent[]> {
  let batch: UpstreamEvent[] = [];
  const parser = createParser({
    onEvent(msg) {
      const ev = parseUpstreamEvent(msg.event, msg.data);
      if (ev) batch.push(ev);
    },
  });
  res.setEncoding('utf8');
  for await (const chunk of res as AsyncIterable<string>) {
    parser.feed(chunk);
    if (batch.length) {
      const out = batch;
      batch = [];
      yield out;
    }
  }
}
