import { describe, expect, it } from 'vitest';
import {
  activateAccount,
  addAccount,
  effectiveFastMode,
  findAccount,
  removeAccount,
  routeAccount,
  setEnabled,
  setFastOverride,
} from '../../../src/core/accounts.js';
import { STATE_SCHEMA_VERSION, StateFileSchema, type StateFile } from '../../../src/shared/schemas/state.js';

const fresh = (): StateFile => StateFileSchema.parse({ schemaVersion: STATE_SCHEMA_VERSION });
const add = (s: StateFile, name: string) => addAccount(s, { name }).account;

describe('account registry rules', () => {
  it('gives short URL-safe unique ids', () => {
    const s = fresh();
    const ids = Array.from({ length: 200 }, (_, i) => add(s, `a${i}`).id);
    expect(new Set(ids).size).toBe(200);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]{8}$/);
  });

  it('finds by id first, then by name case-insensitively', () => {
    const s = fresh();
    const a = add(s, 'Work');
    expect(findAccount(s, a.id)).toBe(a);
    expect(findAccount(s, 'work')).toBe(a);
    expect(findAccount(s, 'nope')).toBeUndefined();
  });

  it('uses the default when no active account is set, and only enabled accounts', () => {
    const s = fresh();
    const a = add(s, 'a');
    const b = add(s, 'b');
    s.activeAccountId = null;
    s.defaultAccountId = b.id;
    expect(routeAccount(s)).toBe(b);
    s.activeAccountId = a.id;
    expect(routeAccount(s)).toBe(a);
    a.enabled = false;
    expect(routeAccount(s)).toBe(b);
  });

  it('disabling the active account moves the route to the default, else the next enabled account', () => {
    const s = fresh();
    const a = add(s, 'a');
    const b = add(s, 'b');
    const c = add(s, 'c');
    activateAccount(s, b.id);
    const events = setEnabled(s, b.id, false);
    expect(s.activeAccountId).toBe(a.id); // a is the default
    expect(events.some((e) => e.level === 'warn' && /routing moved to a/.test(e.message))).toBe(true);
    activateAccount(s, c.id);
    setEnabled(s, a.id, false);
    setEnabled(s, c.id, false);
    expect(s.activeAccountId).toBeNull(); // default a is disabled, b is disabled
  });

  it('removing the default picks a new default', () => {
    const s = fresh();
    const a = add(s, 'a');
    const b = add(s, 'b');
    removeAccount(s, a.id);
    expect(s.defaultAccountId).toBe(b.id);
    expect(s.activeAccountId).toBe(b.id);
    removeAccount(s, b.id);
    expect(s.defaultAccountId).toBeNull();
    expect(s.activeAccountId).toBeNull();
  });

  it('refuses to activate a disabled account', () => {
    const s = fresh();
    add(s, 'a');
    const b = add(s, 'b');
    setEnabled(s, b.id, false);
    expect(() => activateAccount(s, 'b')).toThrow(/disabled; run `ccbridge enable b`/);
  });

  it('effective fast mode: the account override wins over the global setting', () => {
    const s = fresh();
    const a = add(s, 'a');
    s.settings.fastMode = true;
    expect(effectiveFastMode(s, a)).toEqual({ value: true, source: 'global' });
    setFastOverride(s, a.id, 'off');
    expect(effectiveFastMode(s, a)).toEqual({ value: false, source: 'account' });
  });
});
