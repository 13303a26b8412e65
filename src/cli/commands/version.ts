import { Command } from 'commander';
import { VERSION } from '../../shared/version.js';
import { emit } from '../output.js';
import { addJsonOption, JsonOptionSchema } from './shared.js';
import { parseOptions } from '../parseOptions.js';

/** `ccbridge version`, as `--version` (no daemon needed). */
export function versionCommand(): Command {
  return addJsonOption(new Command('version').description('print the ccbridge version')).action(
    (_opts: unknown, cmd: Command) => {
      const opts = parseOptions(cmd, JsonOptionSchema);
      emit({ version: VERSION }, opts, (d) => d.version);
    },
  );
}
