import { Command } from 'commander';
import { resolvePaths } from '../../shared/paths.js';

/**
 * `ccbridge __complete -- <words…>`: what the shell scripts call on TAB. The words are those after
 * the program name, the last one being completed. Reads state.json directly and never contacts or
 * starts the daemon. Hidden from --help.
 */
export function completeCommand(): Command {
  return new Command('__complete')
    .description('print completion candidates for the words after `ccbridge` (used by the shell scripts)')
    .argument('[words...]', 'the command line so far; the last word is the one being completed')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (words: string[], _opts: unknown, cmd: Command) => {
      // The engine needs the settings and model tables (zod): a chunk only TAB pays for.
      const [{ completeWords, formatCompletion }, { stateCompletionSource }] = await Promise.all([
        import('../complete/completeWords.js'),
        import('../complete/stateCompletionSource.js'),
      ]);
      const root = cmd.parent ?? cmd;
      const completion = completeWords(root, words.length ? words : [''], stateCompletionSource(resolvePaths()));
      process.stdout.write(formatCompletion(completion));
    });
}
