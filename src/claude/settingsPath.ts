import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

type Env = Record<string, string | undefined>;

/** `~` and `~/x` as a shell would expand them; anything else resolved against the cwd. */
export function expandPath(path: string, home = homedir()): string {
  if (path === '~') return home;
  if (path.startsWith('~/')) return join(home, path.slice(2));
  return resolve(path);
}

/** Claude Code's user settings file: CLAUDE_SETTINGS_PATH, else the claudeSettingsPath setting, else ~/.claude/settings.json. */
export function defaultSettingsPath(env: Env, setting: string | null, home = homedir()): string {
  const chosen = env.CLAUDE_SETTINGS_PATH || setting;
  return chosen ? expandPath(chosen, home) : join(home, '.claude', 'settings.json');
}

/**
 * The settings path a CLI command asks the daemon for: `--settings`, else the caller's own
 * CLAUDE_SETTINGS_PATH (the daemon may have been started from another shell). Undefined lets the
 * daemon decide.
 */
export function requestedSettingsPath(explicit: string | undefined, env: Env = process.env): string | undefined {
  const chosen = explicit || env.CLAUDE_SETTINGS_PATH;
  return chosen ? expandPath(chosen) : undefined;
}
