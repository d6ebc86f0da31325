/**
 * Stable codes of the errors the `tickwire` command reports. All of them are the user's to fix (a flag, a
 * value, a config file, a channel) and exit with status 2; anything else exits with status 1.
 */
export const CLI_ERROR_CODES = {
  UNKNOWN_COMMAND: 'no such subcommand',
  BAD_FLAG: 'an unknown flag, a missing flag value, or an unexpected argument',
  BAD_FLAG_VALUE: 'a flag value is malformed or out of range',
  BAD_CONFIG: 'a config file cannot be read or is invalid',
  BAD_CHANNEL: 'a channel name is malformed or listed twice, or the feed refused it (its §10 code is shown)',
} as const;

export type CliErrorCode = keyof typeof CLI_ERROR_CODES;

/** Exit status of a usage error (as `sh` and most CLIs use it). */
export const USAGE_EXIT_CODE = 2;

/** A usage error of the `tickwire` command: the message is printed as is, with a hint to `--help`. */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly code: CliErrorCode;
  readonly exitCode = USAGE_EXIT_CODE;

  constructor(code: CliErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
