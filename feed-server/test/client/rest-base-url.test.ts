import { expect, test } from 'vitest';
import { FeedClientError, restBaseUrl } from '../../src/client/index.ts';

test.each([
  ['ws://localhost:8080/v1/ws', 'http://localhost:8080'],
  ['wss://feed.example.com/v1/ws', 'https://feed.example.com'],
  ['wss://feed.example.com:8443/v1/ws?token=abc', 'https://feed.example.com:8443'],
  ['ws://127.0.0.1:9000/tickwire/v1/ws', 'http://127.0.0.1:9000/tickwire'],
  ['http://localhost:8080', 'http://localhost:8080'],
  ['https://api.example.com/prefix/', 'https://api.example.com/prefix'],
])('%s → %s', (url, base) => {
  expect(restBaseUrl(url)).toBe(base);
});

test('anything else is BAD_OPTION', () => {
  expect(() => restBaseUrl('ftp://x')).toThrow(FeedClientError);
  expect(() => restBaseUrl('nope')).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
});
