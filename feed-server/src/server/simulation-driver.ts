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
  /** pump interval, ms (default 5) */
  readonly intervalMs?: number;
  /** wall clock, ms (default `Date.now`) */
  readonly clockMs?: () => number;
}

/**
 * Runs the seeded simulator through the engine in wall-clock time: the simulator's clock starts at the wall's and
 * commands are submitted once their time has come, every `intervalMs`; then the publisher's clock advances to the
 * wall's, closing bars and publishing conflated channels even when the market is quiet.
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
    this.#clockMs = options.clockMs ?? Date.now;
    this.#intervalMs = options.intervalMs ?? 5;
    this.#publisher = options.publisher;
    const publisher = options.publisher;
    this.simulator = new MarketSimulator({
      seed: options.seed,
      instruments: options.instruments,
      initialPrices: options.initialPrices ?? {},
      ordersPerSecond: options.rate,
      startUs: this.#clockMs() * 1000,
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
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => this.pump(), this.#intervalMs);
  }

  /** Stops pumping. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /**
   * Submits every command due by now (at most 200 ms of work, so a rate the machine cannot sustain makes the
   * market lag instead of starving the sockets), then advances the publisher's clock.
   */
  pump(): void {
    const nowUs = this.#clockMs() * 1000;
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
