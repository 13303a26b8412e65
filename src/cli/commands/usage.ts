import { Command, Option } from 'commander';
import * as z from 'zod';
import { controlApi } from '../../client/controlApi.js';
import { optionValue, parseOptions } from '../parseOptions.js';
import { emit } from '../output.js';
import { formatUsageReport, usageJson } from '../usageReport.js';
import { addJsonOption, JsonOptionSchema, withDaemon } from './shared.js';

const UsageOptionsSchema = JsonOptionSchema.extend({
  days: optionValue(z.coerce.number().int().min(1).max(90), 'a whole number of days, 1 to 90'),
});

export function usageCommand(): Command {
  return addJsonOption(
    new Command('usage')
      .description('requests and tokens per day and account (cache hit rate, errors, failovers), with a chart')
      .argument('[account]', 'only this account (name or id; also one removed since)')
      .addOption(new Option('--days <n>', 'how many days back, today included (1-90)').default(7)),
  ).action(async (ref: string | undefined, _opts: unknown, cmd: Command) => {
    const opts = parseOptions(cmd, UsageOptionsSchema);
    await withDaemon(async (client) => {
      const report = await client.call(controlApi.usage({ days: opts.days, account: ref }));
      const plain = Boolean(process.env.NO_COLOR) || process.env.TERM === 'dumb';
      emit(opts.json ? usageJson(report) : report, opts, () =>
        formatUsageReport(report, {
          days: opts.days,
          now: Date.now(),
          width: Math.max(40, Math.min(process.stdout.columns || 80, 100)),
          fancy: !plain,
          color: !plain && Boolean(process.stdout.isTTY),
        }),
      );
    });
  });
}
