import { describe, expect, test } from 'vitest';
import {
  CONNECTION_LIMIT_CLOSE,
  ConnectionLimiter,
  DEFAULT_CONNECTIONS_PER_IP,
  normalizeIp,
} from '../../src/server/connection-limiter.ts';

describe('normalizeIp', () => {
  test.each([
    ['1.2.3.4', '1.2.3.4'],
    ['::ffff:1.2.3.4', '1.2.3.4'],
    ['::FFFF:1.2.3.4', '1.2.3.4'],
    ['::ffff:7f00:1', '127.0.0.1'],
    ['0:0:0:0:0:ffff:102:304', '1.2.3.4'],
    ['::ffff:255.255.255.255', '255.255.255.255'],
    ['::ffff:0:1.2.3.4', '::ffff:0:102:304'], // IPv4-translated (RFC 6052), not mapped: stays IPv6
    ['::1', '::1'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['2001:DB8::0:1', '2001:db8::1'],
    ['2001:db8:0:0:0:0:0:1', '2001:db8::1'],
    ['fe80::1%eth0', 'fe80::1%eth0'],
    ['fe80:0::1%eth0', 'fe80::1%eth0'],
    ['', ''],
    ['not an address', 'not an address'],
  ])('%j → %j', (address, key) => {
    expect(normalizeIp(address)).toBe(key);
  });
});

describe('ConnectionLimiter', () => {
  test('defaults: PROTOCOL.md §8 100 per address, close 1013', () => {
    expect(new ConnectionLimiter().maxPerIp).toBe(DEFAULT_CONNECTIONS_PER_IP);
    expect(DEFAULT_CONNECTIONS_PER_IP).toBe(100);
    expect(CONNECTION_LIMIT_CLOSE).toBe(1013);
  });

  test('admits up to the cap per address, then refuses until one is released', () => {
    const limiter = new ConnectionLimiter(3);
    const releases = [1, 2, 3].map(() => limiter.acquire('10.0.0.1'));
    expect(releases.every((r) => r !== undefined)).toBe(true);
    expect(limiter.acquire('10.0.0.1')).toBeUndefined();
    expect(limiter.count('10.0.0.1')).toBe(3);
    expect(limiter.acquire('10.0.0.2')).toBeDefined();
    releases[0]?.();
    expect(limiter.count('10.0.0.1')).toBe(2);
    expect(limiter.acquire('10.0.0.1')).toBeDefined();
    expect(limiter.acquire('10.0.0.1')).toBeUndefined();
  });

  test('an IPv4 client counts once whether it arrives as IPv4 or IPv4-mapped IPv6', () => {
    const limiter = new ConnectionLimiter(2);
    expect(limiter.acquire('192.0.2.7')).toBeDefined();
    expect(limiter.acquire('::ffff:192.0.2.7')).toBeDefined();
    expect(limiter.acquire('::FFFF:c000:207')).toBeUndefined();
    expect(limiter.count('192.0.2.7')).toBe(2);
  });

  test('releasing twice gives back one slot only', () => {
    const limiter = new ConnectionLimiter(2);
    const a = limiter.acquire('::1');
    const b = limiter.acquire('::1');
    a?.();
    a?.();
    expect(limiter.count('::1')).toBe(1);
    expect(limiter.acquire('::1')).toBeDefined();
    expect(limiter.acquire('::1')).toBeUndefined();
    b?.();
    expect(limiter.count('::1')).toBe(1);
  });

  test('forgets an address when its last connection is released', () => {
    const limiter = new ConnectionLimiter();
    const releases = Array.from({ length: 50 }, (_, i) => limiter.acquire(`10.0.${i}.1`));
    expect(limiter.addressCount).toBe(50);
    for (const r of releases) r?.();
    expect(limiter.addressCount).toBe(0);
  });

  test.each([0, -1, 1.5, Number.NaN])('maxPerIp %d is refused', (max) => {
    expect(() => new ConnectionLimiter(max)).toThrow(/maxPerIp must be an integer >= 1/);
  });
});
