import type { Context, MiddlewareHandler } from 'hono';
import { onResponseDone } from '../clientIo.js';
import { releaseMemorySoon } from '../releaseMemorySoon.js';

/** Bodies above this are parsed in steps with a turn of the event loop between them. */
const LARGE_BODY_CHARS = 1024 * 1024;

/** Lets other requests run before the next step of a large one. */
export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** How a plane reads its request bodies; each step throws that plane's own error (its status and JSON shape). */
export interface BodyFormat<T> {
  /** The body as text (size-capped where the plane caps it). */
  read(c: Context): Promise<string>;
  /** JSON text → a value: bad JSON is a 400. */
  json(text: string): unknown;
  /** The value → the route's typed body (a zod schema's parse): a bad field is a 400 naming it. */
  validate(raw: unknown): T;
}

/**
 * Reads, parses and validates the JSON body once, before the route: the route gets the typed result as
 * `c.var.body` (and whether it was large as `c.var.largeBody`), so every route with a body declares its schema once, in its middleware list. A large body (the
 * bridge's 30 MB requests) is read, parsed and validated as separate turns of the event loop, so it does not hold
 * every other client for the sum of the three; once its response is over, the memory its copies took is given back.
 */
export function validBody<T>(format: BodyFormat<T>): MiddlewareHandler<{ Variables: { body: T; largeBody: boolean } }> {
  return async (c, next) => {
    const text = await format.read(c);
    const large = text.length > LARGE_BODY_CHARS;
    if (large) {
      onResponseDone(c, releaseMemorySoon);
      await nextTurn();
    }
    const raw = format.json(text);
    if (large) await nextTurn();
    c.set('body', format.validate(raw));
    c.set('largeBody', large);
    await next();
  };
}
