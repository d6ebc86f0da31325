import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadTlsOptions } from '../../src/server/tls-options.ts';
import { generateTestCertificate, type TestCertificate } from '../support/test-certificate.ts';

let cert: TestCertificate;
let server: Server;
let port: number;

beforeAll(async () => {
  cert = await generateTestCertificate();
  const dir = mkdtempSync(join(tmpdir(), 'tickwire-tls-'));
  writeFileSync(join(dir, 'cert.pem'), cert.cert);
  writeFileSync(join(dir, 'key.pem'), cert.key);
  const tls = loadTlsOptions({ certPath: join(dir, 'cert.pem'), keyPath: join(dir, 'key.pem') });
  server = createServer(tls, (req, res) => {
    res.end(`hello over ${(req.socket as TLSSocket).getProtocol()}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
});

/** GET / over TLS checking the certificate for `name` and trusting `ca` (or the system store when undefined). */
function get(name: string, ca: string | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    // The socket always goes to 127.0.0.1; the name to check is the SNI name (an IP may not be one: RFC 6066 §3).
    const servername = name === '127.0.0.1' ? undefined : name;
    const req = request({ host: '127.0.0.1', servername, port, path: '/', ca }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve(body));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('an https server with loadTlsOptions and the test certificate', () => {
  test.each(['127.0.0.1', 'localhost'])('serves %s to a client that trusts the certificate', async (host) => {
    expect(await get(host, cert.cert)).toMatch(/^hello over TLSv1\.[23]$/);
  });

  test('is refused by a client that does not trust it (verification is on)', async () => {
    await expect(get('127.0.0.1', undefined)).rejects.toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
  });

  test('is refused for a name the certificate does not carry', async () => {
    await expect(get('feed.example.com', cert.cert)).rejects.toMatchObject({
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    });
  });
});
