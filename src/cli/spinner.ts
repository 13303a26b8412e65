const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface Spinner {
  /** Shows `text` (animated on a terminal, printed once otherwise). */
  update(text: string): void;
  stop(): void;
}

/** A one-line spinner on stderr; silent when stderr is not a terminal (scripts, logs). */
export function spinner(stream: NodeJS.WriteStream = process.stderr): Spinner {
  let text = '';
  let frame = 0;
  let timer: NodeJS.Timeout | null = null;
  const draw = () => stream.write(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} ${text}`);
  return {
    update(next) {
      if (next === text || !stream.isTTY) return;
      text = next;
      draw();
      timer ??= setInterval(draw, 100);
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
      if (stream.isTTY && text) stream.write('\r\x1b[2K');
      text = '';
    },
  };
}

/** How long a wait goes unremarked: anything longer gets a spinner. */
export const SPIN_AFTER_MS = 300;

/**
 * Runs `work` and, when it takes longer than SPIN_AFTER_MS, shows `text` with a spinner on stderr (a terminal
 * only) until it settles, so no wait is silent.
 */
export async function withSpinner<T>(
  text: string,
  work: () => Promise<T>,
  stream: NodeJS.WriteStream = process.stderr,
): Promise<T> {
  const spin = spinner(stream);
  const timer = setTimeout(() => spin.update(text), SPIN_AFTER_MS);
  try {
    return await work();
  } finally {
    clearTimeout(timer);
    spin.stop();
  }
}
