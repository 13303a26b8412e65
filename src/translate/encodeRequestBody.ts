import zlib from 'node:zlib';

/**
 * Request body compression as codex does it with ChatGPT auth (`content-encoding: zstd`, contract §0), when
 * the runtime has zstd (Node >= 22.15); identity on older Node (20 has none). Codex compresses with zstd's
 * default level, as `zlib.zstdCompress` does without options.
 */
type ZstdCompress = (data: Buffer, callback: (err: Error | null, result: Buffer) => void) => void;
const { zstdCompress, zstdCompressSync } = zlib as {
  zstdCompress?: ZstdCompress;
  zstdCompressSync?: (data: Buffer) => Buffer;
};

export type ContentEncoding = 'zstd' | null;

/** What this runtime sends: zstd where Node has it. */
export const REQUEST_ENCODING: ContentEncoding = zstdCompress ? 'zstd' : null;

export interface EncodedBody {
  bytes: Buffer;
  contentEncoding: ContentEncoding;
}

/** The JSON body as sent on the wire; compressed on the thread pool, off the event loop. */
export function encodeRequestBody(json: string, encoding: ContentEncoding = REQUEST_ENCODING): Promise<EncodedBody> {
  const plain = Buffer.from(json, 'utf8');
  if (encoding !== 'zstd' || !zstdCompress) return Promise.resolve({ bytes: plain, contentEncoding: null });
  return new Promise((resolve, reject) =>
    zstdCompress(plain, (err, bytes) => (err ? reject(err) : resolve({ bytes, contentEncoding: 'zstd' }))),
  );
}

/** The same, synchronously: for a thread that has nothing else to do (a large request's worker). */
export function encodeRequestBodySync(json: string, encoding: ContentEncoding = REQUEST_ENCODING): EncodedBody {
  const plain = Buffer.from(json, 'utf8');
  if (encoding !== 'zstd' || !zstdCompressSync) return { bytes: plain, contentEncoding: null };
  return { bytes: zstdCompressSync(plain), contentEncoding: 'zstd' };
}
