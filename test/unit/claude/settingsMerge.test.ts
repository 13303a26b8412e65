import { describe, expect, it } from 'vitest';
import {
  mergeEnv,
  overriddenKeys,
  planSettings,
  removeEnv,
  serializeSettings,
} from '../../../src/claude/settingsMerge.js';

const PATH = '/home/u/.claude/settings.json';
const ENV = {
  ANTHROPIC_BASE_URL: 'http://127.0.0.1:9000/anthropic',
  ANTHROPIC_AUTH_TOKEN: 'tok',
  ANTHROPIC_MODEL: 'ccbridge-opus',
};
const USER = {
  $schema: 'https://json.schemastore.org/claude-code-settings.json',
  permissions: { allow: ['Bash(npm test)'], deny: [] },
  env: { MY_VAR: '1', ANTHROPIC_MODEL: 'claude-old' },
  hooks: { Stop: [{ hooks: [{ type: 'command', command: 'say done' }] }] },
};

describe('merging the env block into settings.json', () => {
  it('keeps every other key and every other env var, in place', () => {
    const plan = planSettings(JSON.stringify(USER, null, 4), { kind: 'apply', env: ENV }, [], PATH);
    expect(plan.changed).toBe(true);
    const after = JSON.parse(plan.text!);
    expect(Object.keys(after)).toEqual(['$schema', 'permissions', 'env', 'hooks']);
    expect(after.permissions).toEqual(USER.permissions);
    expect(after.hooks).toEqual(USER.hooks);
    expect(after.env).toEqual({
      MY_VAR: '1',
      ANTHROPIC_MODEL: 'ccbridge-opus',
      ANTHROPIC_BASE_URL: ENV.ANTHROPIC_BASE_URL,
      ANTHROPIC_AUTH_TOKEN: 'tok',
    });
    expect(plan.keys).toEqual(Object.keys(ENV));
  });

  it('re-applying the same block returns the file byte for byte, even in the user’s own layout', () => {
    const first = planSettings(JSON.stringify(USER), { kind: 'apply', env: ENV }, [], PATH);
    const userLayout = JSON.stringify(JSON.parse(first.text!), null, '\t');
    const again = planSettings(userLayout, { kind: 'apply', env: ENV }, first.keys, PATH);
    expect(again.changed).toBe(false);
    expect(again.text).toBe(userLayout);
  });

  it('drops keys it wrote before and no longer writes, and nothing else', () => {
    const before = serializeSettings({ env: { MY_VAR: '1', ANTHROPIC_CUSTOM_HEADERS: 'x: y', ...ENV } });
    const plan = planSettings(
      before,
      { kind: 'apply', env: ENV },
      [...Object.keys(ENV), 'ANTHROPIC_CUSTOM_HEADERS'],
      PATH,
    );
    expect(JSON.parse(plan.text!).env).toEqual({ MY_VAR: '1', ...ENV });
  });

  it('creates the content for a missing or blank file', () => {
    for (const old of [null, '', '  \n']) {
      const plan = planSettings(old, { kind: 'apply', env: ENV }, [], PATH);
      expect(plan.changed).toBe(true);
      expect(plan.text).toBe(`${JSON.stringify({ env: ENV }, null, 2)}\n`);
    }
  });

  it('removal takes out only the keys ccbridge wrote, and an env left empty', () => {
    const applied = serializeSettings(mergeEnv(USER, ENV, []));
    const removed = planSettings(applied, { kind: 'remove' }, Object.keys(ENV), PATH);
    expect(removed.changed).toBe(true);
    expect(removed.keys).toEqual([]);
    // ANTHROPIC_MODEL was the user's before; ccbridge overwrote it, so it goes with the block.
    expect(JSON.parse(removed.text!)).toEqual({ ...USER, env: { MY_VAR: '1' } });
    expect(removeEnv({ a: 1, env: { ...ENV } }, Object.keys(ENV))).toEqual({ a: 1 });
    const nothing = planSettings(JSON.stringify(USER), { kind: 'remove' }, [], PATH);
    expect(nothing).toMatchObject({ text: JSON.stringify(USER), changed: false, keys: [] });
    expect(planSettings(null, { kind: 'remove' }, Object.keys(ENV), PATH)).toMatchObject({
      text: null,
      changed: false,
      keys: [],
    });
  });

  it("remembers the user's values it replaces and puts exactly those back on removal", () => {
    const user = { env: { ANTHROPIC_MODEL: 'my-model', API_TIMEOUT_MS: '5', MY_VAR: '1' } };
    const first = planSettings(JSON.stringify(user), { kind: 'apply', env: ENV }, [], PATH);
    expect(first.replaced).toEqual({ ANTHROPIC_MODEL: 'my-model' });
    expect(first.replacedNow).toEqual(['ANTHROPIC_MODEL']);
    // A re-apply (new port) keeps what was remembered and replaces nothing new.
    const again = planSettings(
      first.text,
      { kind: 'apply', env: { ...ENV, ANTHROPIC_BASE_URL: 'http://x' } },
      first.keys,
      PATH,
      first.replaced,
    );
    expect(again.replaced).toEqual({ ANTHROPIC_MODEL: 'my-model' });
    expect(again.replacedNow).toEqual([]);
    const removed = planSettings(again.text, { kind: 'remove' }, again.keys, PATH, again.replaced);
    expect(JSON.parse(removed.text!)).toEqual({
      env: { ANTHROPIC_MODEL: 'my-model', API_TIMEOUT_MS: '5', MY_VAR: '1' },
    });
    expect(removed.replacedNow).toEqual(['ANTHROPIC_MODEL']);
    // A key ccbridge stops writing gets the user's value back, not deleted.
    const { ANTHROPIC_MODEL: _, ...fewer } = ENV;
    const dropped = planSettings(again.text, { kind: 'apply', env: fewer }, again.keys, PATH, again.replaced);
    expect(JSON.parse(dropped.text!).env.ANTHROPIC_MODEL).toBe('my-model');
  });

  it('refuses what it cannot read: invalid JSON, a non-object, a non-object env', () => {
    expect(() => planSettings('{"env": {', { kind: 'apply', env: ENV }, [], PATH)).toThrow(/not valid JSON.*untouched/);
    expect(() => planSettings('[1,2]', { kind: 'apply', env: ENV }, [], PATH)).toThrow(/JSON object/);
    expect(() => planSettings('{"env": "x"}', { kind: 'remove' }, [], PATH)).toThrow(/"env" .* not an object/);
  });

  it('names the file env keys that would beat an injected env', () => {
    const text = JSON.stringify({
      env: { ANTHROPIC_BASE_URL: 'http://elsewhere', ANTHROPIC_AUTH_TOKEN: 'tok', OTHER: '1' },
    });
    expect(overriddenKeys(text, ENV)).toEqual(['ANTHROPIC_BASE_URL']);
    expect(overriddenKeys(null, ENV)).toEqual([]);
    expect(overriddenKeys('not json', ENV)).toEqual([]);
    expect(overriddenKeys('{"env":{"toString":"x"}}', { toString: 'x', constructor: 'y' })).toEqual([]);
  });
});
