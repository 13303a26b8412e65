import { Hono } from 'hono';
import { AnthropicApiError } from '../../translate/anthropicError.js';
import { findModelInfo, listModelInfos, ModelListQuerySchema, paginateModels } from '../../translate/modelList.js';
import type { BridgeEnv, BridgeRuntime } from './bridgeRuntime.js';
import { defaultCandidate, modelContext } from './modelContext.js';

/** `GET /v1/models` (+ `/models/{id}`): the active account's models plus the ccbridge aliases, as Anthropic ModelInfo. */
export function modelsRoute(rt: BridgeRuntime): Hono<BridgeEnv> {
  const app = new Hono<BridgeEnv>();
  app.get('/models', async (c) => {
    const q = ModelListQuerySchema.safeParse(c.req.query());
    if (!q.success)
      throw new AnthropicApiError(
        'invalid_request_error',
        `invalid query: ${q.error.issues[0]?.path.join('.') ?? ''} ${q.error.issues[0]?.message ?? ''}`.trim(),
      );
    const ctx = modelContext(rt.deps, defaultCandidate(rt.deps));
    return c.json(paginateModels(listModelInfos(ctx), q.data));
  });
  app.get('/models/:id', async (c) => {
    const ctx = modelContext(rt.deps, defaultCandidate(rt.deps));
    return c.json(findModelInfo(c.req.param('id'), ctx));
  });
  return app;
}
