import { mkdtempSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  codexBinaryKey,
  compareVersions,
  MIN_CODEX_VERSION,
  parseCodexVersion,
  resolveCodexBinary,
  seedCodexVersion,
} from '../../../src/codex/codexBinary.js';
import { codexEnv } from '../../../src/codex/codexEnv.js';
import { CcbridgeError } from '../../../src/shared/errors.js';
import { FAKE_CODEX } from '../../helpers/codexTestKit.js';

describe('codex version', () => {
  it('parses `codex --version` output', () => {
    expect(parseCodexVersion('codex-cli 0.169.0\n')).toBe('0.169.0');
    expect(parseCodexVersion('codex-cli 0.125.0-alpha.3')).toBe('0.125.0');
    expect(parseCodexVersion('something else 1.2.3')).toBeNull();
  });

  it('compares numerically, not lexically', () => {
    expect(compareVersions('0.169.0', '0.125.0')).toBe(1);
    expect(compareVersions('0.99.0', '0.125.0')).toBe(-1);
    expect(compareVersions('1.0.0', '1.0.0')).toBe(0);
  });
});

describe('resolveCodexBinary', () => {
  const emptyDir = () => mkdtempSync(join(tmpdir(), 'ccb-path-'));

  it('finds CCBRIDGE_CODEX_BIN and reads its version', async () => {
    const bin = await resolveCodexBinary({ PATH: process.env.PATH, CCBRIDGE_CODEX_BIN: FAKE_CODEX });
    expect(bin).toEqual({ path: FAKE_CODEX, version: '0.169.0' });
  });

  it('takes a remembered version for the same binary without running it, and asks a changed one again', async () => {
    const dir = emptyDir();
    const bin = join(dir, 'codex');
    writeFileSync(bin, '#!/bin/sh\necho "codex-cli 0.170.0"\n');
    chmodSync(bin, 0o755);
    const env = { PATH: process.env.PATH, CCBRIDGE_CODEX_BIN: bin };
    seedCodexVersion(codexBinaryKey(env), '0.171.0');
    expect(await resolveCodexBinary(env)).toEqual({ path: bin, version: '0.171.0' });
    writeFileSync(bin, '#!/bin/sh\necho "codex-cli 0.172.0"\n# upgraded\n');
    expect(await resolveCodexBinary(env)).toEqual({ path: bin, version: '0.172.0' });
  });

  it('finds `codex` on PATH when CCBRIDGE_CODEX_BIN is unset', async () => {
    const dir = emptyDir();
    symlinkSync(FAKE_CODEX, join(dir, 'codex'));
    const bin = await resolveCodexBinary({ PATH: `${dir}:${process.env.PATH}` });
    expect(bin.path).toBe(join(dir, 'codex'));
  });

  it('says what it looked for and how to install when codex is missing', async () => {
    const err = await resolveCodexBinary({ PATH: emptyDir() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CcbridgeError);
    expect((err as CcbridgeError).code).toBe('codex_missing');
    expect((err as CcbridgeError).message).toContain('`codex` on PATH');
    expect((err as CcbridgeError).message).toContain('npm i -g @openai/codex');
    expect((err as CcbridgeError).exitCode).toBe(1);
  });

  it('names CCBRIDGE_CODEX_BIN when that path is not executable', async () => {
    const missing = join(emptyDir(), 'nope');
    const err = (await resolveCodexBinary({ PATH: process.env.PATH, CCBRIDGE_CODEX_BIN: missing }).catch(
      (e: unknown) => e,
    )) as CcbridgeError;
    expect(err.message).toContain(`CCBRIDGE_CODEX_BIN=${missing}`);
    expect(err.message).toContain('npm i -g @openai/codex');
  });

  it('refuses a codex older than the minimum', async () => {
    const old = join(emptyDir(), 'codex');
    symlinkSync(FAKE_CODEX, old);
    const err = (await resolveCodexBinary({
      PATH: process.env.PATH,
      CCBRIDGE_CODEX_BIN: old,
      FAKE_CODEX_BEHAVIOR: JSON.stringify({ version: '0.100.0' }),
    }).catch((e: unknown) => e)) as CcbridgeError;
    expect(err.code).toBe('codex_too_old');
    expect(err.message).toContain('0.100.0');
    expect(err.message).toContain(MIN_CODEX_VERSION);
    expect(err.message).toContain('npm i -g @openai/codex');
  });

  it('refuses an executable that is not codex', async () => {
    const dir = emptyDir();
    const fake = join(dir, 'codex');
    writeFileSync(fake, '#!/bin/sh\necho hello\n');
    chmodSync(fake, 0o755);
    const err = (await resolveCodexBinary({ PATH: dir }).catch((e: unknown) => e)) as CcbridgeError;
    expect(err.code).toBe('codex_missing');
    expect(err.message).toContain('printed no codex-cli version');
  });
});

describe('codexEnv', () => {
  it('sets CODEX_HOME, drops auth overrides, keeps CA and refresh overrides', () => {
    const env = codexEnv('/h', {
      PATH: '/bin',
      CODEX_HOME: '/elsewhere',
      CODEX_API_KEY: 'k',
      CODEX_ACCESS_TOKEN: 't',
      OPENAI_API_KEY: 'sk',
      CODEX_CA_CERTIFICATE: '/ca.pem',
      SSL_CERT_FILE: '/certs.pem',
      CODEX_REFRESH_TOKEN_URL_OVERRIDE: 'https://x/oauth/token',
    });
    expect(env).toEqual({
      PATH: '/bin',
      CODEX_HOME: '/h',
      CODEX_CA_CERTIFICATE: '/ca.pem',
      SSL_CERT_FILE: '/certs.pem',
      CODEX_REFRESH_TOKEN_URL_OVERRIDE: 'https://x/oauth/token',
    });
  });
});
