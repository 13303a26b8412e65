import { execFile } from 'node:child_process';
import { CcbridgeError } from '../shared/errors.js';
import type { CodexProcessOptions } from './appServerPool.js';
import { resolveCodexBinary } from './codexBinary.js';
import { codexEnv } from './codexEnv.js';
import { parseLoginError } from './loginOutput.js';
import { redactText } from '../core/redact.js';

/** `codex logout` for an account (prints "Successfully logged out" or "Not logged in", both exit 0). */
export async function runCodexLogout(proc: CodexProcessOptions, accountId: string): Promise<void> {
  const env = proc.env ?? process.env;
  const bin = await resolveCodexBinary(env);
  await new Promise<void>((resolve, reject) => {
    execFile(
      bin.path,
      ['logout'],
      { env: codexEnv(proc.homeFor(accountId), env), timeout: 30_000 },
      (err, _stdout, stderr) => {
        if (!err) return resolve();
        reject(
          new CcbridgeError(
            'logout_failed',
            `codex logout failed: ${redactText(parseLoginError(String(stderr)) ?? err.message)}`,
            { status: 502 },
          ),
        );
      },
    );
  });
}
