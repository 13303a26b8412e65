import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/cli.js';

// The benchmarks are run by hand for numbers; here they only have to keep running (no timing asserted).
const run = promisify(execFile);

describe('benchmarks still run', () => {
  it('bench/cli.mjs --json', async () => {
    const { stdout } = await run(process.execPath, [join(ROOT, 'bench/cli.mjs'), '--json'], {
      env: { ...process.env, BENCH_RUNS: '1' },
      timeout: 60_000,
    });
    const out = JSON.parse(stdout) as { rows: Array<{ name: string; ms: number }> };
    expect(out.rows.map((r) => r.name)).toEqual([
      'node -e 0',
      'ccbridge --version',
      'ccbridge list --json (daemon up)',
      'ccbridge status (daemon up)',
    ]);
    for (const r of out.rows) expect(r.ms).toBeGreaterThan(0);
  }, 60_000);

  it('bench/transport.mjs --json: the WebSocket sends the new items only from the 2nd turn', async () => {
    const { stdout } = await run(
      process.execPath,
      [join(ROOT, 'bench/transport.mjs'), '--turns', '3', '--runs', '1', '--model', 'gpt-6.1-sol', '--json'],
      { timeout: 60_000 },
    );
    const [result] = JSON.parse(stdout).results as Array<{
      bytes: { incrementalFrom: number; perTurn: Array<{ http: { json: number }; websocket: { json: number } }> };
    }>;
    expect(result!.bytes.incrementalFrom).toBe(2);
    const last = result!.bytes.perTurn.at(-1)!;
    expect(last.websocket.json).toBeLessThan(last.http.json / 10);
  }, 60_000);
});
