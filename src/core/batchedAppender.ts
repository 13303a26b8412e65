import { closeSync, copyFileSync, fstatSync, ftruncateSync, openSync, readSync, renameSync, writeSync } from 'node:fs';

export interface BatchedAppenderOptions {
  /** Rotate to `<file>.1` once the file would pass this size. */
  maxBytes: number;
  /**
   * `rename` (default) moves the file aside and starts a new one. `copy-truncate` copies it aside and empties it in
   * place, for a file other descriptors also append to (the daemon log is the daemon's own stdout and stderr, which
   * must keep pointing at `daemon.log`).
   */
  rotate?: 'rename' | 'copy-truncate';
}

/**
 * Appends lines to a file through one descriptor kept open, written in one batch per event-loop turn: callers on
 * the hot path only queue a string (no open/write/close per line, no write per line). `flush()` writes what is
 * queued now; `close()` flushes and closes; lines still queued when the process exits are written on `exit`, so
 * a graceful stop loses none.
 *
 * A file that ends without a newline (a crash tore its last line) gets one on open, so the next line stands on its
 * own instead of being glued to the torn one.
 */
export class BatchedAppender {
  readonly file: string;
  readonly #maxBytes: number;
  readonly #rotate: 'rename' | 'copy-truncate';
  #fd: number | null;
  #size: number;
  #queue: string[] = [];
  #scheduled: NodeJS.Immediate | null = null;
  readonly #onExit = () => this.flush();

  constructor(file: string, opts: BatchedAppenderOptions) {
    this.file = file;
    this.#maxBytes = opts.maxBytes;
    this.#rotate = opts.rotate ?? 'rename';
    this.#fd = openSync(file, 'a+', 0o600);
    this.#size = fstatSync(this.#fd).size;
    if (this.#size > 0 && !endsWithNewline(this.#fd, this.#size)) this.#size += writeSync(this.#fd, '\n');
    process.on('exit', this.#onExit);
  }

  /** Queues one line (the caller supplies the trailing newline). */
  append(line: string): void {
    this.#queue.push(line);
    this.#scheduled ??= setImmediate(() => this.flush());
  }

  /** Writes everything queued, rotating first when the batch would pass the size bound. */
  flush(): void {
    if (this.#scheduled) clearImmediate(this.#scheduled);
    this.#scheduled = null;
    if (!this.#queue.length || this.#fd === null) return;
    const text = this.#queue.length === 1 ? this.#queue[0]! : this.#queue.join('');
    this.#queue = [];
    const bytes = Buffer.byteLength(text);
    if (this.#size > 0 && this.#size + bytes > this.#maxBytes) this.#rotateNow();
    writeSync(this.#fd, text);
    this.#size += bytes;
  }

  close(): void {
    this.flush();
    process.off('exit', this.#onExit);
    if (this.#fd !== null) closeSync(this.#fd);
    this.#fd = null;
  }

  #rotateNow(): void {
    const fd = this.#fd!;
    if (this.#rotate === 'copy-truncate') {
      copyFileSync(this.file, `${this.file}.1`);
      ftruncateSync(fd, 0);
    } else {
      renameSync(this.file, `${this.file}.1`);
      closeSync(fd);
      this.#fd = openSync(this.file, 'a+', 0o600);
    }
    // Other writers (stderr) may have grown the file meanwhile: measure rather than assume 0.
    this.#size = fstatSync(this.#fd!).size;
  }
}

function endsWithNewline(fd: number, size: number): boolean {
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  return last[0] === 0x0a;
}
