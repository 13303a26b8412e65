import { Command } from 'commander';
import * as z from 'zod';
import { existsSync, mkdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CcbridgeError } from '../../shared/errors.js';
import { UNIT_NAME, buildUnitFile, serviceEnvironment, userUnitDir } from '../../service/unitFile.js';
import {
  currentUser,
  lingerEnabled,
  systemctl,
  systemctlOrThrow,
  systemdUnavailable,
  userSystemdProblem,
} from '../../service/systemctl.js';
import { DaemonClient } from '../../client/daemonClient.js';
import { emit, keyValues } from '../output.js';
import { addJsonOption, getState, JsonOptionSchema } from './shared.js';
import { parseOptions } from '../parseOptions.js';
import { stopDaemon } from './stop.js';
import { ccbridgeEnv } from '../../shared/schemas/ccbridgeEnv.js';

const ServiceOptionsSchema = JsonOptionSchema.extend({
  unitDir: z.string().optional(),
  dryRun: z.boolean().optional(),
  print: z.boolean().optional(),
});
type ServiceOptions = z.infer<typeof ServiceOptionsSchema>;

const INSTALL_STEPS = ['daemon-reload', `enable ${UNIT_NAME}`, `restart ${UNIT_NAME}`];

const unitPath = (opts: ServiceOptions) => join(opts.unitDir ?? userUnitDir(), UNIT_NAME);

/** The unit for this very executable: the node running now and the script the user ran. */
function currentUnit(): string {
  return buildUnitFile({
    nodePath: process.execPath,
    // argv[1], not import.meta.url: this module may be bundled into a chunk.
    scriptPath: realpathSync(process.argv[1]!),
    environment: serviceEnvironment(process.env),
  });
}

function requireUserSystemd(): void {
  const problem = userSystemdProblem();
  if (problem) throw systemdUnavailable(problem);
}

