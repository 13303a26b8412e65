#!/usr/bin/env node
// A fake `systemctl --user` (and `loginctl`) for the service tests: just enough of a user manager
// to run the unit the way systemd would — the ExecStart command with only the unit's
// Environment= (plus HOME), detached — and to stop it with SIGTERM. State lives in
// $FAKE_SYSTEMD_DIR; every call is appended to calls.log there.
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';

const stateDir = process.env.FAKE_SYSTEMD_DIR;
if (!stateDir) throw new Error('FAKE_SYSTEMD_DIR is not set');
mkdirSync(stateDir, { recursive: true });
const tool = basename(process.argv[1]);
const args = process.argv.slice(2);
appendFileSync(join(stateDir, 'calls.log'), `${tool} ${args.join(' ')}\n`);

if (tool === 'loginctl') {
  process.stdout.write(`${process.env.FAKE_LINGER ?? 'no'}\n`);
  process.exit(0);
}
if (args[0] !== '--user') fail('this fake only knows --user', 1);
if (process.env.FAKE_SYSTEMD_NO_BUS) fail('Failed to connect to bus: No medium found', 1);

const [verb, ...rest] = args.slice(1);
const unitName = rest.filter((a) => !a.startsWith('-')).at(-1);
const unitDir = join(process.env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'systemd', 'user');
const pidFile = join(stateDir, 'main.pid');
const enabledFile = join(stateDir, 'enabled');

function fail(message, code) {
  process.stderr.write(message + '\n');
  process.exit(code);
}

/** A zombie (exited, not yet reaped by init) counts as gone, as it does for systemd. */
function alive(pid) {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

function mainPid() {
  const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : 0;
  return pid && alive(pid) ? pid : null;
}

/** systemd's quoting, as far as ccbridge's unit uses it: "…" with \\ and \" escapes, %% and $$. */
function words(line) {
  const out = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m; (m = re.exec(line)); ) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]);
  return out.map((w) => w.replace(/%%/g, '%').replace(/\$\$/g, '$'));
}

function parseUnit() {
  const file = join(unitDir, unitName);
  if (!existsSync(file)) fail(`Unit ${unitName} not found.`, 5);
  const env = { HOME: process.env.HOME };
  let exec = null;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('Environment=')) {
      const [kv] = words(line.slice('Environment='.length));
      const eq = kv.indexOf('=');
      env[kv.slice(0, eq)] = kv.slice(eq + 1);
    } else if (line.startsWith('ExecStart=')) exec = words(line.slice('ExecStart='.length));
  }
  return { env, exec };
}

async function stop() {
  const pid = mainPid();
  if (!pid) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 30_000;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

function start() {
  const { env, exec } = parseUnit();
  const out = openSync(join(stateDir, 'service.log'), 'a');
  const child = spawn(exec[0], exec.slice(1), { env, detached: true, stdio: ['ignore', out, out] });
  writeFileSync(pidFile, String(child.pid));
  child.unref();
}

switch (verb) {
  case 'show-environment':
    process.stdout.write(`HOME=${process.env.HOME}\n`);
    break;
  case 'daemon-reload':
    break;
  case 'enable':
    if (!existsSync(join(unitDir, unitName))) fail(`Failed to enable unit: Unit file ${unitName} does not exist.`, 1);
    writeFileSync(enabledFile, unitName);
    if (rest.includes('--now') && !mainPid()) start();
    break;
  case 'disable':
    rmSync(enabledFile, { force: true });
    if (rest.includes('--now')) await stop();
    break;
  case 'start':
    if (!mainPid()) start();
    break;
  case 'restart':
    await stop();
    start();
    break;
  case 'stop':
    await stop();
    break;
  case 'is-active':
    process.stdout.write(mainPid() ? 'active\n' : 'inactive\n');
    process.exitCode = mainPid() ? 0 : 3;
    break;
  case 'is-enabled':
    process.stdout.write(existsSync(enabledFile) ? 'enabled\n' : 'disabled\n');
    process.exitCode = existsSync(enabledFile) ? 0 : 1;
    break;
  default:
    fail(`fake systemctl: unsupported ${verb}`, 1);
}
