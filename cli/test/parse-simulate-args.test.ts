import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { CliError, type CliErrorCode } from '../src/cli-error.ts';
import { parseSimulateArgs } from '../src/simulate-command.ts';

const dir = mkdtempSync(join(tmpdir(), 'tickwire-cli-'));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('parseSimulateArgs', () => {
  test('defaults', () => {
    const o = parseSimulateArgs([]);
    expect(o).not.toBe('help');
    if (o === 'help') return;
    expect(o).toMatchObject({ seed: 1, count: 10_000, json: false, rate: undefined, initialPrices: {} });
    expect(o.instruments.map((i) => i.symbol)).toEqual(['BTC-USD', 'ETH-USD', 'AMZN']);
  });

  test('every flag', () => {
    const o = parseSimulateArgs([
      '-s',
      '42',
      '-n',
      '5',
      '--json',
      '--rate',
      '50',
      '--symbols',
      'AMZN,BTC-USD',
    ]);
    if (o === 'help') throw new Error('help');
    expect(o).toMatchObject({ seed: 42, count: 5, json: true, rate: 50 });
    expect(o.instruments.map((i) => i.symbol)).toEqual(['AMZN', 'BTC-USD']);
  });

  test('--rate without --count runs until interrupted', () => {
    const o = parseSimulateArgs(['--rate', '10']);
    expect(o !== 'help' && o.count).toBe(Number.POSITIVE_INFINITY);
  });

  test('--help', () => {
    expect(parseSimulateArgs(['--seed', '3', '-h'])).toBe('help');
  });

  test('--instruments reads specs and initial prices', () => {
    const path = file(
      'ok.json',
      JSON.stringify({
        instruments: [{ symbol: 'XYZ', tickSize: '0.05', lotSize: '10', initialPrice: '12.35' }],
      }),
    );
    const o = parseSimulateArgs(['--instruments', path]);
    if (o === 'help') throw new Error('help');
    expect(o.instruments.map((i) => i.symbol)).toEqual(['XYZ']);
    expect(o.initialPrices).toEqual({ XYZ: 1235 });
  });

  const bad: [string[], CliErrorCode, RegExp][] = [
    [['--seed', '1.5'], 'BAD_FLAG_VALUE', /--seed must be an integer from 0 to 4294967295, got "1\.5"/],
    [['--seed', 'abc'], 'BAD_FLAG_VALUE', /--seed/],
    [['--seed', '4294967296'], 'BAD_FLAG_VALUE', /--seed/],
    [['--count', '-3'], 'BAD_FLAG', /--count/],
    [['--count', '1e3'], 'BAD_FLAG_VALUE', /--count must be an integer/],
    [['--rate', '0'], 'BAD_FLAG_VALUE', /--rate must be an integer from 1/],
    [
      ['--symbols', 'BTC-USD,NOPE'],
      'BAD_FLAG_VALUE',
      /unknown symbol "NOPE" \(configured: BTC-USD, ETH-USD, AMZN\)/,
    ],
    [['--symbols', 'AMZN,AMZN'], 'BAD_FLAG_VALUE', /listed twice/],
    [['--symbols', 'AMZN,'], 'BAD_FLAG_VALUE', /empty entry/],
    [['--bogus'], 'BAD_FLAG', /^Unknown option '--bogus'$/],
    [['--seed'], 'BAD_FLAG', /argument missing/],
    [['--json=yes'], 'BAD_FLAG', /does not take an argument/],
    [['stray'], 'BAD_FLAG', /Unexpected argument 'stray'/],
    [['--instruments', join(dir, 'missing.json')], 'BAD_CONFIG', /ENOENT/],
    [['--instruments', file('syntax.json', '{')], 'BAD_CONFIG', /JSON/],
    [['--instruments', file('empty.json', '[]')], 'BAD_CONFIG', /non-empty/],
    [
      [
        '--instruments',
        file('price.json', '[{"symbol":"X","tickSize":"0.01","lotSize":"1","initialPrice":"1.234"}]'),
      ],
      'BAD_CONFIG',
      /more than 2 decimals/,
    ],
  ];
  test.each(bad)('%j → %s', (argv, code, message) => {
    let error: unknown;
    try {
      parseSimulateArgs(argv);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).code).toBe(code);
    expect((error as CliError).message).toMatch(message);
  });
});
