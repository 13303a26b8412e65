import { Command, type CommanderError, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { optionValue, parseOptions } from '../../../src/cli/parseOptions.js';

const Schema = z.object({
  days: optionValue(z.coerce.number().int().min(1).max(90), 'a whole number of days, 1 to 90'),
  json: z.boolean().optional(),
});

/** Runs a command whose action parses its options; returns what it parsed, or the usage error it raised. */
async function run(
  args: string[],
): Promise<{ opts?: z.output<typeof Schema>; error?: CommanderError; stderr: string }> {
  let stderr = '';
  let opts: z.output<typeof Schema> | undefined;
  const cmd = new Command('usage')
    .exitOverride()
    .configureOutput({ writeErr: (s) => (stderr += s) })
    .addOption(new Option('--days <n>').default(7))
    .option('--json')
    .action((_opts: unknown, c: Command) => {
      opts = parseOptions(c, Schema);
    });
  try {
    await cmd.parseAsync(args, { from: 'user' });
    return { opts, stderr };
  } catch (err) {
    return { error: err as CommanderError, stderr };
  }
}

describe('parseOptions', () => {
  it('gives the schema output: the default and a given value coerced', async () => {
    expect((await run([])).opts).toEqual({ days: 7 });
    expect((await run(['--days', '30', '--json'])).opts).toEqual({ days: 30, json: true });
  });

  it("turns a bad value into commander's one-line usage error, exit 2", async () => {
    const { error, stderr } = await run(['--days', '0']);
    expect(error?.exitCode).toBe(2);
    expect(error?.code).toBe('commander.invalidArgument');
    expect(stderr).toBe("error: option '--days <n>' argument '0' is invalid. a whole number of days, 1 to 90\n");
  });
});
