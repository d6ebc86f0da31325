import type { RecordableHistogram } from 'node:perf_hooks';
import {
  type Command,
  defineInstrument,
  type EngineEvent,
  MatchingEngine,
} from '../../matching/src/index.ts';
import { type BookDepth, type BookRunner, countReject, newTally, type RunTally } from './book-runner.ts';

/** The instrument the workload trades: ticks of 0.01 and lots of 0.00001, so ticks and lots are the units. */
export const BENCH_INSTRUMENT = defineInstrument({ symbol: 'BTC-USD', tickSize: '0.01', lotSize: '0.00001' });

/** A fresh `MatchingEngine` with one instrument, driven by pre-generated commands. */
export class OursRunner implements BookRunner {
  readonly name = 'tickwire';
  readonly tally: RunTally = newTally();
  /** events received */
  events = 0;
  private readonly engine: MatchingEngine;

  constructor(private commands: readonly Command[]) {
    const tally = this.tally;
    // A consumer that reads every event, as the feed will; it is the same function for every run.
    this.engine = new MatchingEngine([BENCH_INSTRUMENT], (e: EngineEvent) => {
      this.events++;
      if (e.type === 'trade') tally.tradedQty += e.qty;
      else if (e.type === 'rejected') countReject(tally, e.code);
    });
  }

  /** Binds the next commands (the memory run feeds the same engine chunk by chunk). */
  load(commands: readonly Command[]): void {
    this.commands = commands;
  }

  /** Open orders in the engine. */
  get openOrders(): number {
    return this.engine.openOrders();
  }

  run(from: number, to: number): void {
    const commands = this.commands;
    const engine = this.engine;
    for (let i = from; i < to; i++) engine.submit(commands[i] as Command);
  }

  runRecorded(from: number, to: number, histogram: RecordableHistogram): void {
    const commands = this.commands;
    const engine = this.engine;
    for (let i = from; i < to; i++) {
      const c = commands[i] as Command;
      const t0 = process.hrtime.bigint();
      engine.submit(c);
      const ns = process.hrtime.bigint() - t0;
      histogram.record(ns > 0n ? ns : 1n);
    }
  }

  depth(): BookDepth {
    const l2 = this.engine.l2(BENCH_INSTRUMENT.symbol);
    if (l2 === undefined) throw new Error(`engine has no ${BENCH_INSTRUMENT.symbol}`);
    return {
      bids: l2.bids.map(([price, qty]) => [price, qty] as const),
      asks: l2.asks.map(([price, qty]) => [price, qty] as const),
    };
  }
}
