import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { reduceHeap } from '../../../src/daemon/reduceHeap.js';
import { trimNativeHeap } from '../../../src/daemon/trimNativeHeap.js';

const MB = 1024 * 1024;
const glibc = Boolean(
  (process.report.getReport() as { header: { glibcVersionRuntime?: string } }).header.glibcVersionRuntime,
);
const koffiMapped = () => readFileSync('/proc/self/maps', 'utf8').includes('koffi.node');

// In order: the module's state (koffi loaded or not) carries from one test to the next.
describe.runIf(glibc)('trimNativeHeap', () => {
  it('leaves koffi unloaded while the memory outside V8 has not grown', async () => {
    await reduceHeap();
    expect(trimNativeHeap()).toBe(false);
    expect(koffiMapped()).toBe(false);
  });

  it('gives back the C heap that freed buffers left in holes, once it grew', async () => {
    // 3200 buffers of 60 KB (each its own malloc, under the mmap threshold); every other one is dropped, leaving
    // a hole below a live buffer each time: free() returns none of them, only a trim does.
    let buffers: Array<Buffer | null> = Array.from({ length: 3200 }, (_, i) =>
      Buffer.allocUnsafeSlow(60 * 1024).fill(i),
    );
    const before = process.memoryUsage.rss();
    buffers = buffers.map((b, i) => (i % 2 ? b : null));
    await reduceHeap(); // the collection frees the dropped backing stores, then the trim returns their pages
    const after = process.memoryUsage.rss();
    expect(buffers.filter(Boolean)).toHaveLength(1600);
    expect(koffiMapped()).toBe(true);
    expect((before - after) / MB).toBeGreaterThan(60); // of the ~94 MB dropped
  });

  it('trims at every release from then on', () => {
    expect(trimNativeHeap()).toBe(true);
  });
});
