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
