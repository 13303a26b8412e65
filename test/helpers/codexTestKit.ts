import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CodexControl, type CodexControlOptions } from '../../src/codex/codexControl.js';
import { peerBin } from '../peers/testPeers.mjs';

export const FAKE_CODEX = fileURLToPath(new URL('../fakes/fakeCodex.mjs', import.meta.url));
export const REAL_CODEX = peerBin('codex');

export interface FakeCall {
  t: number;
  pid: number;
  event: string;
  [key: string]: unknown;
}

/** A temp data dir with account homes laid out like the daemon's (`accounts/<id>/codex-home`, 0700). */
export function makeSandbox() {
  const root = mkdtempSync(join(tmpdir(), 'ccb-codex-'));
  const homeFor = (id: string) => join(root, 'accounts', id, 'codex-home');
  return {
    root,
    homeFor,
    /** Creates the account home (mode as given, default 0700). */
    addAccount(id: string, mode = 0o700): string {
      const home = homeFor(id);
      mkdirSync(home, { recursive: true, mode });
      return home;
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

export function setBehaviour(home: string, behaviour: Record<string, unknown>): void {
  writeFileSync(join(home, 'fake-codex.json'), JSON.stringify(behaviour));
}

export function calls(home: string, event?: string): FakeCall[] {
  const file = join(home, 'fake-codex-calls.jsonl');
  if (!existsSync(file)) return [];
  const all = readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as FakeCall);
  return event ? all.filter((c) => c.event === event) : all;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function fakeEnv(extra: Record<string, string> = {}): Record<string, string | undefined> {
  return { ...process.env, CCBRIDGE_CODEX_BIN: FAKE_CODEX, ...extra };
}

export function makeControl(homeFor: (id: string) => string, opts: Partial<CodexControlOptions> = {}): CodexControl {
  return new CodexControl({ homeFor, env: fakeEnv(), nameFor: (id) => `name-${id}`, ...opts });
}
