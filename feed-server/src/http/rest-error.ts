import { REST_ERROR_CODES, type RestErrorBody, type RestErrorCode } from '../protocol/index.ts';

export { REST_ERROR_CODES, type RestErrorBody, type RestErrorCode };

/**
 * The one error class of `feed-server/src/http/`: a request the REST API refuses. `status` is the HTTP status
 * to answer with, taken from `REST_ERROR_CODES`. Build it with `restError`.
 */
export class RestError extends Error {
  override readonly name = 'RestError';
  /** stable code, sent as `error.code` */
  readonly code: RestErrorCode;
  /** HTTP status of the response */
  readonly status: number;

  constructor(code: RestErrorCode, message: string, options?: { readonly cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.status = REST_ERROR_CODES[code].status;
  }
}

/** A refused REST request: answered with `status` and `{"error": {code, message}}`. */
export function restError(code: RestErrorCode, message: string, cause?: unknown): RestError {
  return new RestError(code, message, cause === undefined ? undefined : { cause });
}
