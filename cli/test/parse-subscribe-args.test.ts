import { describe, expect, test } from 'vitest';
import { CliError, type CliErrorCode } from '../src/cli-error.ts';
import { DEFAULT_FEED_URL, parseSubscribeArgs } from '../src/subscribe-command.ts';

describe('parseSubscribeArgs', () => {
  test('defaults: canonical channel names, the local feed, until interrupted', () => {
    expect(parseSubscribeArgs(['trades:BTC-USD', 'book:BTC-USD', 'ticker:ETH-USD@250ms'])).toEqual({
      channels: ['trades:BTC-USD', 'book:BTC-USD:10', 'ticker:ETH-USD@250ms'],
      url: DEFAULT_FEED_URL,
      json: false,
      count: Number.POSITIVE_INFINITY,
      token: undefined,
    });
    expect(DEFAULT_FEED_URL).toBe('ws://localhost:8080/v1/ws');
  });

  test('every flag, before and after the channels', () => {
    expect(
      parseSubscribeArgs([
        '--url',
        'wss://feed.example.com/v1/ws',
        'candles:AMZN:1m',
        '--json',
        '-n',
        '5',
        'instruments',
        '--token',
        't0k',
      ]),
    ).toEqual({
      channels: ['candles:AMZN:1m', 'instruments'],
      url: 'wss://feed.example.com/v1/ws',
      json: true,
      count: 5,
      token: 't0k',
    });
  });

  test('--help wins', () => {
    expect(parseSubscribeArgs(['trades:X', '-h'])).toBe('help');
    expect(parseSubscribeArgs(['--help'])).toBe('help');
  });

  const bad: [string[], CliErrorCode, RegExp][] = [
    [[], 'BAD_FLAG', /no channel given/],
    [['orders:BTC-USD'], 'BAD_CHANNEL', /^UNKNOWN_CHANNEL: channel "orders:BTC-USD": unknown channel kind$/],
    [['book:BTC-USD:20'], 'BAD_CHANNEL', /^BAD_DEPTH: /],
    [['candles:BTC-USD:2m'], 'BAD_CHANNEL', /^BAD_INTERVAL: /],
    [['ticker:BTC USD'], 'BAD_CHANNEL', /^UNKNOWN_SYMBOL: /],
    [['book:X', 'book:X:10'], 'BAD_CHANNEL', /book:X:10 is listed twice/],
    [
      ['trades:X', '--url', 'http://localhost:8080'],
      'BAD_FLAG_VALUE',
      /--url must be a ws:\/\/ or wss:\/\/ URL/,
    ],
    [['trades:X', '--url', 'ws://'], 'BAD_FLAG_VALUE', /--url/],
    [['trades:X', '--count', '0'], 'BAD_FLAG_VALUE', /--count must be an integer from 1/],
    [['trades:X', '--count', 'ten'], 'BAD_FLAG_VALUE', /--count/],
    [['trades:X', '--token', ''], 'BAD_FLAG_VALUE', /--token is empty/],
    [['trades:X', '--token'], 'BAD_FLAG', /argument missing/],
    [['trades:X', '--json=1'], 'BAD_FLAG', /does not take an argument/],
    [['trades:X', '--bogus'], 'BAD_FLAG', /^Unknown option '--bogus'$/],
  ];
  test.each(bad)('%j → %s', (argv, code, message) => {
    let error: unknown;
    try {
      parseSubscribeArgs(argv);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).code).toBe(code);
    expect((error as CliError).message).toMatch(message);
  });
});
