import type { Context } from 'hono';
import * as z from 'zod';
import { CcbridgeError } from '../../shared/errors.js';
import { describeZodError } from '../../shared/describeZodError.js';
import type { ApiError } from '../../shared/schemas/api.js';
import type { BodyFormat } from '../bridge/middleware/validBody.js';

/**
 * A control-API body for `validBody`: JSON checked by its zod schema (`check` first, for a rule the schema cannot
 * say); an empty body counts as `{}`. Bad JSON and bad fields are 400s naming the problem (`controlError`'s shape).
 */
export function controlBody<S extends z.ZodType>(schema: S, check?: (raw: unknown) => void): BodyFormat<z.infer<S>> {
  return {
    read: async (c) => Buffer.from(await c.req.arrayBuffer()),
    json: (text) => {
      if (!text.trim()) return {};
      try {
        return JSON.parse(text);
      } catch {
        throw new CcbridgeError('invalid_json', 'request body is not valid JSON', { exitCode: 2 });
      }
    },
    validate: (raw) => {
      check?.(raw);
      const parsed = schema.safeParse(raw);
      if (!parsed.success) throw new CcbridgeError('invalid_request', describeZodError(parsed.error), { exitCode: 2 });
      return parsed.data;
    },
  };
}

/** Shapes every control-API failure as `{error:{code,message}}`. */
export function controlError(err: Error, c: Context): Response {
  const body = (code: string, message: string, exitCode: number): ApiError => ({ error: { code, message, exitCode } });
  if (err instanceof CcbridgeError) return c.json(body(err.code, err.message, err.exitCode), err.status as 400);
  if (err instanceof z.ZodError) return c.json(body('invalid_request', describeZodError(err), 2), 400);
  return c.json(body('internal', err.message, 1), 500);
}
