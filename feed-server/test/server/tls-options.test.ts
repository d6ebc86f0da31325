import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { ServerConfigErrorCode } from '../../src/server/server-config-error.ts';
import { loadTlsOptions } from '../../src/server/tls-options.ts';
import { generateTestCertificate, type TestCertificate } from '../support/test-certificate.ts';

const dir = mkdtempSync(join(tmpdir(), 'tickwire-tls-'));
const file = (name: string, content: string | Buffer): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const missing = join(dir, 'missing.pem');

let ec: TestCertificate;
let other: TestCertificate;
let rsa: TestCertificate;
let expired: TestCertificate;
let encrypted: TestCertificate;
beforeAll(async () => {
  [ec, other, rsa, expired, encrypted] = await Promise.all([
    generateTestCertificate(),
    generateTestCertificate(),
    generateTestCertificate({ keyType: 'rsa' }),
    generateTestCertificate({ notBefore: new Date('2020-01-01'), notAfter: new Date('2021-01-01') }),
    generateTestCertificate({ passphrase: 'pw' }),
  ]);
});

/** EC private key PEM preceded by the EC PARAMETERS block `openssl ecparam -genkey` writes (P-256). */
const withEcParameters = (sec1: string): string =>
  `-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n${sec1}`;

describe('loadTlsOptions accepts', () => {
  test('a matching certificate and PKCS#8 key, returning the texts and the expiry', () => {
    const o = loadTlsOptions({ certPath: file('ok.crt', ec.cert), keyPath: file('ok.key', ec.key) });
    expect(o.cert).toBe(ec.cert);
    expect(o.key).toBe(ec.key);
    expect(o.validTo.getTime()).toBe(new Date(new X509Certificate(ec.cert).validTo).getTime());
  });

  test.each([
    ['RSA, PKCS#8', () => rsa.cert, () => rsa.key],
    [
      'RSA, PKCS#1',
      () => rsa.cert,
      () => createPrivateKey(rsa.key).export({ type: 'pkcs1', format: 'pem' }).toString(),
    ],
    [
      'EC, SEC1',
      () => ec.cert,
      () => createPrivateKey(ec.key).export({ type: 'sec1', format: 'pem' }).toString(),
    ],
    [
      'EC, SEC1 after EC PARAMETERS (openssl ecparam -genkey)',
      () => ec.cert,
      () => withEcParameters(createPrivateKey(ec.key).export({ type: 'sec1', format: 'pem' }).toString()),
    ],
    ['a chain: the server certificate, then another', () => `${ec.cert}\n${other.cert}\n`, () => ec.key],
  ])('%s', (_, cert, key) => {
    expect(() =>
      loadTlsOptions({ certPath: file('c.pem', cert()), keyPath: file('k.pem', key()) }),
    ).not.toThrow();
  });
});

describe('loadTlsOptions refuses', () => {
  const rows: [string, () => [cert: string, key: string], ServerConfigErrorCode, RegExp][] = [
    [
      'a missing certificate file',
      () => [missing, file('k1', ec.key)],
      'TLS_FILE_UNREADABLE',
      /^TLS certificate .*missing\.pem: ENOENT/,
    ],
    [
      'a missing key file',
      () => [file('c1', ec.cert), missing],
      'TLS_FILE_UNREADABLE',
      /^TLS key .*: ENOENT/,
    ],
    ['a directory', () => [dir, file('k2', ec.key)], 'TLS_FILE_UNREADABLE', /EISDIR/],
    [
      'swapped files',
      () => [file('k3', ec.key), file('c3', ec.cert)],
      'TLS_NOT_PEM',
      /^TLS certificate .*: holds a private key, not a certificate \(are the certificate and key swapped\?\)$/,
    ],
    [
      'the certificate given as the key',
      () => [file('c4', ec.cert), file('c4b', ec.cert)],
      'TLS_NOT_PEM',
      /^TLS key .*: holds a certificate, not a private key/,
    ],
    [
      'a DER certificate',
      () => [file('c5.der', new X509Certificate(ec.cert).raw), file('k5', ec.key)],
      'TLS_NOT_PEM',
      /binary DER, not PEM/,
    ],
    [
      'a text file as the certificate',
      () => [file('c6', 'hello\n'), file('k6', ec.key)],
      'TLS_NOT_PEM',
      /is not a PEM certificate \(no -----BEGIN CERTIFICATE----- line\)/,
    ],
    [
      'an empty key file',
      () => [file('c7', ec.cert), file('k7', '')],
      'TLS_NOT_PEM',
      /is not a PEM private key/,
    ],
    [
      'a corrupt certificate',
      () => [
        file('c8', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'),
        file('k8', ec.key),
      ],
      'TLS_BAD_CERT',
      /^TLS certificate .*: does not parse \(/,
    ],
    [
      'a corrupt key',
      () => [
        file('c9', ec.cert),
        file('k9', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'),
      ],
      'TLS_BAD_KEY',
      /^TLS key .*: does not parse \(/,
    ],
    [
      'an encrypted key',
      () => [file('c10', encrypted.cert), file('k10', encrypted.key)],
      'TLS_BAD_KEY',
      /the key is encrypted; give an unencrypted one/,
    ],
    [
      'the key of another certificate',
      () => [file('c11', ec.cert), file('k11', other.key)],
      'TLS_KEY_MISMATCH',
      /^TLS key .*k11 is not the private key of TLS certificate .*c11 \(subject CN=localhost\)$/,
    ],
    [
      'a key of another type',
      () => [file('c12', ec.cert), file('k12', rsa.key)],
      'TLS_KEY_MISMATCH',
      /is not the private key/,
    ],
    [
      'an expired certificate',
      () => [file('c13', expired.cert), file('k13', expired.key)],
      'TLS_CERT_EXPIRED',
      /^TLS certificate .*: expired on 2021-01-01T00:00:00\.000Z$/,
    ],
  ];
  test.each(rows)('%s', (_, paths, code, message) => {
    const [certPath, keyPath] = paths();
    let error: unknown;
    try {
      loadTlsOptions({ certPath, keyPath });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ name: 'ServerConfigError', code });
    expect((error as Error).message).toMatch(message);
  });

  test('expiry is judged at nowMs', () => {
    const files = { certPath: file('c14', ec.cert), keyPath: file('k14', ec.key) };
    const validToMs = loadTlsOptions(files).validTo.getTime();
    expect(() => loadTlsOptions(files, validToMs - 1)).not.toThrow();
    expect(() => loadTlsOptions(files, validToMs)).toThrow(/expired on/);
  });
});
