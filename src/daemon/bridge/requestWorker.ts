import { parentPort } from 'node:worker_threads';
import { AnthropicApiError } from '../../translate/anthropicError.js';
import type { MessagesRequest } from '../../translate/anthropicSchema.js';
import { encodeTranslated } from '../../translate/encodeTranslated.js';
import { parseMessagesRequest } from '../../translate/parseMessagesRequest.js';
import { requestFacts } from '../../translate/requestFacts.js';
import { movable, type WorkerAnswer, type WorkerCall } from './offloadRequest.js';
import { releaseMemorySoon } from './releaseMemorySoon.js';

/**
 * The large-request worker (offloadRequest.ts): parses and validates a request body, then translates and
 * encodes it for each account the route tries, with the same pure functions the main thread uses.
 */

const requests = new Map<number, MessagesRequest>();
const port = parentPort!;

function answer(call: WorkerCall): WorkerAnswer | null {
  switch (call.op) {
    case 'parse': {
      const req = parseMessagesRequest(Buffer.from(call.bytes).toString('utf8'));
      requests.set(call.id, req);
      return { id: call.id, ok: true, facts: requestFacts(req, call.sessionHeader) };
    }
    case 'encode': {
      const req = requests.get(call.id);
      if (!req) throw new Error(`request ${call.id} is not here`);
      return { id: call.id, ok: true, translation: encodeTranslated(req, call.ctx, call.encoding) };
    }
    case 'release':
      requests.delete(call.id);
      // Nothing else allocates here to prompt a collection: the copies of a 27 MB request would stay.
      if (!requests.size) releaseMemorySoon();
      return null;
  }
}

port.on('message', (call: WorkerCall) => {
  let reply: WorkerAnswer | null;
  try {
    reply = answer(call);
  } catch (err) {
    const e = err instanceof AnthropicApiError ? err : new AnthropicApiError('api_error', (err as Error).message);
    reply = { id: call.id, ok: false, errorType: e.errorType, message: e.message };
  }
  if (!reply) return;
  if (!('translation' in reply)) return port.postMessage(reply);
  // The encoded body's memory moves to the main thread.
  const buffer = movable(reply.translation.encoded.bytes);
  const bytes = Buffer.from(buffer);
  port.postMessage(
    { ...reply, translation: { ...reply.translation, encoded: { ...reply.translation.encoded, bytes } } },
    [buffer],
  );
});
