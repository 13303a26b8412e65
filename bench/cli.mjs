#!/usr/bin/env node
// CLI startup benchmark: median wall time of `ccbridge --version`, `ccbridge list --json` (daemon up)
// and `ccbridge status` against bare `node -e 0`. Run after `npm run build`. `--json` prints JSON.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const RUNS = Number(process.env.BENCH_RUNS ?? 31);
const bin = resolve(import.meta.dirname, '../dist/ccbridge.mjs');
const dir = mkdtempSync(join(tmpdir(), 'ccb-bench-'));
const env = {
  PATH: process.env.PATH,
  HOME: dir,
  CCBRIDGE_HOME: join(dir, 'data'),
  CCBRIDGE_SOCKET: join(dir, 's.sock'),
  CCBRIDGE_PORT: String(20000 + Math.floor(Math.random() * 20000)),
};

function median(cmd, args) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { env, stdio: 'ignore' });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.status !== 0 && !(args.includes('status') && r.status === 1))
      throw new Error(`${args.join(' ')} exited ${r.status}`);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

try {
  execFileSync(process.execPath, [bin, 'add', 'bench-a'], { env, stdio: 'ignore' });
  execFileSync(process.execPath, [bin, 'add', 'bench-b'], { env, stdio: 'ignore' });
  const base = median(process.execPath, ['-e', '0']);
  const rows = [
    ['node -e 0', base],
    ['ccbridge --version', median(process.execPath, [bin, '--version'])],
    ['ccbridge list --json (daemon up)', median(process.execPath, [bin, 'list', '--json'])],
    ['ccbridge status (daemon up)', median(process.execPath, [bin, 'status'])],
  ].map(([name, ms]) => ({ name, ms: Math.round(ms * 10) / 10, ratio: Math.round((ms / base) * 100) / 100 }));
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ runs: RUNS, node: process.version, rows }, null, 2));
  } else {
    console.log(`median of ${RUNS} runs, node ${process.version}`);
    console.log('| command | median ms | × node -e 0 |\n|---|---:|---:|');
    for (const r of rows) console.log(`| ${r.name} | ${r.ms.toFixed(1)} | ${r.ratio.toFixed(2)} |`);
  }
} finally {
  spawnSync(process.execPath, [bin, 'stop'], { env, stdio: 'ignore' });
  rmSync(dir, { recursive: true, force: true });
}
