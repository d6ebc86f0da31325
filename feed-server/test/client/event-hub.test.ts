import { describe, expect, test } from 'vitest';
import { EventHub } from '../../src/client/event-hub.ts';
import type { FeedEvent } from '../../src/client/index.ts';

const connecting: FeedEvent = { type: 'status', status: 'connecting', attempt: 1 };

describe('EventHub', () => {
  test('listeners of the type, then streams; a listener that throws becomes an error event', async () => {
    const hub = new EventHub(10);
    const stream = hub.stream(false);
    const seen: string[] = [];
    const off = hub.on('status', () => {
      seen.push('status');
      throw new Error('boom');
    });
    hub.on('error', (e) => seen.push(`error: ${e.error.message}`));
    hub.emit(connecting);
    off();
    hub.emit(connecting);
    expect(seen).toEqual(['status', 'error: boom']);
    hub.close(null);
    const types: string[] = [];
    for await (const e of stream) types.push(e.type);
    expect(types).toEqual(['error', 'status', 'status']);
  });

  test('a stream asked for after the close has ended; close(error) fails the open ones', async () => {
    const hub = new EventHub(10);
    const open = hub.stream(false);
    hub.close(new Error('gone'));
    await expect(open.next()).rejects.toThrow('gone');
    expect(await hub.stream(true).next()).toEqual({ done: true, value: undefined });
  });
});
