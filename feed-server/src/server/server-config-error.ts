/**
 * Stable codes of the errors the server's building blocks throw for a bad operator-supplied setting (a
 * secret, a TLS file, an Origin allowlist entry). All of them are the operator's to fix before start; the
 * CLI reports them as usage errors.
 */
export const SERVER_CONFIG_ERROR_CODES = {
  AUTH_SECRET_TOO_SHORT: 'the token secret is shorter than 16 bytes',
  BAD_ORIGIN: 'an Origin allowlist entry is not `*` or a bare origin (`scheme://host[:port]`)',
  TLS_FILE_UNREADABLE: 'the TLS certificate or key file cannot be read',
  TLS_NOT_PEM: 'the TLS certificate or key file is not PEM of the expected kind',
  TLS_BAD_CERT: 'the TLS certificate does not parse',
  TLS_BAD_KEY: 'the TLS private key does not parse or is encrypted',
  TLS_KEY_MISMATCH: 'the TLS private key does not belong to the certificate',
  TLS_CERT_EXPIRED: 'the TLS certificate has expired',
} as const;

/** A code of {@link ServerConfigError}. */
export type ServerConfigErrorCode = keyof typeof SERVER_CONFIG_ERROR_CODES;

/**
 * The error of `feed-server/src/server/` for a setting that cannot work: thrown at start-up, never while
 * serving. `message` names the setting and, for files, the path; `cause` holds the underlying error.
 */
export class ServerConfigError extends Error {
  override readonly name = 'ServerConfigError';
  readonly code: ServerConfigErrorCode;

  constructor(code: ServerConfigErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
