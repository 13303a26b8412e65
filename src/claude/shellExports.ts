import type { ClaudeEnv } from '../shared/schemas/integration.js';

export type Shell = 'sh' | 'fish';
export const SHELLS: readonly Shell[] = ['sh', 'fish'];

/** POSIX single quotes take everything literally; a quote itself is closed, escaped and reopened. */
const shQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

/** In fish single quotes only `\\` and `\'` are escapes. */
const fishQuote = (value: string) => `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;

/** Lines that set `env` in the current shell when evaluated (`eval "$(ccbridge env)"`). */
export function formatExports(env: ClaudeEnv, shell: Shell): string {
  const lines = Object.entries(env).map(([key, value]) =>
    shell === 'fish' ? `set -gx ${key} ${fishQuote(value)};` : `export ${key}=${shQuote(value)}`,
  );
  return `${lines.join('\n')}\n`;
}
