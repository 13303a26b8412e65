import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  encodeRequestBody,
  encodeRequestBodySync,
  REQUEST_ENCODING,
} from '../../../src/translate/encodeRequestBody.js';

/** The content size a zstd frame's header declares, or null when it declares none (RFC 8878 §3.1.1.1). */
function declaredContentSize(frame: Buffer): number | null {
  expect(frame.readUInt32LE(0)).toBe(0xfd2fb528);
  const fhd = frame[4]!;
  const fcsFlag = fhd >> 6;
  const singleSegment = (fhd >> 5) & 1;
  const fcsBytes = [singleSegment ? 1 : 0, 2, 4, 8][fcsFlag]!;
  if (!fcsBytes) return null;
  const at = 5 + (singleSegment ? 0 : 1) + [0, 1, 2, 4][fhd & 3]!;
  if (fcsBytes === 1) return frame[at]!;
  if (fcsBytes === 2) return frame.readUInt16LE(at) + 256;
  if (fcsBytes === 4) return frame.readUInt32LE(at);
  return Number(frame.readBigUInt64LE(at));
}

/** A Responses body of about `bytes` bytes that compresses like a real one (varied words, not one repeated). */
function body(bytes: number): string {
  let text = '';
  for (let i = 0; text.length < bytes; i++) text += `w${(i * 7919) % 10007} `;
  return JSON.stringify({ model: 'gpt-5.5', input: [{ type: 'message', role: 'user', content: text }] });
}

const zstdDecompressSync = (zlib as { zstdDecompressSync?: (b: Buffer) => Buffer }).zstdDecompressSync;

describe('encodeRequestBody', () => {
  it('sends the JSON as is where the runtime has no zstd (or when told so)', async () => {
    const json = body(1000);
    const plain = await encodeRequestBody(json, null);
    expect(plain).toEqual({ bytes: Buffer.from(json), contentEncoding: null });
    expect(encodeRequestBodySync(json, null)).toEqual(plain);
  });

  it.skipIf(!REQUEST_ENCODING)(
    'compresses small and large bodies to zstd frames that declare their size (a context sized to the body)',
    async () => {
      // Small ones are compressed on the event loop, large ones on the thread pool: both must pledge the size.
      for (const json of [body(300), body(60_000), body(400_000)]) {
        const size = Buffer.byteLength(json);
        for (const encoded of [await encodeRequestBody(json), encodeRequestBodySync(json)]) {
          expect(encoded.contentEncoding).toBe('zstd');
          expect(encoded.bytes.length).toBeLessThan(size);
          expect(declaredContentSize(encoded.bytes)).toBe(size);
          expect(zstdDecompressSync!(encoded.bytes).toString('utf8')).toBe(json);
        }
      }
    },
  );
});
