import type { MiddlewareHandler } from 'hono';
import { AnthropicApiError } from '../../../translate/anthropicError.js';
import { requestHeader } from '../clientIo.js';

/** The host part of a `Host` header, lower-case, without port, IPv6 brackets or a trailing dot. */
function hostName(header: string): string {
  const bracketed = /^\[([^\]]*)\]/.exec(header);
  const name = bracketed ? bracketed[1]! : header.replace(/:\d*$/, '');
  return name.replace(/\.$/, '').toLowerCase();
}

/** True for names that can only mean this machine: `localhost`, 127.0.0.0/8, `::1`, or the configured host. */
export function isLoopbackHost(header: string, configuredHost: string): boolean {
  const name = hostName(header);
  // The configured host is an address, never with a port: an IPv6 one may come bare (`fe80::1`).
  const configured = configuredHost
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  if (name === 'localhost' || name === '::1' || name === configured) return true;
  return /^127(\.\d{1,3}){3}$/.test(name);
}

/** Anthropic's 421 for a `Host` that is not a loopback name (see loopbackHostOnly). */
export function checkLoopbackHost(host: string, configuredHost: string): void {
  if (isLoopbackHost(host, configuredHost)) return;
  throw new AnthropicApiError(
    'permission_error',
    'this bridge only answers requests addressed to a loopback host name (127.0.0.1, localhost, [::1])',
    { status: 421 },
  );
}

/**
 * DNS rebinding guard on every bridge route: a web page on evil.example whose name a DNS server re-points at
 * 127.0.0.1 reaches the bridge with `Host: evil.example`. Such a request gets 421 and nothing else: no version,
 * no account name. (The control API needs no such check: a browser cannot speak to a Unix socket.)
 */
export function loopbackHostOnly(configuredHost: string): MiddlewareHandler {
  // Not async: a middleware that only checks hands on next()'s promise instead of making and awaiting its own.
  return (c, next) => {
    checkLoopbackHost(requestHeader(c, 'host') ?? new URL(c.req.url).host, configuredHost);
    return next();
  };
}
