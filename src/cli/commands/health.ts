import { Command } from 'commander';
import { CcbridgeError, errorMessage } from '../../shared/errors.js';
import { emit, keyValues } from '../output.js';
import { addJsonOption, getState, withDaemon, JsonOptionSchema } from './shared.js';
import { parseOptions } from '../parseOptions.js';

export function healthCommand(): Command {
  return addJsonOption(new Command('health').description("call the bridge's GET /health")).action(
    async (_opts: unknown, cmd: Command) => {
      const opts = parseOptions(cmd, JsonOptionSchema);
      const state = await withDaemon(getState);
      const url = `${state.bridge.url}/health`;
      let body: Record<string, unknown>;
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
        body = (await res.json()) as Record<string, unknown>;
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
      } catch (err) {
        throw new CcbridgeError(
          'bridge_unhealthy',
          `bridge at ${url} did not answer (${errorMessage(err)}); see \`ccbridge logs\``,
        );
      }
      emit({ url, ...body }, opts, (d) =>
        keyValues(
          Object.entries(d).map(([k, v]) => [
            k,
            typeof v === 'object' && v !== null ? JSON.stringify(v) : (v as string),
          ]),
        ),
      );
    },
  );
}
