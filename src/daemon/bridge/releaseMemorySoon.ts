import { reduceHeap } from '../reduceHeap.js';

/**
 * After a large request the heap holds several dead copies of its body (the text, the parsed request, the
 * translated one, the encoded one). Nothing else allocates much afterwards, so V8 would keep them: the daemon
 * stayed at 300+ MB after a few 27 MB requests. One memory-reducing collection shortly after a large request ends
 * gives the memory back (~10-30 ms, once; ordinary requests never trigger it), on whichever thread held it.
 */

const DELAY_MS = 500;

let timer: NodeJS.Timeout | null = null;

/** A collection soon; several large requests ending together share one. */
export function releaseMemorySoon(): void {
  if (timer) {
    timer.refresh();
    return;
  }
  timer = setTimeout(() => {
    timer = null;
    // Memory is only given back: a failure here must not reach the crash handler.
    reduceHeap().catch(() => {});
  }, DELAY_MS);
  timer.unref();
}
