import { limitHeadersSignature } from '../../limits/parseLimitHeaders.js';
import { VERSION } from '../../shared/version.js';
import { codexInstallationId } from '../../codex/codexInstallationId.js';
import type { BridgeDeps, ProxyOutcome } from './bridgeDeps.js';
import { createUpstreamTransport, type UpstreamTransport } from './upstreamTransport.js';
import type { CodexService } from '../control/codexService.js';
import type { Daemon } from '../daemon.js';
import type { LimitsKeeper } from '../control/limitsKeeper.js';
import type { RoutingService } from './routingService.js';
import type { UsageHistory } from '../../core/usageHistory.js';
import type { TrafficMeter } from './trafficMeter.js';
import { ccbridgeEnv } from '../../shared/schemas/ccbridgeEnv.js';
import type { StatusLineWriter } from '../integration/statusLineWriter.js';

/** Unchanged rate-limit headers are still taken this often, so "from responses just now" stays true. */
const LIMIT_HEADERS_CONFIRM_MS = 30_000;
const DEFAULT_UPSTREAM = 'https://chatgpt.com/backend-api/codex';

/** The daemon's side of the bridge: routing, credentials, models, settings, and accounting of every request. */
export function createBridgeDeps(
  daemon: Daemon,
  codex: CodexService,
  limits: LimitsKeeper,
  routing: RoutingService,
  records: { usage: UsageHistory; statusLine: StatusLineWriter; traffic: TrafficMeter },
  env: Record<string, string | undefined> = process.env,
): BridgeDeps & { upstreamTransport: UpstreamTransport } {
  const routeName = () => {
    const state = daemon.store.get();
    const id = daemon.providers.routeAccountId(state);
    return state.accounts.find((a) => a.id === id)?.name ?? null;
  };
  const nameOf = (id: string) => daemon.store.get().accounts.find((a) => a.id === id)?.name ?? id;
  const upstreamUrl = ccbridgeEnv(env).CCBRIDGE_UPSTREAM_URL ?? DEFAULT_UPSTREAM;
  // Read once per account and kept with this daemon: the hot path must not touch the disk.
  const installationIds = new Map<string, string>();
  const installationId = (accountId: string): string => {
    let id = installationIds.get(accountId);
    if (!id) {
      id = codexInstallationId(daemon.accountHome(accountId));
      installationIds.set(accountId, id);
    }
    return id;
  };
  const lastLimitHeaders = new Map<string, { sig: string; at: number }>();
  return {
    version: VERSION,
    token: () => daemon.ensureToken(),
    upstreamUrl,
    upstreamTransport: createUpstreamTransport(new URL(upstreamUrl), env, (e) =>
      daemon.log({ ...e, category: 'system' }),
    ),
    codexVersion: () => codex.codexVersion(),
    health: () => ({ status: 'ok', activeAccount: routeName() }),
    route: (ctx) => routing.route(ctx),
    credentials: (id, opts) => codex.credentials(id, opts),
    models: (id) => codex.models(id),
    installationId,
    settings: () => {
      const s = daemon.store.get().settings;
      return {
        opusModel: s.opusModel,
        sonnetModel: s.sonnetModel,
        haikuModel: s.haikuModel,
        corsOrigin: s.corsOrigin,
        transport: s.transport,
      };
    },
    onShutdown: (hook) => daemon.onShutdown(hook),
    onUpstreamHeaders: (id, headers) => {
      // Most responses repeat the last one's numbers: parse and merge only what changed (or has not been
      // confirmed for a while, so the snapshot's age stays honest).
      const sig = limitHeadersSignature(headers);
      const last = lastLimitHeaders.get(id);
      const now = Date.now();
      if (last?.sig === sig && now - last.at < LIMIT_HEADERS_CONFIRM_MS) return;
      lastLimitHeaders.set(id, { sig, at: now });
      limits.onHeaders(id, headers);
    },
    onAttemptFailed: (id, failure, next) => {
      routing.onAttemptFailed(id, failure, next);
      if (next) records.usage.record(id, nameOf(id), { failovers: 1 });
    },
    onCommitted: (id, sessionKey) => routing.onCommitted(id, sessionKey),
    onStart: (request) => records.traffic.started(request),
    onOutcome: (o) => {
      records.traffic.finished(o);
      if (o.accountId)
        records.usage.record(o.accountId, o.accountName ?? nameOf(o.accountId), {
          requests: 1,
          inputTokens: o.inputTokens,
          cachedInputTokens: o.cachedTokens,
          outputTokens: o.outputTokens,
          reasoningTokens: o.reasoningTokens,
          errors: o.errorKind && o.errorKind !== 'client_abort' ? 1 : 0,
        });
      if (o.sessionKey && o.accountId && !o.errorKind)
        records.statusLine.noteSession(o.sessionKey, o.accountId, o.model);
      logOutcome(daemon, o);
    },
  };
}

/** One `proxy` event per request: account, model, status, tokens, duration; never content. */
function logOutcome(daemon: Daemon, o: ProxyOutcome): void {
  const who = o.accountName ?? 'no account';
  const what = o.model ? `${o.requestedModel ?? '?'} → ${o.model}` : (o.requestedModel ?? '?');
  const result = o.errorKind ? `${o.status} ${o.errorKind}${o.error ? `: ${o.error}` : ''}` : `${o.status}`;
  daemon.log({
    level: o.errorKind && o.errorKind !== 'client_abort' ? 'warn' : 'info',
    category: 'proxy',
    accountId: o.accountId,
    message: `${who}: ${what} ${result} (${o.inputTokens} in, ${o.outputTokens} out, ${o.durationMs} ms)`,
    data: {
      requestId: o.requestId,
      status: o.status,
      model: o.model,
      stream: o.stream,
      inputTokens: o.inputTokens,
      cachedTokens: o.cachedTokens,
      outputTokens: o.outputTokens,
      durationMs: o.durationMs,
      errorKind: o.errorKind,
    },
  });
  daemon.notifyChange();
}
