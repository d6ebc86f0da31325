/**
 * Stable codes of the errors `matching/` throws. Rejected commands are not errors (they are `rejected`
 * events with a `RejectCode`); these are for bad configuration and bad input at the edges.
 */
export const MATCHING_ERROR_CODES = {
  BAD_INSTRUMENT: 'an instrument definition is invalid',
  BAD_DECIMAL: 'a decimal string cannot be represented exactly at the instrument scale',
  BAD_SIMULATOR_CONFIG: 'a simulator option is out of range',
  LISTENER_FAILED: 'the engine event listener threw; the command was still applied in full',
} as const;

export type MatchingErrorCode = keyof typeof MATCHING_ERROR_CODES;

/** The one error class of `matching/`: carries a stable `code` and, where there was one, a `cause`. */
export class MatchingError extends Error {
  override readonly name = 'MatchingError';
  readonly code: MatchingErrorCode;

  constructor(code: MatchingErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
