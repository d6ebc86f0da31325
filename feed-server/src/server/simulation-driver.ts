import {
  type Command,
  type Instrument,
  MarketSimulator,
  type MatchingEngine,
} from '../../../matching/src/index.ts';
import { EngineFeed } from './engine-feed.ts';
import type { FeedPublisher } from './feed-publisher.ts';

/** Options of {@link SimulationDriver}. */
export interface SimulationDriverOptions {
  readonly seed: number;
  readonly instruments: readonly Instrument[];
  readonly initialPrices?: Readonly<Record<string, number>>;
  /** commands per second of wall-clock time */
  readonly rate: number;
  readonly publisher: FeedPublisher;
  /**
   * the longest the driver sleeps when no command is due, ms (default 5): so bars close and conflated channels
   * publish on time in a quiet market
   */
  readonly intervalMs?: number;
  /** wall clock, ms (default: `Date.now` with sub-millisecond steps, {@link wallClockMs}) */
  readonly clockMs?: () => number;
}

/**
 * Runs the seeded simulator through the engine in wall-clock time: the simulator's clock starts at the wall's and
 * commands are submitted once their time has come — the driver wakes when the next one is due, or after
 * `intervalMs` if that is sooner — then the publisher's clock advances to the wall's, closing bars and publishing
 * conflated channels even when the market is quiet. Waking for the command rather than on a fixed tick is what
 * lets an update leave as soon as its command is done (issue 13: an idle client's median latency was 9.9 ms,
 * half of it this tick). The commands carry their own times, so what is produced does not depend on when the
 * driver wakes.
 */
export class SimulationDriver {
  readonly engine: MatchingEngine;
  readonly simulator: MarketSimulator;
  readonly #feed: EngineFeed;
  readonly #publisher: FeedPublisher;
  readonly #clockMs: () => number;
  readonly #intervalMs: number;
  #next: Command;
  #timer: NodeJS.Timeout | undefined;
  #immediate: NodeJS.Immediate | undefined;
  #running = false;
  readonly #wake = (): void => {
    this.#timer = undefined;
    this.#immediate = undefined;
    this.pump();
    if (this.#running) this.#schedule();
  };
  #commands = 0;
  /** how far the last pump ended behind the wall clock, µs */
  #lagUs = 0;
  #events = 0;
  /** told after every pump how many commands it submitted and how many engine events they made */
  onPump: ((commands: number, events: number) => void) | undefined;
  /**
   * Told every command just before the engine gets it, and every clock tick that moves the publisher's time
   * just before it does: the input of the session, for the recorder. After each command's `endCommand` and
   * each tick, `onStep` (a point where the producer's state is whole, for a keyframe).
   */
  onCommand: ((cmd: Command) => void) | undefined;
  onTick: ((tsUs: number) => void) | undefined;
  onStep: (() => void) | undefined;

  constructor(options: SimulationDriverOptions) {
    this.#clockMs = options.clockMs ?? wallClockMs();
    this.#intervalMs = options.intervalMs ?? 5;
    this.#publisher = options.publisher;
    const publisher = options.publisher;
    this.simulator = new MarketSimulator({
      seed: options.seed,
      instruments: options.instruments,
      initialPrices: options.initialPrices ?? {},
      ordersPerSecond: options.rate,
      startUs: Math.floor(this.#clockMs() * 1000),
    });
    const simulator = this.simulator;
    this.#feed = new EngineFeed(options.instruments, publisher, (e) => {
      simulator.onEvent(e);
      this.#events++;
    });
    this.engine = this.#feed.engine;
    this.#next = this.simulator.next();
  }

  /** Commands submitted so far. */
  get commands(): number {
    return this.#commands;
  }

  /** How far behind the wall clock the last pump ended (µs; 0 when keeping up). */
  get lagUs(): number {
    return this.#lagUs;
  }

  /** Starts pumping. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#schedule();
  }

  /** Stops pumping. */
  stop(): void {
    this.#running = false;
    clearTimeout(this.#timer);
    clearImmediate(this.#immediate);
    this.#timer = undefined;
    this.#immediate = undefined;
  }

  /** Sleeps until the next command is due (at most `intervalMs`); a pump cut short by its budget goes on next turn. */
  #schedule(): void {
    const waitMs = this.#next.tsUs / 1000 - this.#clockMs();
    if (waitMs <= 0) {
      // Overdue: go on after this turn's socket work rather than after a timer's minimum of 1 ms.
      this.#immediate = setImmediate(this.#wake);
      return;
    }
    this.#timer = setTimeout(this.#wake, Math.min(this.#intervalMs, Math.ceil(waitMs)));
  }

  /**
   * Submits every command due by now (at most 200 ms of work, so a rate the machine cannot sustain makes the
   * market lag instead of starving the sockets), then advances the publisher's clock.
   */
  pump(): void {
    const nowUs = Math.floor(this.#clockMs() * 1000);
    const deadline = performance.now() + 200;
    let cmd = this.#next;
    let n = 0;
    while (cmd.tsUs <= nowUs) {
      this.onCommand?.(cmd);
      this.#feed.submit(cmd);
      this.onStep?.();
      cmd = this.simulator.next();
      if (++n % 256 === 0 && performance.now() > deadline) break;
    }
    this.#next = cmd;
    this.#commands += n;
    this.#lagUs = Math.max(0, nowUs - cmd.tsUs);
    const tickUs = Math.min(nowUs, cmd.tsUs - 1);
    if (tickUs > this.#publisher.nowUs()) {
      this.onTick?.(tickUs);
      this.#publisher.tick(tickUs);
      this.onStep?.();
    } else this.#publisher.tick(tickUs);
    if (this.onPump !== undefined && n > 0) this.onPump(n, this.#events);
    this.#events = 0;
  }
}

/**
 * The wall clock in ms with sub-millisecond steps: `Date.now()` only ticks in whole ms, which would hold a command
 * due at x.3 ms until x+1. Monotonic time (`performance.now()`) anchored to the wall clock, re-anchored whenever
 * it leaves `[Date.now(), Date.now() + 1)` — so it never strays from the wall clock by a millisecond, and after the
 * first re-anchoring at a millisecond edge it is exact.
 */
export function wallClockMs(): () => number {
  let offsetMs = Date.now() - performance.now();
  return () => {
    const t = performance.now();
    const wallMs = Date.now();
    const nowMs = offsetMs + t;
    if (nowMs >= wallMs && nowMs < wallMs + 1) return nowMs;
    offsetMs = wallMs - t;
    return wallMs;
  };
}
