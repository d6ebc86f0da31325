import { mkdirSync, mkdtempSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { acceptsGzip, PAGE_CSP, staticFiles } from '../../src/http/index.ts';
import { serve, type TestServer, UNHANDLED_STATUS } from './serve.ts';

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

/** A raw request: the path goes out exactly as written (fetch would normalize `..` away). */
function get(
  base: string,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<Answer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

const JS = `export const x = ${JSON.stringify('tickwire '.repeat(400))};\n`;
let root: string;
let server: TestServer;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tickwire-static-'));
  root = join(dir, 'dist');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Tickwire</title>');
  writeFileSync(join(root, 'assets', 'index-AbC123.js'), JS);
  writeFileSync(join(root, 'assets', 'index-AbC123.css'), 'body{}');
  writeFileSync(join(root, 'assets', 'data.bin'), Buffer.from([1, 2, 3]));
  writeFileSync(join(root, '.build-stamp'), 'x');
  writeFileSync(join(dir, 'secret.txt'), 'secret');
  symlinkSync(join(dir, 'secret.txt'), join(root, 'assets', 'link.txt'));
  server = await serve(staticFiles({ root }));
});

afterAll(async () => {
  await server.close();
});

describe('staticFiles', () => {
  test('/ is index.html: HTML, revalidated (no-cache), with the page CSP, nosniff and an ETag', async () => {
    const a = await get(server.url, '/');
    expect(a.status).toBe(200);
    expect(a.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(a.headers['cache-control']).toBe('no-cache');
    expect(a.headers['content-security-policy']).toBe(PAGE_CSP);
    expect(a.headers['x-content-type-options']).toBe('nosniff');
    expect(a.headers.etag).toMatch(/^W\/"[0-9a-f]+-[0-9a-f]+"$/);
    expect(a.body.toString()).toContain('<title>Tickwire</title>');
    expect((await get(server.url, '/index.html?x=1')).body.toString()).toContain('Tickwire');
  });

  test('hashed assets are cached for a year; text is gzipped when accepted', async () => {
    const plain = await get(server.url, '/assets/index-AbC123.js');
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toBe('accept-encoding');
    expect(plain.body.toString()).toBe(JS);
    const gz = await get(server.url, '/assets/index-AbC123.js', { 'accept-encoding': 'br, gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(Number(gz.headers['content-length'])).toBe(gz.body.length);
    expect(gz.body.length).toBeLessThan(JS.length / 4);
    expect(gunzipSync(gz.body).toString()).toBe(JS);
    const refused = await get(server.url, '/assets/index-AbC123.js', { 'accept-encoding': 'gzip;q=0' });
    expect(refused.headers['content-encoding']).toBeUndefined();
    const css = await get(server.url, '/assets/index-AbC123.css', { 'accept-encoding': 'gzip' });
    expect([css.headers['content-type'], css.headers['content-encoding']]).toEqual([
      'text/css; charset=utf-8',
      undefined,
    ]);
    const bin = await get(server.url, '/assets/data.bin');
    expect(bin.headers['content-type']).toBe('application/octet-stream');
  });

  test('a matching If-None-Match is 304; HEAD has the headers without the body; POST is 405', async () => {
    const first = await get(server.url, '/');
    const again = await get(server.url, '/', { 'if-none-match': String(first.headers.etag) });
    expect([again.status, again.body.length]).toEqual([304, 0]);
    const head = await get(server.url, '/assets/index-AbC123.js', {}, 'HEAD');
    expect([head.status, head.body.length, head.headers['content-length']]).toEqual([
      200,
      0,
      String(JS.length),
    ]);
    const post = await get(server.url, '/', {}, 'POST');
    expect([post.status, post.headers.allow]).toEqual([405, 'GET, HEAD']);
  });

  test.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/..%5csecret.txt',
    '/%2E%2E%2Fsecret.txt',
    '/index.html%00.js',
    '/.build-stamp',
    '/assets/link.txt', // a symbolic link out of the root
    '/assets/',
    '/assets',
    '/%E0%A4%A', // malformed percent-encoding
    '/missing.js',
    '//etc/passwd',
  ])('%s is not served: left to the next handler (the server answers 404)', async (path) => {
    const a = await get(server.url, path);
    expect(a.status).toBe(UNHANDLED_STATUS);
    expect(a.body.toString()).not.toContain('secret');
  });

  test('a rebuilt file is served fresh, without a restart', async () => {
    const before = await get(server.url, '/');
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Rebuilt page</title>');
    const later = new Date(Date.now() + 5000);
    utimesSync(join(root, 'index.html'), later, later);
    const after = await get(server.url, '/');
    expect(after.body.toString()).toContain('Rebuilt page');
    expect(after.headers.etag).not.toBe(before.headers.etag);
  });
});

describe('acceptsGzip', () => {
  test.each([
    [undefined, false],
    ['', false],
    ['gzip', true],
    ['deflate, gzip;q=0.5', true],
    ['GZIP', true],
    ['gzip;q=0', false],
    ['gzip; q=0.0', false],
    ['br', false],
    ['x-gzip', true],
  ])('%j → %s', (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });
});
