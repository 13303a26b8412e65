import { mkdtempSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { describe, expect, it } from 'vitest';
import {
  extraCaFile,
  hasPemCertificate,
  noProxyMatches,
  proxyFor,
  proxyLabel,
} from '../../../src/translate/upstreamNetwork.js';
import { createUpstreamTransport, type NetworkLogEvent } from '../../../src/daemon/bridge/upstreamTransport.js';

const HTTPS = new URL('https://chatgpt.com/backend-api/codex/responses');
const HTTP = new URL('http://127.0.0.1:8080/backend-api/codex/responses');

describe('proxyFor', () => {
  it('goes direct when no proxy variable is set', () => {
    expect(proxyFor(HTTPS, {})).toEqual({ kind: 'direct' });
    expect(proxyFor(HTTPS, { HTTPS_PROXY: '  ', NO_PROXY: '*' })).toEqual({ kind: 'direct' });
  });

  it('takes the variable of the upstream scheme, lower-case spelling first', () => {
    const env = { HTTPS_PROXY: 'http://upper:3128', https_proxy: 'http://lower:3128', HTTP_PROXY: 'http://plain:3128' };
    const d = proxyFor(HTTPS, env);
    expect(d.kind === 'proxy' && [d.proxy.url.href, d.proxy.variable]).toEqual(['http://lower:3128/', 'https_proxy']);
    const h = proxyFor(HTTP, env);
    expect(h.kind === 'proxy' && [h.proxy.url.href, h.proxy.variable]).toEqual(['http://plain:3128/', 'HTTP_PROXY']);
    expect(proxyFor(HTTP, { HTTPS_PROXY: 'http://p:1' })).toEqual({ kind: 'direct' });
  });

  it('reads a bare host:port as an http proxy and keeps credentials for Proxy-Authorization', () => {
    const d = proxyFor(HTTPS, { HTTPS_PROXY: 'proxy.corp:8080' });
    expect(d.kind === 'proxy' && d.proxy.url.href).toBe('http://proxy.corp:8080/');
    const c = proxyFor(HTTPS, { HTTPS_PROXY: 'http://al%40ice:s3cr%3At@proxy.corp:8080' });
    expect(c.kind === 'proxy' && [c.proxy.url.username, c.proxy.url.password]).toEqual(['al%40ice', 's3cr%3At']);
    expect(c.kind === 'proxy' && proxyLabel(c.proxy.url)).toBe('http://proxy.corp:8080');
  });

  it('refuses proxy schemes it cannot tunnel through', () => {
    expect(proxyFor(HTTPS, { HTTPS_PROXY: 'socks5://p:1080' })).toMatchObject({
      kind: 'unsupported',
      variable: 'HTTPS_PROXY',
    });
  });

  it('bypasses the proxy when NO_PROXY matches the upstream', () => {
    expect(proxyFor(HTTPS, { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'example.org,.chatgpt.com' })).toEqual({
      kind: 'bypassed',
      variable: 'HTTPS_PROXY',
    });
    expect(proxyFor(HTTPS, { HTTPS_PROXY: 'http://p:1', no_proxy: 'chatgpt.com:443' })).toMatchObject({
      kind: 'bypassed',
    });
    expect(proxyFor(HTTPS, { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'chatgpt.com:8443' })).toMatchObject({
      kind: 'proxy',
    });
    expect(proxyFor(HTTP, { HTTP_PROXY: 'http://p:1', NO_PROXY: '127.0.0.1:8080' })).toMatchObject({
      kind: 'bypassed',
    });
  });
});

describe('noProxyMatches (curl semantics)', () => {
  it('matches the host and its subdomains, with or without a leading dot, case-insensitively', () => {
    expect(noProxyMatches('example.com', 'example.com', '443')).toBe(true);
    expect(noProxyMatches('example.com', 'api.Example.COM', '443')).toBe(true);
    expect(noProxyMatches('.example.com', 'example.com', '443')).toBe(true);
    expect(noProxyMatches('.example.com', 'a.b.example.com', '443')).toBe(true);
    expect(noProxyMatches('*.example.com', 'a.example.com', '443')).toBe(true);
    expect(noProxyMatches('example.com', 'badexample.com', '443')).toBe(false);
    expect(noProxyMatches('example.com', 'example.com.evil.net', '443')).toBe(false);
  });

  it('treats * as everything and ignores empty entries and spaces', () => {
    expect(noProxyMatches('*', 'anything.net', '80')).toBe(true);
    expect(noProxyMatches(' , foo.net ,  bar.net', 'bar.net', '80')).toBe(true);
    expect(noProxyMatches('', 'bar.net', '80')).toBe(false);
  });

  it('honours an optional port', () => {
    expect(noProxyMatches('localhost:8080', 'localhost', '8080')).toBe(true);
    expect(noProxyMatches('localhost:8080', 'localhost', '9090')).toBe(false);
  });

  it('matches IPv6 hosts, bracketed or bare', () => {
    expect(noProxyMatches('::1', '[::1]', '443')).toBe(true);
    expect(noProxyMatches('[::1]:443', '[::1]', '443')).toBe(true);
    expect(noProxyMatches('[::1]:80', '[::1]', '443')).toBe(false);
  });

  it('has no implicit loopback rule', () => {
    expect(noProxyMatches('example.com', 'localhost', '80')).toBe(false);
    expect(noProxyMatches('example.com', '127.0.0.1', '80')).toBe(false);
  });
});

describe('extra CA file', () => {
  it('prefers CODEX_CA_CERTIFICATE over SSL_CERT_FILE', () => {
    expect(extraCaFile({})).toBeNull();
    expect(extraCaFile({ SSL_CERT_FILE: '/b.pem' })).toEqual({ variable: 'SSL_CERT_FILE', path: '/b.pem' });
    expect(extraCaFile({ CODEX_CA_CERTIFICATE: '/a.pem', SSL_CERT_FILE: '/b.pem' })).toEqual({
      variable: 'CODEX_CA_CERTIFICATE',
      path: '/a.pem',
    });
  });

  it('recognises PEM certificates', () => {
    expect(hasPemCertificate(rootCertificates[0]!)).toBe(true);
    expect(hasPemCertificate('not a certificate')).toBe(false);
  });
});

describe('createUpstreamTransport', () => {
  const collect = () => {
    const events: NetworkLogEvent[] = [];
    return { events, log: (e: NetworkLogEvent) => events.push(e) };
  };

  it('is a plain keep-alive agent with default roots and no log when nothing is set', () => {
    const { events, log } = collect();
    const t = createUpstreamTransport(HTTPS, {}, log);
    expect(t.agent).toBeInstanceOf(https.Agent);
    expect(t.agent).not.toBeInstanceOf(HttpsProxyAgent);
    expect((t.agent as https.Agent).options).toMatchObject({ keepAlive: true });
    expect(t.secureContext).toBeUndefined();
    expect(events).toEqual([]);
  });

  it('adds the CA file to the roots and tunnels through the proxy, logging it without credentials', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ccb-ca-'));
    const caPath = join(dir, 'ca.pem');
    writeFileSync(caPath, rootCertificates[0]!);
    const { events, log } = collect();
    const t = createUpstreamTransport(
      HTTPS,
      { HTTPS_PROXY: 'http://bob:hunter2@proxy.corp:3128', CODEX_CA_CERTIFICATE: caPath },
      log,
    );
    expect(t.agent).toBeInstanceOf(HttpsProxyAgent);
    expect((t.agent as unknown as { keepAlive: boolean }).keepAlive).toBe(true);
    expect(t.secureContext).toBeDefined();
    expect(events.map((e) => e.level)).toEqual(['info', 'info']);
    expect(events.some((e) => e.message.includes('http://proxy.corp:3128') && e.message.includes('HTTPS_PROXY'))).toBe(
      true,
    );
    expect(events.some((e) => e.message.includes(`CODEX_CA_CERTIFICATE=${caPath}`))).toBe(true);
    expect(JSON.stringify(events)).not.toMatch(/bob|hunter2/);
    expect(createUpstreamTransport(HTTP, { HTTP_PROXY: 'http://proxy.corp:3128' }, () => {}).agent).toBeInstanceOf(
      HttpProxyAgent,
    );
  });

  it('warns once, naming the variable and path, when the CA file is missing or holds no certificate', () => {
    const { events, log } = collect();
    const t = createUpstreamTransport(HTTPS, { SSL_CERT_FILE: '/nonexistent/ca.pem' }, log);
    expect(t.secureContext).toBeUndefined();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ level: 'warn' });
    expect(events[0]!.message).toContain('SSL_CERT_FILE=/nonexistent/ca.pem');

    const dir = mkdtempSync(join(tmpdir(), 'ccb-ca-'));
    writeFileSync(join(dir, 'junk.pem'), 'junk');
    const junk = collect();
    expect(
      createUpstreamTransport(HTTPS, { CODEX_CA_CERTIFICATE: join(dir, 'junk.pem') }, junk.log).secureContext,
    ).toBeUndefined();
    expect(junk.events).toEqual([
      { level: 'warn', message: expect.stringContaining(`CODEX_CA_CERTIFICATE=${join(dir, 'junk.pem')}`) },
    ]);
  });
});
