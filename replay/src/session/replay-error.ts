/**
 * Stable codes of the errors of the session layer, replay and importers (replay/README.md lists them; a test
 * keeps the two in step). Errors of the log underneath are `LogError`s.
 */
export const REPLAY_ERROR_CODES = {
  NOT_A_SESSION: 'the log holds no Tickwire session (its metadata is not a session header)',
  BAD_SESSION: 'the session metadata is malformed or from an unsupported version',
  BAD_RECORD: 'a record of the session does not decode as its type says (the log checksum passed)',
  NO_INPUT: 'the session has no recorded engine input to re-simulate (it was imported)',
  ROLLED_SESSION:
    'the session was rolled from an earlier one by the same serve: the engine state at its start is not recorded, so it is not re-simulated on its own',
  NO_KEYFRAME: 'the session has no keyframe at or before the position asked for',
  BAD_TIME: 'a replay time (--from, --to, seek) is malformed or outside the session',
  BAD_IMPORT: 'an import file cannot be read, or too few of its rows are valid',
  BAD_OPTION: 'an option of the recorder, replay or importer is out of range',
} as const;

/** A stable code of `ReplayError`. */
export type ReplayErrorCode = keyof typeof REPLAY_ERROR_CODES;

/** The error class of replay/src/session, player and import. `code` is stable. */
export class ReplayError extends Error {
  override readonly name = 'ReplayError';
  readonly code: ReplayErrorCode;

  constructor(code: ReplayErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
