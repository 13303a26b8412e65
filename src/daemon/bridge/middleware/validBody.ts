import type { Context, MiddlewareHandler } from 'hono';
import { onResponseDone } from '../clientIo.js';
import { releaseMemorySoon } from '../releaseMemorySoon.js';

/** Bodies above this are parsed in steps with a turn of the event loop between them. */
const LARGE_BODY_BYTES = 1024 * 1024;

/** Lets other requests run before the next step of a large one. */
export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** How a plane reads its request bodies; each step throws that plane's own error (its status and JSON shape). */
export interface BodyFormat<T, Off = never> {
  /** The body's bytes (size-capped where the plane caps it). */
  read(c: Context): Promise<Buffer>;
  /** JSON text → a value: bad JSON is a 400. */
  json(text: string): unknown;
  /** The value → the route's typed body (a zod schema's parse): a bad field is a 400 naming it. */
  validate(raw: unknown): T;
  /**
   * Bodies of `minBytes` or more go whole to `take` instead (another thread parses them), which gives the route
   * what it needs of them in place of the parsed body.
   */
  offload?: { minBytes: number; take(bytes: Buffer, c: Context): Promise<Off> };
}

/**
 * Reads, parses and validates the JSON body. A large body (the bridge's requests of a few MB) is read, parsed and
 * validated as separate turns of the event loop, so it does not hold every other client for the sum of the three;
 * once its response is over, the memory its copies took is given back.
 */
export async function parseBody<T, Off = never>(
  format: BodyFormat<T, Off>,
  c: Context,
): Promise<{ body: T | Off; large: boolean }> {
  const bytes = await format.read(c);
  const large = bytes.length > LARGE_BODY_BYTES;
  // Parsed elsewhere: this heap never holds its copies.
  if (format.offload && bytes.length >= format.offload.minBytes)
    return { body: await format.offload.take(bytes, c), large };
  if (large) {
    onResponseDone(c, releaseMemorySoon);
    await nextTurn();
  }
  const raw = format.json(bytes.toString('utf8'));
  if (large) await nextTurn();
  return { body: format.validate(raw), large };
}

/**
 * The body parsed once, before the route: the route gets the typed result as `c.get('body')` (and whether it was
 * large as `c.get('largeBody')`), so every route with a body declares its schema once, in its middleware list.
 * (On the bridge, `c.get`, not `c.var`: hono's `var` copies every variable into a new object on each read.)
 */
export function validBody<T, Off = never>(
  format: BodyFormat<T, Off>,
): MiddlewareHandler<{ Variables: { body: T | Off; largeBody: boolean } }> {
  return async (c, next) => {
    const { body, large } = await parseBody(format, c);
    c.set('largeBody', large);
    c.set('body', body);
    await next();
  };
}
