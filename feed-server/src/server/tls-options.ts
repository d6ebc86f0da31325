import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ServerConfigError } from './server-config-error.ts';

/** Where the server's TLS certificate and private key are (`--tls-cert`, `--tls-key`). */
export interface TlsFiles {
  /** PEM: the server certificate first, then any intermediates */
  readonly certPath: string;
  /** PEM: the unencrypted private key of the certificate (PKCS#8, PKCS#1 or SEC1) */
  readonly keyPath: string;
}

/** The `cert` and `key` options of `https.createServer`, checked to work together. */
export interface TlsServerOptions {
  /** the certificate file's text: the chain as given */
  readonly cert: string;
  /** the key file's text */
  readonly key: string;
  /** when the server certificate expires */
  readonly validTo: Date;
}

const CERT_BLOCK = '-----BEGIN CERTIFICATE-----';
const KEY_BLOCK = /-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/;
const ENCRYPTED = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: *4, *ENCRYPTED/;
/** A DER file starts with an ASN.1 SEQUENCE (0x30): the usual mistake of a `.cer`/`.der` given as PEM. */
const DER_SEQUENCE = 0x30;

/**
 * Reads and checks the TLS certificate and key for `https.createServer`, so a bad file stops the start with
 * a message that names the file and the fix instead of a bare OpenSSL error on the first handshake. Checks:
 * each file readable; PEM of the right kind (a key given as the certificate, or the other way round, is
 * called swapped; DER and encrypted keys are named as such); both parse; the key belongs to the certificate
 * (`X509Certificate.checkPrivateKey`); the certificate has not expired at `nowMs`. Throws
 * {@link ServerConfigError} with a `TLS_*` code.
 *
 * @example
 * ```ts
 * const server = https.createServer(loadTlsOptions({ certPath: 'tls/cert.pem', keyPath: 'tls/key.pem' }));
 * ```
 */
export function loadTlsOptions(files: TlsFiles, nowMs: number = Date.now()): TlsServerOptions {
  const certLabel = `TLS certificate ${files.certPath}`;
  const keyLabel = `TLS key ${files.keyPath}`;
  const cert = readPem(files.certPath, certLabel);
  const key = readPem(files.keyPath, keyLabel);

  if (!cert.includes(CERT_BLOCK)) {
    const what = KEY_BLOCK.test(cert)
      ? 'holds a private key, not a certificate (are the certificate and key swapped?)'
      : `is not a PEM certificate (no ${CERT_BLOCK} line)`;
    throw new ServerConfigError('TLS_NOT_PEM', `${certLabel}: ${what}`);
  }
  if (ENCRYPTED.test(key)) {
    throw new ServerConfigError(
      'TLS_BAD_KEY',
      `${keyLabel}: the key is encrypted; give an unencrypted one (openssl pkey -in KEY -out KEY.plain)`,
    );
  }
  if (!KEY_BLOCK.test(key)) {
    const what = key.includes(CERT_BLOCK)
      ? 'holds a certificate, not a private key (are the certificate and key swapped?)'
      : 'is not a PEM private key (no -----BEGIN PRIVATE KEY----- line)';
    throw new ServerConfigError('TLS_NOT_PEM', `${keyLabel}: ${what}`);
  }

  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch (cause) {
    throw new ServerConfigError('TLS_BAD_CERT', `${certLabel}: does not parse (${messageOf(cause)})`, {
      cause,
    });
  }
  let keyObject: KeyObject;
  try {
    keyObject = createPrivateKey(key);
  } catch (cause) {
    throw new ServerConfigError('TLS_BAD_KEY', `${keyLabel}: does not parse (${messageOf(cause)})`, {
      cause,
    });
  }
  if (!x509.checkPrivateKey(keyObject)) {
    throw new ServerConfigError(
      'TLS_KEY_MISMATCH',
      `${keyLabel} is not the private key of ${certLabel} (subject ${x509.subject.replaceAll('\n', ', ')})`,
    );
  }
  const validTo = new Date(x509.validTo);
  if (!(validTo.getTime() > nowMs)) {
    throw new ServerConfigError('TLS_CERT_EXPIRED', `${certLabel}: expired on ${validTo.toISOString()}`);
  }
  return { cert, key, validTo };
}

function readPem(path: string, label: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (cause) {
    throw new ServerConfigError('TLS_FILE_UNREADABLE', `${label}: ${messageOf(cause)}`, { cause });
  }
  if (bytes[0] === DER_SEQUENCE) {
    throw new ServerConfigError(
      'TLS_NOT_PEM',
      `${label}: is binary DER, not PEM (convert: openssl x509 -inform der, or openssl pkey -inform der)`,
    );
  }
  return bytes.toString('utf8');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
