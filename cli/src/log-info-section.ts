import type { LogMetadata, RecordObserver } from '../../replay/src/index.ts';

/**
 * A section `tickwire log info` adds from the records themselves: `create` gets the session metadata and
 * returns an observer fed every record, whose `lines()` are printed under `title`. The hook for the recorder's
 * per-channel message counts (decode type-2 payloads, count by channel).
 */
export interface LogInfoSection {
  readonly title: string;
  /** `lines()` empty: the section does not apply to this log and is left out */
  create(metadata: LogMetadata): RecordObserver & { lines(): string[] };
}
