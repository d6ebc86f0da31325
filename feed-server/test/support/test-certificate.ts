import { generate } from 'selfsigned';

/** A self-signed certificate and its key, PEM. The certificate is its own CA: pass it as `ca` to trust it. */
export interface TestCertificate {
  readonly cert: string;
  readonly key: string;
}

/** Options of {@link generateTestCertificate}. */
export interface TestCertificateOptions {
  /** start of validity; default now − 1 min (a little slack for clocks) */
  readonly notBefore?: Date;
  /** end of validity; default notBefore + 1 day */
  readonly notAfter?: Date;
  /** `ec` (P-256, fast, the default) or `rsa` (2048 bits) */
  readonly keyType?: 'ec' | 'rsa';
  /** encrypt the private key with this passphrase (PKCS#8) */
  readonly passphrase?: string;
}

/**
 * Generates a self-signed server certificate for `localhost`, `127.0.0.1` and `::1` (SHA-256), for tests
 * that serve TLS. selfsigned 5 is async-only.
 */
export async function generateTestCertificate(
  options: TestCertificateOptions = {},
): Promise<TestCertificate> {
  const notBefore = options.notBefore ?? new Date(Date.now() - 60_000);
  const notAfter = options.notAfter ?? new Date(notBefore.getTime() + 86_400_000);
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: options.keyType ?? 'ec',
    algorithm: 'sha256',
    notBeforeDate: notBefore,
    notAfterDate: notAfter,
    ...(options.passphrase === undefined ? {} : { passphrase: options.passphrase }),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}
