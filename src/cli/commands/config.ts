import { Argument, Command } from 'commander';
import * as z from 'zod';
import { controlApi } from '../../client/controlApi.js';
import type { SettingKey, Settings } from '../../shared/schemas/settings.js';
import { usageError } from '../../shared/errors.js';
import { resolvePaths } from '../../shared/paths.js';
import { emit, table } from '../output.js';
import { actingAccount } from '../accountReadiness.js';
import { requireListedModel } from '../requireListedModel.js';
import { addJsonOption, getState, withDaemon, JsonOptionSchema } from './shared.js';
import { parseOptions } from '../parseOptions.js';

// The settings table is big; it is loaded only when `config` runs, keeping help and completion fast.
const settingsModule = () => import('../../shared/schemas/settings.js');

function requireKey(SETTING_KEYS: SettingKey[], key: string | undefined): SettingKey {
  if (!key) throw usageError('usage', `name a setting; valid keys: ${SETTING_KEYS.join(', ')}`);
  if (!(SETTING_KEYS as string[]).includes(key))
    throw usageError('unknown_setting', `unknown setting "${key}"; valid keys: ${SETTING_KEYS.join(', ')}`);
  return key as SettingKey;
}

/** Writes settings into state.json under the daemon lock, so no daemon can start and write over them meanwhile. */
async function saveWhileDown(patch: Record<string, unknown>): Promise<Settings> {
  const [{ acquireDaemonLock }, { StateStore }, { SettingsPatchSchema }] = await Promise.all([
    import('../../daemon/daemonLock.js'),
    import('../../core/stateStore.js'),
    settingsModule(),
  ]);
  const paths = resolvePaths();
  const lock = await acquireDaemonLock(paths.dataDir, paths.lockFile);
  try {
    const store = StateStore.open(paths.stateFile);
    const valid = SettingsPatchSchema.parse(patch);
    store.update((s) => Object.assign(s.settings, valid));
    return store.get().settings;
  } finally {
    lock.release();
  }
}

const MODEL_KEYS: string[] = ['opusModel', 'sonnetModel', 'haikuModel', 'subagentModel'];

const show = (v: unknown) => (v === null ? 'null' : String(v));

const ConfigOptionsSchema = JsonOptionSchema.extend({ force: z.boolean().optional() });

export function configCommand(): Command {
  return addJsonOption(
    new Command('config')
      .description('list, get or set settings (`ccbridge config` lists every key with its valid values)')
      .addArgument(new Argument('[action]', 'list | get | set').choices(['list', 'get', 'set']).default('list'))
      .argument('[key]', 'setting name')
      .argument('[value]', 'new value (set)')
      .option('--force', "set a tier model the account's model list does not have"),
  ).action(
    async (
      action: 'list' | 'get' | 'set',
      key: string | undefined,
      value: string | undefined,
      _opts: unknown,
      cmd: Command,
    ) => {
      const opts = parseOptions(cmd, ConfigOptionsSchema);
      const { SETTING_KEYS, coerceSettingValue, describeSettingValues } = await settingsModule();
      if (action === 'list') {
        const { settings } = await withDaemon((c) => c.call(controlApi.settings()));
        const rows = SETTING_KEYS.map((k) => ({ key: k, value: settings[k], values: describeSettingValues(k) }));
        emit(opts.json ? settings : rows, opts, () =>
          table([['KEY', 'VALUE', 'VALUES'], ...rows.map((r) => [r.key, show(r.value), r.values])]),
        );
        return;
      }
      const k = requireKey(SETTING_KEYS, key);
      if (action === 'get') {
        const { settings } = await withDaemon((c) => c.call(controlApi.settings()));
        emit({ [k]: settings[k] }, opts, () => show(settings[k]));
        return;
      }
      if (value === undefined) throw usageError('usage', `give a value for ${k}: ${describeSettingValues(k)}`);
      const patch = { [k]: coerceSettingValue(k, value) };
      let offline = false;
      const { settings } = await withDaemon(async (c) => {
        // A tier model is checked against the model list of the account requests go to.
        const model = patch[k];
        if (MODEL_KEYS.includes(k) && typeof model === 'string' && !opts.force) {
          const state = await getState(c);
          // With no account yet there is no list to check against.
          if (state.accounts.length)
            await requireListedModel(c, actingAccount(state, 'to check the model against'), model);
        }
        return c.call(controlApi.patchSettings(patch));
      }).catch(async (err: Error & { exitCode?: number; code?: string }) => {
        // A daemon that cannot start (its port is busy) may need exactly this setting to start: save it directly.
        if (err.code === 'daemon_start_failed') {
          offline = true;
          return { settings: await saveWhileDown(patch) };
        }
        if (err.exitCode === 2 && err.code !== 'unknown_model')
          throw usageError(
            'invalid_setting',
            `invalid value "${value}" for ${k}; valid values: ${describeSettingValues(k)}`,
          );
        throw err;
      });
      emit({ [k]: settings[k] }, opts, () =>
        offline
          ? `${k} = ${show(settings[k])} (saved while the daemon is down; \`ccbridge start\` uses it)`
          : `${k} = ${show(settings[k])}`,
      );
    },
  );
}
