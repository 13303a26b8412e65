import { Command, InvalidArgumentError } from 'commander';
import { UsageReportSchema } from '../../shared/schemas/usage.js';
import { emit } from '../output.js';
import { formatUsageReport, usageJson } from '../usageReport.js';
import { addJsonOption, encodeRef, withDaemon, type JsonOption } from './shared.js';

interface UsageOptions extends JsonOption {
  days: number;
}

function parseDays(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 90) throw new InvalidArgumentError('a whole number of days, 1 to 90');
  return n;
}

export function usageCommand(): Command {
  return addJsonOption(
    new Command('usage')
      .description('Requests and tokens per day and account (cache hit rate, errors, failovers), with a chart')
      .argument('[account]', 'only this account (name or id; also one removed since)')
      .option('--days <n>', 'how many days back, today included (1-90)', parseDays, 7),
  ).action(async (ref: string | undefined, opts: UsageOptions) => {
    await withDaemon(async (client) => {
      const query = `days=${opts.days}${ref ? `&account=${encodeRef(ref)}` : ''}`;
      const report = UsageReportSchema.parse(await client.request('GET', `/api/usage?${query}`));
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
