import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestTls {
  /** PEM of the CA that signed `cert`; pass its path as CODEX_CA_CERTIFICATE. */
  caPath: string;
  cert: string;
  key: string;
}

/**
 * A throwaway CA plus a localhost leaf cert signed by it. The real codex uses rustls/webpki, which refuses
 * a CA certificate as the server's own cert, hence two certificates rather than one self-signed.
 */
export function makeTestTls(): TestTls {
  const dir = mkdtempSync(join(tmpdir(), 'ccb-tls-'));
  const p = (name: string) => join(dir, name);
  const ossl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  ossl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    p('ca.key'),
    '-out',
    p('ca.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=ccbridge test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  ossl('req', ...ec, '-keyout', p('srv.key'), '-out', p('srv.csr'), '-subj', '/CN=localhost');
  writeFileSync(
    p('ext.cnf'),
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n',
  );
  ossl(
    'x509',
    '-req',
    '-in',
    p('srv.csr'),
    '-CA',
    p('ca.pem'),
    '-CAkey',
    p('ca.key'),
    '-CAcreateserial',
    '-out',
    p('srv.pem'),
    '-days',
    '2',
    '-extfile',
    p('ext.cnf'),
  );
  return { caPath: p('ca.pem'), cert: readFileSync(p('srv.pem'), 'utf8'), key: readFileSync(p('srv.key'), 'utf8') };
}
