import { describe, expect, test } from 'vitest';
import { FeedClientError } from '../../src/client/index.ts';
import { RequestTracker } from '../../src/client/request-tracker.ts';
import type { Request } from '../../src/protocol/index.ts';

function line(open: boolean) {
  const sent: Request[] = [];
  return { sent, open, send: (r: Request) => sent.push(r) };
}

describe('RequestTracker', () => {
  test('ids count up from 1', () => {
    const t = new RequestTracker(line(true));
    expect([t.id(), t.id()]).toEqual([1, 2]);
  });

  test('not connected: nothing is sent and a waiter resolves at once; a replay is refused UNANSWERED', async () => {
    const l = line(false);
    const t = new RequestTracker(l);
    let resolved = false;
    t.send(
      { op: 'unsubscribe', id: 1, channels: ['trades:X'] },
      { resolve: () => (resolved = true), reject: () => {} },
    );
    expect(resolved).toBe(true);
    expect(l.sent).toEqual([]);
    await expect(t.replay({ action: 'play' })).rejects.toMatchObject({ code: 'UNANSWERED' });
  });

  test('a lost connection resolves pending unsubscribes and rejects a pending replay', async () => {
    const l = line(true);
    const t = new RequestTracker(l);
    let unsubscribed = false;
    t.send(
      { op: 'unsubscribe', id: t.id(), channels: ['a'] },
      { resolve: () => (unsubscribed = true), reject: () => {} },
    );
    const replay = t.replay({ action: 'seek', tsUs: 5 });
    expect(l.sent.map((r) => r.op)).toEqual(['unsubscribe', 'replay']);
    expect(t.get(2)?.op).toBe('replay');
    t.settle();
    expect(unsubscribed).toBe(true);
    await expect(replay).rejects.toBeInstanceOf(FeedClientError);
    expect(t.get(1)).toBeUndefined();
  });
});
