import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { CcbridgeError, errorMessage } from '../shared/errors.js';
import type { ClaudeEnv } from '../shared/schemas/integration.js';

type Env = Record<string, string | undefined>;

/** `CCBRIDGE_CLAUDE_BIN`, else `claude` looked up on PATH. */
export function claudeBinary(env: Env = process.env): string {
  return env.CCBRIDGE_CLAUDE_BIN || 'claude';
}

/**
 * The child's environment: the caller's, with the bridge's block on top. An Anthropic API key would
 * only make Claude Code ask whether to use it and send it to the bridge, so it is left out.
 */
export function claudeProcessEnv(base: Env, env: ClaudeEnv): Env {
  const { ANTHROPIC_API_KEY: _dropped, ...rest } = base;
  return { ...rest, ...env };
}

/**
 * Runs Claude Code in this terminal with `env` injected and resolves with its exit code (128+n when a
 * signal ended it). Ctrl-C reaches claude through the terminal's process group, so this process
 * ignores it while claude runs; a TERM or HUP sent to ccbridge alone is forwarded.
 */
export function launchClaude(args: string[], env: ClaudeEnv, base: Env = process.env): Promise<number> {
  const bin = claudeBinary(base);
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: 'inherit', env: claudeProcessEnv(base, env) });
    const ignore = () => {};
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    const handlers: Array<[NodeJS.Signals, (s: NodeJS.Signals) => void]> = [
      ['SIGINT', ignore],
      ['SIGQUIT', ignore],
      ['SIGTERM', forward],
      ['SIGHUP', forward],
    ];
    for (const [signal, handler] of handlers) process.on(signal, handler);
    const cleanup = () => {
      for (const [signal, handler] of handlers) process.off(signal, handler);
    };
    child.once('error', (err: NodeJS.ErrnoException) => {
      cleanup();
      const where = base.CCBRIDGE_CLAUDE_BIN ? `CCBRIDGE_CLAUDE_BIN=${bin}` : '`claude` on PATH';
      reject(
        err.code === 'ENOENT' || err.code === 'EACCES'
          ? new CcbridgeError(
              'claude_not_found',
              `cannot run ${where} (${err.code}); install Claude Code (npm i -g @anthropic-ai/claude-code) or set CCBRIDGE_CLAUDE_BIN`,
            )
          : new CcbridgeError('claude_failed', `cannot run ${bin}: ${errorMessage(err)}`),
      );
    });
    child.once('exit', (code, signal) => {
      cleanup();
      resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0));
    });
  });
}
