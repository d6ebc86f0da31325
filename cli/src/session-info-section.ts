import { type LogMetadata, type MessageHead, RECORD_TYPES, readMessageHead } from '../../replay/src/index.ts';
import type { LogInfoSection } from './log-info-section.ts';

/** `tickwire log info` of a recorded session: the messages recorded per channel. */
export const SESSION_CHANNELS_SECTION: LogInfoSection = {
  title: 'messages per channel',
  create(metadata: LogMetadata) {
    const names = new Map<number, string>();
    if (metadata.format === 'tickwire.session' && Array.isArray(metadata.channels)) {
      for (const c of metadata.channels as unknown[]) {
        if (Array.isArray(c) && typeof c[0] === 'number' && typeof c[1] === 'string') names.set(c[0], c[1]);
      }
    }
    const counts = new Map<number, number>();
    const head: MessageHead = { channelId: 0, seq: 0 };
    return {
      observe(_seq, _tsUs, type, buffer, start, end) {
        if (type !== RECORD_TYPES.MESSAGE || names.size === 0) return;
        readMessageHead(buffer.subarray(start, end), head);
        counts.set(head.channelId, (counts.get(head.channelId) ?? 0) + 1);
      },
      lines() {
        if (names.size === 0) return [];
        const width = Math.max(...[...names.values()].map((n) => n.length));
        return [...names].map(
          ([id, name]) =>
            `${name.padEnd(width)}  ${(counts.get(id) ?? 0).toLocaleString('en-US').padStart(12)}`,
        );
      },
    };
  },
};
