import { Writable } from 'node:stream';
import { expect, test } from 'vitest';
import { LineWriter } from '../src/line-writer.ts';

test('batches lines into large writes and waits for drain', async () => {
  const writes: string[] = [];
  const slow = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _enc, done) {
      writes.push(chunk.toString());
      setTimeout(done, 1);
    },
  });
  const out = new LineWriter(slow);
  const line = `${'x'.repeat(99)}\n`;
  for (let i = 0; i < 3000; i++) {
    out.push(line);
    if (out.full) await out.flush();
  }
  await out.close();
  await new Promise((resolve) => slow.end(resolve));
  expect(writes.join('')).toBe(line.repeat(3000));
  // 300 000 characters in 64 KiB chunks: 5 writes, not 3000
  expect(writes.length).toBeLessThanOrEqual(5);
});

test('a reader that goes away (EPIPE) closes the writer without an error', async () => {
  const broken = new Writable({
    write(_chunk, _enc, done) {
      done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    },
  });
  const out = new LineWriter(broken);
  out.push('a\n');
  await out.flush();
  await new Promise((resolve) => setImmediate(resolve));
  expect(out.closed).toBe(true);
  expect(out.error).toBeUndefined();
  out.push('b\n');
  await out.close();
});

test('any other failure is kept as the error', async () => {
  const broken = new Writable({
    write(_chunk, _enc, done) {
      done(Object.assign(new Error('disk full'), { code: 'ENOSPC' }));
    },
  });
  const out = new LineWriter(broken);
  out.push('a\n');
  await out.flush();
  await new Promise((resolve) => setImmediate(resolve));
  expect(out.closed).toBe(true);
  expect(out.error?.message).toBe('disk full');
});
