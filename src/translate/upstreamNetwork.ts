/**
 * How the bridge reaches its upstream, decided once from the environment: the proxy for the upstream URL
 * (curl's rules: `https_proxy`/`HTTPS_PROXY` for https, `http_proxy`/`HTTP_PROXY` for http, `no_proxy`/`NO_PROXY`
 * to bypass) and the extra CA file codex reads too. Pure: the caller reads files and builds agents.
 */

export type Env = Record<string, string | undefined>;

export interface UpstreamProxy {
  /** Proxy URL, credentials included (they become `Proxy-Authorization: Basic`). */
  url: URL;
  /** The variable it came from, for the log. */
  variable: string;
}

export type ProxyDecision =
  | { kind: 'direct' }
  | { kind: 'proxy'; proxy: UpstreamProxy }
  /** A proxy is set, but NO_PROXY matches the upstream host. */
  | { kind: 'bypassed'; variable: string }
  /** A proxy is set in a form the bridge cannot use (e.g. socks5://): it goes direct, and says so. */
  | { kind: 'unsupported'; variable: string; reason: string };

/** The first non-empty variable of `names`, lower-case spelling first as curl does. */
function firstSet(env: Env, names: string[]): { name: string; value: string } | null {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return { name, value };
  }
  return null;
}

/** Host without IPv6 brackets or a trailing dot, lower-cased. */
function normalHost(host: string): string {
  return host
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
}

/** `host`, `host:port`, `[v6]:port` or a bare IPv6 address; a leading `.` or `*.` is dropped. */
function splitEntry(raw: string): { host: string; port: string | null } {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(raw) ?? /^([^:]+)(?::(\d+))?$/.exec(raw);
  const host = m?.[1] ?? raw;
  return { host: normalHost(host.replace(/^\*?\./, '')), port: m?.[2] ?? null };
}

/**
 * True when `noProxy` (comma/space list) exempts host:port: `*` matches everything; an entry matches its host
 * and every subdomain (a leading `.` is ignored: `.example.com` and `example.com` are the same); an entry with
 * `:port` only matches that port. No implicit loopback rule, as in curl.
 */
export function noProxyMatches(noProxy: string, host: string, port: string): boolean {
  const h = normalHost(host);
  for (const raw of noProxy.split(/[\s,]+/)) {
    if (!raw) continue;
    if (raw === '*') return true;
    const { host: entryHost, port: entryPort } = splitEntry(raw);
    if (entryPort && entryPort !== port) continue;
    if (h === entryHost || h.endsWith(`.${entryHost}`)) return true;
  }
  return false;
}

function defaultPort(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80');
}

/** The proxy for requests to `target`, per the environment. */
export function proxyFor(target: URL, env: Env): ProxyDecision {
  const names = target.protocol === 'https:' ? ['https_proxy', 'HTTPS_PROXY'] : ['http_proxy', 'HTTP_PROXY'];
  const set = firstSet(env, names);
  if (!set) return { kind: 'direct' };
  const noProxy = firstSet(env, ['no_proxy', 'NO_PROXY']);
  if (noProxy && noProxyMatches(noProxy.value, target.hostname, defaultPort(target)))
    return { kind: 'bypassed', variable: set.name };
  let url: URL;
  try {
    // curl takes a bare host:port as an http:// proxy.
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(set.value) ? set.value : `http://${set.value}`);
  } catch {
    return { kind: 'unsupported', variable: set.name, reason: 'not a URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return {
      kind: 'unsupported',
      variable: set.name,
      reason: `${url.protocol.slice(0, -1)} proxies are not supported (use http:// or https://)`,
    };
  }
  return { kind: 'proxy', proxy: { url, variable: set.name } };
}

/** The proxy as it may be logged: scheme, host and port, never credentials. */
export function proxyLabel(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

/** The PEM file whose certificates are trusted besides Node's default roots: the variables codex reads. */
export function extraCaFile(env: Env): { variable: string; path: string } | null {
  const set = firstSet(env, ['CODEX_CA_CERTIFICATE', 'SSL_CERT_FILE']);
  return set ? { variable: set.name, path: set.value } : null;
}

/** True when the text holds at least one PEM certificate. */
export function hasPemCertificate(text: string): boolean {
  return /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.test(text);
}
