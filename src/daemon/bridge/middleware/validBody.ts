import type { MiddlewareHandler } from 'hono';
import { parseJsonObject } from '../../../translate/parseMessagesRequest.js';
import { onResponseDone, readRequestBody } from '../clientIo.js';
import { releaseMemorySoon } from '../releaseMemorySoon.js';

/** Bodies above this are parsed in steps with a turn of the event loop between them. */
const LARGE_BODY_CHARS = 1024 * 1024;

/** Lets other requests run before the next step of a large one. */
export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Reads the JSON body (size-capped, nesting-bounded) and validates it with `validate` (a zod schema's parse);
 * the route gets the typed result as `c.var.body` (and whether it was large as `c.var.largeBody`). A large body is read, parsed and validated as separate
 * turns of the event loop, so a 30 MB request does not hold every other client for the sum of the three; once
 * its response is over, the memory its copies took is given back.
 */
export function validBody<T>(
  validate: (raw: unknown) => T,
): MiddlewareHandler<{ Variables: { body: T; largeBody: boolean } }> {
  return async (c, next) => {
    const text = await readRequestBody(c);
    const large = text.length > LARGE_BODY_CHARS;
    if (large) {
      onResponseDone(c, releaseMemorySoon);
      await nextTurn();
    }
    const raw = parseJsonObject(text);
    if (large) await nextTurn();
    c.set('body', validate(raw));
    c.set('largeBody', large);
    await next();
  };
}
