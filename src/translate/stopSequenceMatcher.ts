/**
 * Finds Anthropic `stop_sequences` in streamed text. The backend takes no `stop` parameter (contract §5), so
 * the bridge cuts the text itself: text is passed on as it comes except a tail that could still be the start
 * of a sequence, which is held back until the next delta decides (so a sequence split across deltas is
 * found, and never emitted). Pure; one instance per text block.
 */
export interface MatchResult {
  /** Text safe to emit now. */
  text: string;
  /** The sequence found; everything after it is to be dropped. */
  stop: string | null;
}

export class StopSequenceMatcher {
  private held = '';
  private readonly sequences: string[];

  constructor(sequences: readonly string[]) {
    this.sequences = sequences.filter((s) => s.length > 0);
  }

  get active(): boolean {
    return this.sequences.length > 0;
  }

  push(delta: string): MatchResult {
    const text = this.held + delta;
    this.held = '';
    let at = -1;
    let stop: string | null = null;
    for (const seq of this.sequences) {
      const i = text.indexOf(seq);
      // The earliest occurrence wins; at one position the longer sequence is the one that matched.
      if (i >= 0 && (at < 0 || i < at || (i === at && seq.length > (stop?.length ?? 0)))) {
        at = i;
        stop = seq;
      }
    }
    if (stop !== null) return { text: text.slice(0, at), stop };
    const keep = this.heldTail(text);
    this.held = text.slice(text.length - keep);
    return { text: text.slice(0, text.length - keep), stop: null };
  }

  /** What was held back, when the block ends without a match. */
  flush(): string {
    const out = this.held;
    this.held = '';
    return out;
  }

  /** Length of the longest end of `text` that is a proper prefix of some sequence. */
  private heldTail(text: string): number {
    let keep = 0;
    for (const seq of this.sequences)
      for (let n = Math.min(seq.length - 1, text.length); n > keep; n--)
        if (text.endsWith(seq.slice(0, n))) {
          keep = n;
          break;
        }
    return keep;
  }
}
