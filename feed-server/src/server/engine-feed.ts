import {
  type Command,
  type EngineEvent,
  type Instrument,
  MatchingEngine,
} from '../../../matching/src/index.ts';
import type { FeedPublisher } from './feed-publisher.ts';

/**
 * A matching engine wired to a {@link FeedPublisher}: every engine event goes to `publisher.onEvent` (after
 * `onEvent`, when given), and {@link EngineFeed.submit} runs one command and then publishes what it changed
 * (`endCommand`). The one place an engine command becomes channel messages, for the live simulation driver and
 * for re-simulation alike, so both publish a command the same way.
 */
export class EngineFeed {
  readonly engine: MatchingEngine;
  readonly #publisher: FeedPublisher;

  /** @param onEvent - also told each engine event, before the publisher (the simulator's agents, counters) */
  constructor(
    instruments: readonly Instrument[],
    publisher: FeedPublisher,
    onEvent?: (e: EngineEvent) => void,
  ) {
    this.#publisher = publisher;
    this.engine = new MatchingEngine(
      instruments,
      onEvent === undefined
        ? (e) => publisher.onEvent(e)
        : (e) => {
            onEvent(e);
            publisher.onEvent(e);
          },
    );
  }

  /** Submits `cmd` to the engine and publishes the command's changes. */
  submit(cmd: Command): void {
    this.engine.submit(cmd);
    this.#publisher.endCommand();
  }
}
