import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { verifyToken } from '../../feed-server/src/server/index.ts';
import { CliError, type CliErrorCode } from '../src/cli-error.ts';
import { main } from '../src/main.ts';
import { parseTokenArgs, TOKEN_USAGE } from '../src/token-command.ts';

const SECRET = 'a secret of 16+ bytes';

/** Runs `tickwire ARGV` in-process with captured streams. */
async function run(argv: string[], env: Record<string, string> = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (b: Buffer) => out.push(b));
  stderr.on('data', (b: Buffer) => err.push(b));
  const code = await main(argv, { stdout, stderr, env });
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}

describe('parseTokenArgs', () => {
  test('defaults: subject "client", one hour', () => {
    expect(parseTokenArgs(['--secret', SECRET])).toEqual({
      secret: SECRET,
      subject: 'client',
      ttlSeconds: 3600,
    });
  });

  test('the secret from TICKWIRE_AUTH_SECRET; --secret wins over it', () => {
    const env = { TICKWIRE_AUTH_SECRET: 'secret from the environment' };
    expect(parseTokenArgs([], env)).toMatchObject({ secret: 'secret from the environment' });
    expect(parseTokenArgs(['--secret', SECRET], env)).toMatchObject({ secret: SECRET });
  });

  test.each([
    ['3600', 3600],
    ['1', 1],
    ['90s', 90],
    ['30m', 1800],
    ['1h', 3600],
    ['7d', 604_800],
    ['365d', 31_536_000],
  ])('--ttl %s = %i s', (ttl, seconds) => {
    expect(parseTokenArgs(['--secret', SECRET, '--ttl', ttl])).toMatchObject({ ttlSeconds: seconds });
  });

  test('--subject', () => {
    expect(parseTokenArgs(['--secret', SECRET, '--subject', 'desk 7'])).toMatchObject({ subject: 'desk 7' });
  });

  test('--help', () => {
    expect(parseTokenArgs(['--ttl', 'nonsense', '-h'])).toBe('help');
  });

  const bad: [string[], Record<string, string>, CliErrorCode, RegExp][] = [
    [[], {}, 'BAD_FLAG', /^--secret is required \(or set TICKWIRE_AUTH_SECRET\)$/],
    [[], { TICKWIRE_AUTH_SECRET: '' }, 'BAD_FLAG', /--secret is required/],
    [
      ['--secret', 'short'],
      {},
      'BAD_FLAG_VALUE',
      /^--secret: the auth secret must be at least 16 bytes, got 5$/,
    ],
    [[], { TICKWIRE_AUTH_SECRET: 'short' }, 'BAD_FLAG_VALUE', /^TICKWIRE_AUTH_SECRET: .* at least 16 bytes/],
    [['--secret'], {}, 'BAD_FLAG', /argument missing/],
    [['--secret', SECRET, '--subject', ''], {}, 'BAD_FLAG_VALUE', /--subject must have 1 to 128 characters/],
    [['--secret', SECRET, '--subject', 'x'.repeat(129)], {}, 'BAD_FLAG_VALUE', /got 129/],
    [['--secret', SECRET, '--subject', 'a\nb'], {}, 'BAD_FLAG_VALUE', /--subject must not contain control/],
    [['--secret', SECRET, '--ttl', '0'], {}, 'BAD_FLAG_VALUE', /--ttl must be a duration from 1s to 365d/],
    [['--secret', SECRET, '--ttl', '366d'], {}, 'BAD_FLAG_VALUE', /got "366d"/],
    [['--secret', SECRET, '--ttl', '1.5h'], {}, 'BAD_FLAG_VALUE', /--ttl/],
    [['--secret', SECRET, '--ttl', '1H'], {}, 'BAD_FLAG_VALUE', /--ttl/],
    [['--secret', SECRET, '--ttl', '1w'], {}, 'BAD_FLAG_VALUE', /--ttl/],
    [['--secret', SECRET, '--ttl', 'h'], {}, 'BAD_FLAG_VALUE', /--ttl/],
    [['--secret', SECRET, '--ttl', ' 60'], {}, 'BAD_FLAG_VALUE', /--ttl/],
    [['--secret', SECRET, '--ttl', '99999999999'], {}, 'BAD_FLAG_VALUE', /--ttl/],
    [['--secret', SECRET, 'extra'], {}, 'BAD_FLAG', /Unexpected argument 'extra'/],
    [['--sekret', SECRET], {}, 'BAD_FLAG', /Unknown option '--sekret'/],
  ];
  test.each(bad)('%j with env %j → %s', (argv, env, code, message) => {
    let error: unknown;
    try {
      parseTokenArgs(argv, env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).code).toBe(code);
    expect((error as CliError).message).toMatch(message);
  });
});

describe('tickwire token', () => {
  test('prints one token on stdout that verifies with the secret; the expiry on stderr', async () => {
    const before = Date.now();
    const r = await run(['token', '--secret', SECRET, '--subject', 'desk-7', '--ttl', '30m']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^tw1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}\n$/);
    const v = verifyToken(SECRET, r.stdout.trim(), Date.now());
    if (!v.ok) throw new Error(v.message);
    expect(v.claims.sub).toBe('desk-7');
    expect(v.claims.exp - v.claims.iat).toBe(1800);
    expect(v.claims.iat).toBeGreaterThanOrEqual(Math.floor(before / 1000));
    expect(verifyToken('another secret of 16+ bytes', r.stdout.trim(), Date.now()).ok).toBe(false);
    expect(r.stderr).toBe(
      `tickwire token: subject "desk-7", expires ${new Date(v.claims.exp * 1000).toISOString()}\n`,
    );
  });

  test('takes the secret from the environment', async () => {
    const r = await run(['token'], { TICKWIRE_AUTH_SECRET: SECRET });
    expect(r.code).toBe(0);
    expect(verifyToken(SECRET, r.stdout.trim(), Date.now())).toMatchObject({
      ok: true,
      claims: { sub: 'client' },
    });
  });

  test('a usage error exits 2 with the message and a hint, and prints no token', async () => {
    const r = await run(['token', '--secret', 'short']);
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr:
        "tickwire token: --secret: the auth secret must be at least 16 bytes, got 5\nRun 'tickwire token --help' for usage.\n",
    });
  });

  test('--help and `tickwire help token` print the usage', async () => {
    expect(await run(['token', '--help'])).toEqual({ code: 0, stdout: TOKEN_USAGE, stderr: '' });
    expect((await run(['help', 'token'])).stdout).toBe(TOKEN_USAGE);
    expect((await run(['--help'])).stdout).toMatch(/^ {2}token {7}issue an access token/m);
  });
});
