import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CcbridgeError } from '../../shared/errors.js';

const SCRIPT_FILES = { bash: 'ccbridge.bash', zsh: '_ccbridge', fish: 'ccbridge.fish' } as const;
export type Shell = keyof typeof SCRIPT_FILES;
export const SHELLS = Object.keys(SCRIPT_FILES) as Shell[];

/**
 * The shipped script for `shell`, read from the package's completions/ directory (next to dist/
 * in a checkout and in an npm install), so the files in the repo stay the one source.
 */
export function completionScript(shell: Shell, from: string = dirname(fileURLToPath(import.meta.url))): string {
  const file = join('completions', SCRIPT_FILES[shell]);
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, file))) return readFileSync(join(dir, file), 'utf8');
    if (dirname(dir) === dir) break;
  }
  throw new CcbridgeError(
    'completion_missing',
    `${file} was not found above ${from}; reinstall ccbridge (npm install -g ccbridge)`,
  );
}
