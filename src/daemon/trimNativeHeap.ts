import { createRequire } from 'node:module';
import { isMainThread } from 'node:worker_threads';

/**
 * glibc keeps what the process freed: a burst of traffic (Node's socket read buffers, header and write buffers)
 * leaves its main heap fragmented, and free() only ever gives back the top of it. After the load of
 * bench/bridge.mjs that was 17–23 MB of the daemon's resident set, idle for good; a bare Node proxy keeps it too.
 * `malloc_trim(0)` returns every free page of every arena to the kernel (measured: that [heap] 16.7 → 3.7 MB).
 * Node has no binding for it, so it is reached through koffi, an optional dependency that ships prebuilt FFI
 * binaries per platform (its install script, which would compile, stays denied in package.json). Without koffi,
 * or off glibc (musl, macOS), the process simply keeps that memory.
 * Loading koffi costs ~3 MB itself, so it is loaded only once the memory outside V8's heap has grown by
 * `WORTH_LOADING_BYTES` over the least seen: after a burst, not for the release after a quiet start.
 */

const WORTH_LOADING_BYTES = 8 * 1024 * 1024;

type MallocTrim = (pad: number) => number;

interface Koffi {
  load(path: string): { func(signature: string): MallocTrim };
}

let mallocTrim: MallocTrim | null | undefined;
let leastOutsideV8 = Number.POSITIVE_INFINITY;

function bindMallocTrim(): MallocTrim | null {
  // Loading a native module in a worker thread too would be one more copy for nothing: the heap is the process's.
  if (process.platform !== 'linux' || !isMainThread) return null;
  try {
    const koffi = createRequire(import.meta.url)('koffi') as Koffi;
    return koffi.load('libc.so.6').func('int malloc_trim(size_t)');
  } catch {
    return null; // not installed, no prebuilt binary for this platform, or no glibc
  }
}

/**
 * Gives the C heap's free pages back to the kernel once that is worth it (see above); true when it trimmed.
 * Call it after a collection, which is what frees the buffers on that heap.
 */
export function trimNativeHeap(): boolean {
  if (mallocTrim === undefined) {
    const { rss, heapTotal } = process.memoryUsage();
    leastOutsideV8 = Math.min(leastOutsideV8, rss - heapTotal);
    if (rss - heapTotal - leastOutsideV8 < WORTH_LOADING_BYTES) return false;
    mallocTrim = bindMallocTrim();
  }
  if (!mallocTrim) return false;
  mallocTrim(0);
  return true;
}
