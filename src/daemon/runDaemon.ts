import { createAdaptorServer } from '@hono/node-server';
import { existsSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { EventLog } from '../core/eventLog.js';
import { redactText } from '../core/redact.js';
import { escapeControlKeepLines } from '../shared/escapeControl.js';
import { StateStore } from '../core/stateStore.js';
import { DAEMON_LOG_MAX_BYTES, resolvePaths } from '../shared/paths.js';
import { VERSION } from '../shared/version.js';
import { createControlApp } from './api/createControlApp.js';
import { Daemon, ensureDataDirs } from './daemon.js';
import { acquireDaemonLock } from './daemonLock.js';
import { assertSocketPathFits, listenControlSocket } from './api/listenControlSocket.js';
import { keepControlSocket } from './api/keepControlSocket.js';
import { errorMessage } from '../shared/errors.js';
import { listenBridge } from './bridge/listenBridge.js';
import { trackInflight } from './bridge/trackInflight.js';
import { releaseMemoryWhenIdle } from './releaseMemoryWhenIdle.js';
import { startAutoApply } from './integration/startAutoApply.js';
import { startCodexService } from './control/codexService.js';
import { startLimitsKeeper } from './control/startLimitsKeeper.js';
import { startRouting } from './bridge/routingService.js';
import { ccbridgeEnv } from '../shared/schemas/ccbridgeEnv.js';
import { createBridgeDeps } from './bridge/createBridgeDeps.js';
import { onConnectionClosed } from './bridge/upstreamTransport.js';
import { startTrafficMeter } from './bridge/startTrafficMeter.js';
import { startUsageHistory } from './bridge/startUsageHistory.js';
import { startStatusLineWriter } from './integration/statusLineWriter.js';
import { createBridge } from './bridge/createBridgeApp.js';
import { createBridgeServer, type MessagesListener } from './bridge/messagesListener.js';
import { formatLogLine, logLevel, openDaemonLog, shouldLog } from './daemonLogger.js';

export interface RunDaemonOptions {
  resetState?: boolean;
  /** Print where the bridge and socket are (foreground use in a terminal). */
  banner?: boolean;
}

const CODEX_VERSION_WAIT_MS = 3_000;
/** When the daemon gives memory back: 2 s without a bridge request, once it grew by 8 MB (see releaseMemoryWhenIdle). */
const MEMORY_RELEASE = { quietMs: 2_000, minGainBytes: 8 * 1024 * 1024 };

/** Runs the daemon in this process until it is stopped. Resolves when it has shut down. */
export async function runDaemon(opts: RunDaemonOptions = {}): Promise<void> {
  // A crash's stack goes to the daemon log: redacted like every other line (Node would print it raw).
  process.once('uncaughtException', (err) => {
    process.stderr.write(`ccbridge daemon crashed: ${escapeControlKeepLines(redactText(err.stack ?? String(err)))}\n`);
    process.exit(1);
  });
  const env = process.env;
  const config = ccbridgeEnv(env);
  const paths = resolvePaths(env);
  assertSocketPathFits(paths.socketPath);
  ensureDataDirs(paths);
  const lock = await acquireDaemonLock(paths.dataDir, paths.lockFile);

  try {
    if (opts.resetState && existsSync(paths.stateFile)) {
      const aside = `${paths.stateFile}.reset-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      renameSync(paths.stateFile, aside);
      console.error(`ccbridge: moved ${paths.stateFile} aside to ${aside}`);
    }
    const store = StateStore.open(paths.stateFile);
    const events = new EventLog(paths.eventsFile);
    const logOutput = openDaemonLog(paths.logFile, config.CCBRIDGE_LOG_MAX_BYTES ?? DAEMON_LOG_MAX_BYTES);
    const minLevel = logLevel(env);
    events.subscribe((e) => {
      if (shouldLog(e.level, minLevel)) logOutput.write(formatLogLine(e));
    });

    const host = config.CCBRIDGE_HOST;
    const port = config.CCBRIDGE_PORT;
    const bridge = { host, port };
    const daemon = new Daemon(paths, store, events, bridge);
    daemon.ensureToken();

    // Bind the bridge port and the control socket before anything else starts (codex app-servers, timers):
    // a daemon that cannot listen fails whole, at once, with nothing left running. Requests that arrive
    // before the apps exist wait for them.
    const bridgeApp = lateApp();
    const controlApp = lateApp();
    let messagesListener: MessagesListener | null = null; // once the bridge is ready
    const bridgeServer = createBridgeServer(bridgeApp.fetch, () => messagesListener);
    const bridgeInflight = trackInflight(bridgeServer);
    const memory = releaseMemoryWhenIdle(bridgeInflight, MEMORY_RELEASE);
    bridgeServer.on('connection', (socket: Socket) => socket.once('close', memory.connectionClosed));
    const controlServer = createAdaptorServer({ fetch: controlApp.fetch }) as Server;
    const controlInflight = trackInflight(controlServer);
    bridge.port = await listenBridge(bridgeServer, host, port, store.get().settings.portFallback);
    try {
      await listenControlSocket(controlServer, paths.socketPath);
    } catch (err) {
      await new Promise((resolve) => bridgeServer.close(resolve));
      throw err;
    }
    if (store.get().bridge.port !== bridge.port) {
      store.update((s) => {
        s.bridge.port = bridge.port;
      });
    }

    const codex = startCodexService(daemon);
    // Live subscribers of /api/events/stream (TUI, `limits --watch`): limits are read more often while any is attached.
    const liveStreams = new Set<() => void>();
    const limits = startLimitsKeeper(daemon, codex, () => liveStreams.size > 0);
    const routing = startRouting(daemon, limits, codex);
    const usage = startUsageHistory(daemon);
    const statusLine = startStatusLineWriter(daemon, limits);
    const traffic = startTrafficMeter(daemon);

    let stopping: Promise<void> | null = null;
    let resolveStopped: () => void = () => {};
    const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));

    controlApp.ready(
      createControlApp(daemon, {
        shutdown: (reason) => void shutdown(reason),
        liveStreams,
        codex,
        limits,
        usage,
      }),
    );
    const bridgeDeps = createBridgeDeps(daemon, codex, limits, routing, { usage, statusLine, traffic });
    onConnectionClosed(bridgeDeps.upstreamTransport.agent, memory.connectionClosed);
    const bridgeReady = createBridge(bridgeDeps, {
      pingIntervalMs: config.CCBRIDGE_PING_MS,
      // Upstream bounds, shortened by the hostile tests (a hung backend must not take minutes there).
      upstreamHeadersMs: config.CCBRIDGE_UPSTREAM_HEADERS_MS,
      upstreamIdleMs: config.CCBRIDGE_UPSTREAM_IDLE_MS,
      host,
    });
    // The bridge names the installed codex version upstream and on /health: it answers once `codex --version`
    // has (a fraction of a second, bounded), never with the stale minimum.
    void codex.versionKnown(CODEX_VERSION_WAIT_MS).then(() => {
      bridgeApp.ready(bridgeReady.app);
      messagesListener = bridgeReady.messages;
    });
    writeFileSync(paths.pidFile, `${process.pid}\n`, { mode: 0o600 });

    const socketKeeper = keepControlSocket(controlServer, paths.socketPath, {
      dataDir: paths.dataDir,
      onRebound: () =>
        daemon.log({
          level: 'warn',
          category: 'system',
          message: `the control socket ${paths.socketPath} was removed; listening on it again`,
        }),
      onReboundFailed: (err) =>
        daemon.log({
          level: 'error',
          category: 'system',
          message: `the control socket ${paths.socketPath} was removed and cannot be made again: ${errorMessage(err)}`,
        }),
      onDataDirGone: () => void shutdown(`its data dir ${paths.dataDir} was removed`),
    });

    const shutdown = (reason: string): Promise<void> => {
      stopping ??= (async () => {
        daemon.log({ level: 'info', category: 'system', message: `daemon stopping (${reason})` });
        socketKeeper.stop();
        memory.stop();
        for (const close of liveStreams) close();
        const drained = await bridgeInflight.drain(config.CCBRIDGE_STOP_TIMEOUT_MS);
        if (!drained)
          daemon.log({ level: 'warn', category: 'system', message: 'in-flight requests cut at the stop deadline' });
        await controlInflight.drain(1000);
        await daemon.runShutdownHooks();
        removeQuietly(paths.pidFile);
        if (existsSync(paths.socketPath)) unlinkSync(paths.socketPath);
        daemon.log({ level: 'info', category: 'system', message: 'daemon stopped' });
        events.close();
        logOutput.close();
        resolveStopped();
      })();
      return stopping;
    };
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
    process.on('SIGINT', () => void shutdown('SIGINT'));
    process.on('SIGHUP', () => void shutdown('SIGHUP'));

    daemon.log({
      level: 'info',
      category: 'system',
      message: `daemon ${VERSION} started (pid ${process.pid}); bridge ${daemon.bridgeUrl()}/anthropic, socket ${paths.socketPath}`,
      data: { pid: process.pid, bridge: daemon.bridgeUrl(), socket: paths.socketPath },
    });
    if (bridge.port !== port) {
      daemon.log({
        level: 'warn',
        category: 'system',
        message: `port ${port} was busy; bridge fell back to ${bridge.port}`,
      });
    }
    startAutoApply(daemon);
    if (opts.banner && process.stdout.isTTY) {
      console.log(
        [
          `ccbridge ${VERSION} is running (pid ${process.pid})`,
          `  bridge  ${daemon.bridgeUrl()}/anthropic   (ANTHROPIC_BASE_URL)`,
          `  socket  ${paths.socketPath}`,
          `  data    ${paths.dataDir}`,
          '  Ctrl-C stops it; `ccbridge apply-claude` points Claude Code here.',
        ].join('\n'),
      );
    }
    await stopped;
  } finally {
    lock.release();
  }
}

type FetchHandler = (req: Request, env: unknown) => Response | Promise<Response>;

/** A fetch handler for a server bound before its app exists: calls wait until `ready` hands the app over. */
function lateApp(): { fetch: FetchHandler; ready(app: { fetch: FetchHandler }): void } {
  let handOver: (app: { fetch: FetchHandler }) => void = () => {};
  const app = new Promise<{ fetch: FetchHandler }>((resolve) => (handOver = resolve));
  // Once the app is there, calls go straight to it: awaiting the settled promise cost every request an async hop.
  let current: FetchHandler | null = null;
  return {
    fetch: (req, env) => (current ? current(req, env) : app.then((a) => a.fetch(req, env))),
    ready: (ready) => {
      current = (req, env) => ready.fetch(req, env);
      handOver(ready);
    },
  };
}

function removeQuietly(pidFile: string): void {
  try {
    if (existsSync(pidFile)) unlinkSync(pidFile);
  } catch {
    // already gone
  }
}
