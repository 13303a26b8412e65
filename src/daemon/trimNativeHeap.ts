import { createRequire } from 'node:module';
import { isMainThread } from 'node:worker_threads';

/**
 * glibc keeps what the process freed: a burst of traffic (Node's 64 KB socket read buffers, header and write
 * buffers) leaves its main heap fragmented, and free() only ever gives back the top of it. After the load of
 * bench/bridge.mjs that was 17–23 MB of the daemon's resident set, idle for good; a bare Node proxy keeps it too.
 * `malloc_trim(0)` returns every free page of every arena to the kernel (measured: that [heap] 16.7 → 3.7 MB).
 * Node has no binding for it, so it is reached through koffi, an optional dependency that ships prebuilt FFI
 * binaries per platform (its install script, which would compile, stays denied in package.json). Without koffi,
 * or off glibc (musl, macOS), the process simply keeps that memory.
 */

type MallocTrim = (pad: number) => number;

interface Koffi {
  load(path: string): { func(signature: string): MallocTrim };
}

let mallocTrim: MallocTrim | null | undefined;

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

/** Gives the C heap's free pages back to the kernel; false where that cannot be done here. */
export function trimNativeHeap(): boolean {
  if (mallocTrim === undefined) mallocTrim = bindMallocTrim();
  if (!mallocTrim) return false;
  mallocTrim(0);
  return true;
}
