import zlib from 'node:zlib';

/**
 * Request body compression as codex does it with ChatGPT auth (`content-encoding: zstd`, contract §0), when
 * the runtime has zstd (Node >= 22.15); identity on older Node (20 has none). Codex compresses with zstd's
 * default level, as `zlib.zstdCompress` does without a level.
 *
 * The body's size is always pledged: without it zstd sizes its context for input of any length (megabytes,
 * allocated and freed per request), which made the compression of a small body cost more than the rest of its
 * request (on Node 24 at c=64: 1.1–1.2 ms of CPU per request, against 0.1 ms for a bare proxy).
 */
interface ZstdOptions {
  pledgedSrcSize: number;
  chunkSize: number;
}
type ZstdCompress = (data: Buffer, options: ZstdOptions, callback: (err: Error | null, result: Buffer) => void) => void;
const { zstdCompress, zstdCompressSync } = zlib as {
  zstdCompress?: ZstdCompress;
  zstdCompressSync?: (data: Buffer, options: ZstdOptions) => Buffer;
};

/**
 * Bodies up to this size are compressed on the event loop (at most ~0.5 ms; a first Claude Code turn, 55 KB, takes
 * 0.19 ms): a round trip through the thread pool costs more CPU than that (0.43 ms for the same body at c=64), and
 * the rest of the request's work is on the event loop anyway. Larger ones go to the thread pool.
 */
const SYNC_LIMIT = 128 * 1024;

export type ContentEncoding = 'zstd' | null;

/** What this runtime sends: zstd where Node has it. */
export const REQUEST_ENCODING: ContentEncoding = zstdCompress ? 'zstd' : null;

export interface EncodedBody {
  bytes: Buffer;
  contentEncoding: ContentEncoding;
}

/** The JSON body as sent on the wire; a large one compressed on the thread pool, off the event loop. */
export function encodeRequestBody(json: string, encoding: ContentEncoding = REQUEST_ENCODING): Promise<EncodedBody> {
  const plain = Buffer.from(json, 'utf8');
  if (encoding !== 'zstd' || !zstdCompress || plain.length <= SYNC_LIMIT)
    return Promise.resolve(encodeBytes(plain, encoding));
  return new Promise((resolve, reject) =>
    zstdCompress(plain, zstdOptions(plain.length), (err, bytes) =>
      err ? reject(err) : resolve({ bytes, contentEncoding: 'zstd' }),
    ),
  );
}

/** The same, synchronously: for a thread that has nothing else to do (a large request's worker). */
export function encodeRequestBodySync(json: string, encoding: ContentEncoding = REQUEST_ENCODING): EncodedBody {
  return encodeBytes(Buffer.from(json, 'utf8'), encoding);
}

function encodeBytes(plain: Buffer, encoding: ContentEncoding): EncodedBody {
  if (encoding !== 'zstd' || !zstdCompressSync) return { bytes: plain, contentEncoding: null };
  return { bytes: zstdCompressSync(plain, zstdOptions(plain.length)), contentEncoding: 'zstd' };
}

/**
 * The pledged size, and an output buffer of zstd's worst case for it (ZSTD_COMPRESSBOUND) instead of Node's 64 KB
 * chunks: one allocation that fits, a quarter less CPU for a small body.
 */
function zstdOptions(size: number): ZstdOptions {
  const bound = size + (size >> 8) + (size < 128 * 1024 ? (128 * 1024 - size) >> 11 : 0);
  return { pledgedSrcSize: size, chunkSize: Math.max(64, bound) };
}
