import { Backoff } from 'tickwire/client';
import { describe, expect, test } from 'vitest';
import { PAGE_RECONNECT } from '../../src/feed/index.ts';

describe('PAGE_RECONNECT', () => {
  test('the first retry within 250 ms, then doubling with full jitter, capped at 2 s', () => {
    const top = new Backoff({ ...PAGE_RECONNECT, random: () => 0.999999 });
    expect(Array.from({ length: 6 }, () => top.next())).toEqual([249, 499, 999, 1999, 1999, 1999]);
  });
});
