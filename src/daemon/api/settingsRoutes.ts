import { Hono } from 'hono';
import { SETTING_KEYS, SettingsPatchSchema, describeSettingValues } from '../../shared/schemas/settings.js';
import { usageError } from '../../shared/errors.js';
import type { Daemon } from '../daemon.js';
import { validBody } from '../bridge/middleware/validBody.js';
import { controlBody } from './http.js';

/** A key the schema would strip silently is more likely a typo the user should hear about. */
function refuseUnknownKeys(raw: unknown): void {
  if (!raw || typeof raw !== 'object') return;
  const unknown = Object.keys(raw).filter((k) => !(SETTING_KEYS as string[]).includes(k));
  if (unknown.length)
    throw usageError(
      'unknown_setting',
      `unknown setting ${unknown.join(', ')}; valid keys: ${SETTING_KEYS.join(', ')}`,
    );
}

export function settingsRoutes(daemon: Daemon): Hono {
  const app = new Hono();

  app.get('/', (c) =>
    c.json({
      settings: daemon.store.get().settings,
      keys: SETTING_KEYS.map((key) => ({ key, values: describeSettingValues(key) })),
    }),
  );

  app.patch('/', validBody(controlBody(SettingsPatchSchema, refuseUnknownKeys)), (c) => {
    const patch = c.var.body;
    const changed = daemon.mutate((s) => {
      const changed: string[] = [];
      for (const [key, value] of Object.entries(patch) as Array<[keyof typeof patch, never]>) {
        if (s.settings[key] === value) continue;
        s.settings[key] = value;
        changed.push(`${key}=${JSON.stringify(value)}`);
      }
      return {
        result: changed,
        events: changed.length
          ? [
              {
                level: 'info' as const,
                category: 'system' as const,
                message: `settings changed: ${changed.join(', ')}`,
              },
            ]
          : [],
      };
    });
    return c.json({ settings: daemon.store.get().settings, changed });
  });

  return app;
}
