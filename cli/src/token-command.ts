import {
  assertTokenSecret,
  MAX_SUBJECT_LENGTH,
  MIN_SECRET_BYTES,
  mintToken,
  ServerConfigError,
  tokenSubjectProblem,
} from '../../feed-server/src/server/index.ts';
import { CliError } from './cli-error.ts';
import type { CliIo } from './cli-io.ts';
import { parseCliArgs } from './parse-cli-args.ts';

/** The environment variable that holds the auth secret, for `tickwire token` and the server. */
export const AUTH_SECRET_ENV = 'TICKWIRE_AUTH_SECRET';

/** Longest `--ttl`: there is no revocation short of changing the secret, so tokens should not live for years. */
export const MAX_TTL_SECONDS = 365 * 86_400;

const DEFAULT_SUBJECT = 'client';
const DEFAULT_TTL_SECONDS = 3600;

export const TOKEN_USAGE = `Usage: tickwire token [options]

Issues an access token (PROTOCOL.md §15) and prints it on stdout. Clients pass it as the \`token\` query
parameter of the WebSocket URL or as an \`Authorization: Bearer\` header.

Options:
      --secret <s>        the server's auth secret, at least ${MIN_SECRET_BYTES} bytes (default: $${AUTH_SECRET_ENV};
                          prefer the variable: a flag is visible in the process list and shell history)
      --subject <name>    whom the token is for, 1 to ${MAX_SUBJECT_LENGTH} characters, shown in server logs
                          (default ${DEFAULT_SUBJECT})
      --ttl <duration>    lifetime: <n>s, <n>m, <n>h, <n>d or plain seconds, at most 365d (default 1h)
  -h, --help              show this help

The expiry goes to stderr. Exit status: 0 done, 2 usage error.
`;

const OPTIONS = {
  secret: { type: 'string' },
  subject: { type: 'string' },
  ttl: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The parsed options of `tickwire token`. */
export interface TokenOptions {
  readonly secret: string;
  readonly subject: string;
  readonly ttlSeconds: number;
}

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };

/**
 * Parses the arguments after `token`, the secret coming from `--secret` or else `env.TICKWIRE_AUTH_SECRET`;
 * `'help'` when help was asked for. Throws `CliError`.
 */
export function parseTokenArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): TokenOptions | 'help' {
  const { values } = parseCliArgs(argv, OPTIONS);
  if (values.help === true) return 'help';
  const secret = values.secret ?? (env[AUTH_SECRET_ENV] || undefined);
  if (secret === undefined) {
    throw new CliError('BAD_FLAG', `--secret is required (or set ${AUTH_SECRET_ENV})`);
  }
  try {
    assertTokenSecret(secret);
  } catch (cause) {
    if (!(cause instanceof ServerConfigError)) throw cause;
    const from = values.secret === undefined ? AUTH_SECRET_ENV : '--secret';
    throw new CliError('BAD_FLAG_VALUE', `${from}: ${cause.message}`, { cause });
  }
  const subject = values.subject ?? DEFAULT_SUBJECT;
  const problem = tokenSubjectProblem(subject);
  if (problem !== undefined) throw new CliError('BAD_FLAG_VALUE', `--subject ${problem}`);
  const ttlSeconds = values.ttl === undefined ? DEFAULT_TTL_SECONDS : parseTtl(values.ttl);
  return { secret, subject, ttlSeconds };
}

function parseTtl(text: string): number {
  const m = /^(\d{1,9})([smhd]?)$/.exec(text);
  const seconds =
    m?.[1] !== undefined ? Number(m[1]) * (UNIT_SECONDS[m[2] || 's'] ?? Number.NaN) : Number.NaN;
  if (!(seconds >= 1 && seconds <= MAX_TTL_SECONDS)) {
    throw new CliError(
      'BAD_FLAG_VALUE',
      `--ttl must be a duration from 1s to 365d (e.g. 3600, 30m, 1h, 7d), got "${text}"`,
    );
  }
  return seconds;
}

/** `tickwire token`: prints a token on stdout and its expiry on stderr; returns the exit status. */
export async function tokenCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseTokenArgs(argv, io.env);
  if (parsed === 'help') {
    io.stdout.write(TOKEN_USAGE);
    return 0;
  }
  const nowMs = Date.now();
  const token = mintToken(parsed.secret, { subject: parsed.subject, ttlSeconds: parsed.ttlSeconds, nowMs });
  const expires = new Date((Math.floor(nowMs / 1000) + parsed.ttlSeconds) * 1000).toISOString();
  io.stdout.write(`${token}\n`);
  io.stderr.write(`tickwire token: subject "${parsed.subject}", expires ${expires}\n`);
  return 0;
}
