import { Command } from 'commander';
import { VERSION } from '../../shared/version.js';
import { emit } from '../output.js';
import { addJsonOption, type JsonOption } from './shared.js';

/** `ccbridge version`, as `--version` (no daemon needed). */
export function versionCommand(): Command {
  return addJsonOption(new Command('version').description('print the ccbridge version')).action((opts: JsonOption) => {
    emit({ version: VERSION }, opts, (d) => d.version);
  });
}
