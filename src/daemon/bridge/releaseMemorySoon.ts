import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * After a large request the heap holds several dead copies of its body (the text, the parsed request, the
 * translated one, the encoded one). Nothing else allocates much afterwards, so V8 would keep them: the daemon
 * stayed at 300+ MB after a few 27 MB requests. One full collection shortly after a large request ends gives the
 * memory back (~10-30 ms, once; ordinary requests never trigger it).
 */

const DELAY_MS = 500;

let collect: (() => void) | null | undefined;
let timer: NodeJS.Timeout | null = null;

/** V8's `gc`, exposed at runtime (the daemon is not started with --expose-gc); null where that is refused. */
function collector(): (() => void) | null {
  if (collect !== undefined) return collect;
  try {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  } catch {
    collect = null;
  }
  return collect;
}

/** A full collection soon; several large requests ending together share one. */
export function releaseMemorySoon(): void {
  if (timer) {
    timer.refresh();
    return;
  }
  timer = setTimeout(() => {
    timer = null;
    collector()?.();
  }, DELAY_MS);
  timer.unref();
}
