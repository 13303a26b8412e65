import type { Context } from 'hono';
import * as z from 'zod';
import { CcbridgeError } from '../../shared/errors.js';
import { describeZodError } from '../../shared/describeZodError.js';
import type { ApiError } from '../../shared/schemas/api.js';

/** Parses a JSON body with its zod schema; bad JSON and bad fields become 400s naming the problem. */
export async function readBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const text = await c.req.text();
  let raw: unknown = {};
  if (text.trim()) {
    try {
      raw = JSON.parse(text);
    } catch {
      throw new CcbridgeError('invalid_json', 'request body is not valid JSON', { exitCode: 2 });
    }
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new CcbridgeError('invalid_request', describeZodError(parsed.error), { exitCode: 2 });
  return parsed.data;
}

/** Shapes every control-API failure as `{error:{code,message}}`. */
export function controlError(err: Error, c: Context): Response {
  const body = (code: string, message: string, exitCode: number): ApiError => ({ error: { code, message, exitCode } });
  if (err instanceof CcbridgeError) return c.json(body(err.code, err.message, err.exitCode), err.status as 400);
  if (err instanceof z.ZodError) return c.json(body('invalid_request', describeZodError(err), 2), 400);
  return c.json(body('internal', err.message, 1), 500);
}
