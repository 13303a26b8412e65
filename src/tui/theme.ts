import type { SegmentTone } from './view/line.js';

/** Colors by meaning. Under NO_COLOR every entry is undefined: text keeps bold and shape, never color. */
export type Theme = Record<SegmentTone | 'border' | 'focus', string | undefined>;

const COLORS: Theme = {
  ok: 'green',
  warn: 'yellow',
  error: 'red',
  muted: 'gray',
  accent: 'cyan',
  border: 'gray',
  focus: 'cyan',
};
const PLAIN: Theme = {
  ok: undefined,
  warn: undefined,
  error: undefined,
  muted: undefined,
  accent: undefined,
  border: undefined,
  focus: undefined,
};

/** https://no-color.org: any non-empty NO_COLOR turns color off. */
export function themeFor(env: Record<string, string | undefined>): Theme {
  return env.NO_COLOR ? PLAIN : COLORS;
}
