import { trimNativeHeap } from './trimNativeHeap.js';

/**
 * V8's memory-reducing full collection (what it runs on a low-memory notification): it compacts the old generation
 * and shrinks the young one back to its minimum, which a plain `gc()` does not. Node reaches it only through the
 * inspector protocol, in process (no port is opened). A Node built without the inspector keeps its memory.
 * Then the C heap's free pages go back too (trimNativeHeap.ts): the collection is what freed the buffers on it.
 */
export async function reduceHeap(): Promise<void> {
  const inspector = await import('node:inspector').catch(() => null);
  if (inspector) {
    const session = new inspector.Session();
    session.connect();
    await new Promise<void>((resolve) => session.post('HeapProfiler.collectGarbage', () => resolve()));
    session.disconnect();
  }
  trimNativeHeap();
}
