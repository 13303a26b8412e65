import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultSettingsPath, expandPath, requestedSettingsPath } from '../../../src/claude/settingsPath.js';

const HOME = '/home/me';

describe("Claude Code's settings path", () => {
  it('is CLAUDE_SETTINGS_PATH, else the claudeSettingsPath setting, else ~/.claude/settings.json', () => {
    expect(defaultSettingsPath({ CLAUDE_SETTINGS_PATH: '/etc/claude.json' }, '/from/setting.json', HOME)).toBe(
      '/etc/claude.json',
    );
    expect(defaultSettingsPath({ CLAUDE_SETTINGS_PATH: '' }, '~/cfg/claude.json', HOME)).toBe(
      '/home/me/cfg/claude.json',
    );
    expect(defaultSettingsPath({}, null, HOME)).toBe(join(HOME, '.claude', 'settings.json'));
  });

  it('expands ~ like a shell and resolves relative paths against the cwd', () => {
    expect(expandPath('~', HOME)).toBe(HOME);
    expect(expandPath('~/a/b.json', HOME)).toBe('/home/me/a/b.json');
    expect(expandPath('rel/settings.json', HOME)).toBe(resolve('rel/settings.json'));
    expect(expandPath('~other/x', HOME)).toBe(resolve('~other/x'));
  });

  it("asks the daemon for --settings, else the caller's CLAUDE_SETTINGS_PATH, else leaves it to the daemon", () => {
    expect(requestedSettingsPath('./s.json', { CLAUDE_SETTINGS_PATH: '/x.json' })).toBe(resolve('s.json'));
    expect(requestedSettingsPath(undefined, { CLAUDE_SETTINGS_PATH: '/x.json' })).toBe('/x.json');
    expect(requestedSettingsPath(undefined, {})).toBeUndefined();
  });
});
