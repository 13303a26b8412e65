import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { EventSchema, type CcbEvent, type EventInput } from '../shared/schemas/events.js';
import { BatchedAppender } from './batchedAppender.js';
import { redactData, redactText } from './redact.js';
import { escapeControl } from '../shared/escapeControl.js';

type Listener = (event: CcbEvent) => void;

export interface EventLogOptions {
  /** Rotate to `<file>.1` once the file passes this size. */
  maxBytes?: number;
  /** Events kept in memory for `/api/events`. */
  memory?: number;
}

/**
 * Append-only JSONL event log, bounded by rotation, with a memory ring for fast reads and
 * live subscribers. Every message and data field goes through redaction first. Lines reach the file in one
 * batched write per event-loop turn (BatchedAppender): `close()` on stop writes the last ones.
 */
export class EventLog {
  readonly #file: BatchedAppender;
  readonly #memory: number;
  readonly #recent: CcbEvent[];
  readonly #listeners = new Set<Listener>();
  #nextId: number;

  constructor(file: string, opts: EventLogOptions = {}) {
    this.#memory = opts.memory ?? 1000;
    this.#recent = readTail(file, this.#memory);
    this.#nextId = (this.#recent.at(-1)?.id ?? 0) + 1;
    this.#file = new BatchedAppender(file, { maxBytes: opts.maxBytes ?? 5 * 1024 * 1024 });
  }

  append(input: EventInput): CcbEvent {
    const event: CcbEvent = {
      id: this.#nextId++,
      time: new Date().toISOString(),
      level: input.level,
      category: input.category,
      message: escapeControl(redactText(input.message)),
      accountId: input.accountId ?? null,
    };
    if (input.data) event.data = redactData(input.data) as Record<string, unknown>;
    this.#file.append(JSON.stringify(event) + '\n');
    this.#recent.push(event);
    if (this.#recent.length > this.#memory) this.#recent.shift();
    for (const listener of this.#listeners) listener(event);
    return event;
  }

  recent(limit = 100): CcbEvent[] {
    return this.#recent.slice(-Math.max(0, limit));
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Writes the queued lines now. */
  flush(): void {
    this.#file.flush();
  }

  close(): void {
    this.#file.close();
  }
}

/** Reads the last `count` valid events without loading a large file whole. */
function readTail(file: string, count: number): CcbEvent[] {
  if (!existsSync(file)) return [];
  const size = statSync(file).size;
  const chunk = Math.min(size, 512 * 1024);
  const buf = Buffer.alloc(chunk);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buf, 0, chunk, size - chunk);
  } finally {
    closeSync(fd);
  }
  const lines = buf.toString('utf8').split('\n');
  if (chunk < size) lines.shift(); // first line may be cut
  const events: CcbEvent[] = [];
  for (const line of lines) {
    if (!line.trim()) continue;
    try {
      events.push(EventSchema.parse(JSON.parse(line)));
    } catch {
      // a torn or foreign line is skipped, never fatal
    }
  }
  return events.slice(-count);
}
