import { Hono } from 'hono';
import { countRequestTokens } from '../../translate/countTokens.js';
import { resolveModel } from '../../translate/resolveModel.js';
import { threadIdentity } from '../../translate/sessionKey.js';
import { translateRequest } from '../../translate/translateRequest.js';
import type { BridgeEnv, BridgeRuntime } from './bridgeRuntime.js';
import { defaultCandidate, modelContext } from './modelContext.js';
import { validBody } from './middleware/validBody.js';
import { messagesBody } from './clientIo.js';

/**
 * `POST /v1/messages/count_tokens`: the o200k count of what would really be sent upstream. Works without a
 * usable account (the count does not depend on one), so Claude Code's compaction math never fails.
 */
export function countTokensRoute(rt: BridgeRuntime): Hono<BridgeEnv> {
  const app = new Hono<BridgeEnv>();
  app.post('/messages/count_tokens', validBody(messagesBody), async (c) => {
    const req = c.get('body');
    const candidate = defaultCandidate(rt.deps);
    const model = resolveModel(req.model, modelContext(rt.deps, candidate));
    // The session only keys the upstream cache, which the count ignores.
    const { body } = translateRequest(req, {
      model,
      accountId: candidate?.accountId ?? '',
      fastMode: false,
      thread: threadIdentity('count_tokens', null),
      installationId: '',
    });
    return c.json({ input_tokens: await countRequestTokens(body) });
  });
  return app;
}