/** Polls until the unit's daemon answers; a daemon mid-start (or one still stopping) may reset connections. */
async function waitForDaemon(client: DaemonClient): Promise<void> {
  const deadline = Date.now() + ccbridgeEnv().CCBRIDGE_START_TIMEOUT_MS;
  for (;;) {
    if (await client.isRunning().catch(() => false)) return;
    if (Date.now() > deadline) {
      throw new CcbridgeError(
        'service_not_ready',
        `the service did not answer on ${client.paths.socketPath}; see \`systemctl --user status ccbridge\` and \`journalctl --user -u ccbridge\``,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function lingerAdvice(linger: boolean | null): string {
  const user = currentUser();
  if (linger) return `lingering is on for ${user}: the service also runs without a login session`;
  return `the service starts at login and stops at your last logout; to keep it running without a session, run \`sudo loginctl enable-linger ${user}\``;
}

const withUnitDir = (cmd: Command) =>
  cmd.option('--unit-dir <dir>', 'directory of the unit file (default: $XDG_CONFIG_HOME/systemd/user)');

function installCommand(): Command {
  return addJsonOption(
    withUnitDir(
      new Command('install')
        .description('write the unit, enable it and (re)start the daemon under systemd')
        .option('--dry-run', 'show the unit and the systemctl commands; change nothing')
        .option('--print', 'print only the unit file (for another supervisor or a system-wide unit)'),
    ),
  ).action(async (_opts: unknown, cmd: Command) => {
    const opts = parseOptions(cmd, ServiceOptionsSchema);
    const unit = currentUnit();
    const path = unitPath(opts);
    if (opts.print) {
      process.stdout.write(unit);
      return;
    }
    const commands = INSTALL_STEPS.map((s) => `systemctl --user ${s}`);
    if (opts.dryRun) {
      emit(
        { dryRun: true, unitPath: path, unit, commands },
        opts,
        (d) => `would write ${d.unitPath}:\n\n${d.unit}\nthen run:\n${d.commands.map((c) => `  ${c}`).join('\n')}`,
      );
      return;
    }
    requireUserSystemd();
    const client = new DaemonClient();
    // A daemon started by hand owns the data dir; the unit's daemon could not start beside it.
    const stoppedPid = systemctl(['is-active', UNIT_NAME]).stdout === 'active' ? null : await stopDaemon(client);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, unit, { mode: 0o644 });
    for (const step of INSTALL_STEPS) systemctlOrThrow(step.split(' '));
    await waitForDaemon(client);
    const state = await getState(client);
    const linger = lingerEnabled();
    const data = {
      unitPath: path,
      enabled: true,
      pid: state.pid,
      bridge: state.bridge.baseUrl,
      stoppedManualDaemon: stoppedPid,
      linger,
    };
    emit(data, opts, (d) =>
      [
        `installed ${d.unitPath}`,
        ...(d.stoppedManualDaemon
          ? [`stopped the daemon started by hand (pid ${d.stoppedManualDaemon}); systemd runs it now`]
          : []),
        `ccbridge.service is enabled and running (pid ${d.pid}); bridge ${d.bridge}`,
        lingerAdvice(d.linger),
        'logs: journalctl --user -u ccbridge -f',
      ].join('\n'),
    );
  });
}

function uninstallCommand(): Command {
  return addJsonOption(
    withUnitDir(
      new Command('uninstall')
        .description('stop and disable the service and remove its unit file')
        .option('--dry-run', 'show what would be done; change nothing'),
    ),
  ).action((_opts: unknown, cmd: Command) => {
    const opts = parseOptions(cmd, ServiceOptionsSchema);
    const path = unitPath(opts);
    const installed = existsSync(path);
    const commands = [`systemctl --user disable --now ${UNIT_NAME}`, `rm ${path}`, 'systemctl --user daemon-reload'];
    if (opts.dryRun) {
      emit({ dryRun: true, unitPath: path, installed, commands }, opts, (d) =>
        d.installed
          ? `would run:\n${d.commands.map((c) => `  ${c}`).join('\n')}`
          : `not installed (no ${d.unitPath}); nothing to do`,
      );
      return;
    }
    requireUserSystemd();
    if (!installed) {
      emit({ removed: false, unitPath: path }, opts, (d) => `not installed (no ${d.unitPath}); nothing to do`);
      return;
    }
    systemctlOrThrow(['disable', '--now', UNIT_NAME]);
    rmSync(path, { force: true });
    systemctlOrThrow(['daemon-reload']);
    emit(
      { removed: true, unitPath: path },
      opts,
      (d) => `stopped and disabled ccbridge.service; removed ${d.unitPath}\n\`ccbridge start\` runs the daemon by hand`,
    );
  });
}

function statusCommand(): Command {
  return addJsonOption(
    withUnitDir(
      new Command('status').description('is the unit installed, enabled and active? (exit 1 without systemd)'),
    ),
  ).action(async (_opts: unknown, cmd: Command) => {
    const opts = parseOptions(cmd, ServiceOptionsSchema);
    const path = unitPath(opts);
    const problem = userSystemdProblem();
    const client = new DaemonClient();
    const running = await client.isRunning();
    const data = {
      unitPath: path,
      installed: existsSync(path),
      systemd: problem ? `unavailable (${problem})` : 'available',
      enabled: problem ? null : systemctl(['is-enabled', UNIT_NAME]).stdout || 'not-found',
      active: problem ? null : systemctl(['is-active', UNIT_NAME]).stdout || 'unknown',
      daemon: running ? `running (pid ${(await getState(client)).pid})` : 'not running',
      linger: problem ? null : lingerEnabled(),
    };
    emit(data, opts, (d) =>
      keyValues([
        ['unit', `${d.unitPath} (${d.installed ? 'installed' : 'not installed'})`],
        ['systemd', d.systemd],
        ['enabled', d.enabled],
        ['active', d.active],
        ['daemon', d.daemon],
        ['linger', d.linger === null ? null : d.linger ? 'yes' : 'no'],
      ]),
    );
    if (problem) process.exitCode = 1;
  });
}

export function serviceCommand(): Command {
  const service = new Command('service').description(
    'run the daemon as a systemd --user service: install | uninstall | status',
  );
  // main() turns commander errors into exit 2 only for commands that throw instead of exiting.
  for (const sub of [installCommand(), uninstallCommand(), statusCommand()]) service.addCommand(sub);
  return service;
}
