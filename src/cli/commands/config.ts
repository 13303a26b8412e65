import { Argument, Command } from 'commander';
import type { SettingKey, Settings } from '../../shared/schemas/settings.js';
import { usageError } from '../../shared/errors.js';
import { emit, table } from '../output.js';
import { addJsonOption, withDaemon, type JsonOption } from './shared.js';

// The settings table needs zod; it is loaded only when `config` runs, keeping other commands fast.
const settingsModule = () => import('../../shared/schemas/settings.js');

function requireKey(SETTING_KEYS: SettingKey[], key: string | undefined): SettingKey {
  if (!key) throw usageError('usage', `name a setting; valid keys: ${SETTING_KEYS.join(', ')}`);
  if (!(SETTING_KEYS as string[]).includes(key))
    throw usageError('unknown_setting', `unknown setting "${key}"; valid keys: ${SETTING_KEYS.join(', ')}`);
  return key as SettingKey;
}

const show = (v: unknown) => (v === null ? 'null' : String(v));

export function configCommand(): Command {
  return addJsonOption(
    new Command('config')
      .description('list, get or set settings (`ccbridge config` lists every key with its valid values)')
      .addArgument(new Argument('[action]', 'list | get | set').choices(['list', 'get', 'set']).default('list'))
      .argument('[key]', 'setting name')
      .argument('[value]', 'new value (set)'),
  ).action(
    async (action: 'list' | 'get' | 'set', key: string | undefined, value: string | undefined, opts: JsonOption) => {
      const { SETTING_KEYS, coerceSettingValue, describeSettingValues } = await settingsModule();
      if (action === 'list') {
        const { settings } = await withDaemon((c) => c.request<{ settings: Settings }>('GET', '/api/settings'));
        const rows = SETTING_KEYS.map((k) => ({ key: k, value: settings[k], values: describeSettingValues(k) }));
        emit(opts.json ? settings : rows, opts, () =>
          table([['KEY', 'VALUE', 'VALUES'], ...rows.map((r) => [r.key, show(r.value), r.values])]),
        );
        return;
      }
      const k = requireKey(SETTING_KEYS, key);
      if (action === 'get') {
        const { settings } = await withDaemon((c) => c.request<{ settings: Settings }>('GET', '/api/settings'));
        emit({ [k]: settings[k] }, opts, () => show(settings[k]));
        return;
      }
      if (value === undefined) throw usageError('usage', `give a value for ${k}: ${describeSettingValues(k)}`);
      const patch = { [k]: coerceSettingValue(k, value) };
      const { settings } = await withDaemon((c) =>
        c.request<{ settings: Settings }>('PATCH', '/api/settings', patch),
      ).catch((err: Error & { exitCode?: number }) => {
        if (err.exitCode === 2)
          throw usageError(
            'invalid_setting',
            `invalid value "${value}" for ${k}; valid values: ${describeSettingValues(k)}`,
          );
        throw err;
      });
      emit({ [k]: settings[k] }, opts, () => `${k} = ${show(settings[k])}`);
    },
  );
}
