import type { InstrumentInfo } from '../protocol/index.ts';

/**
 * The instruments of the last `instruments` snapshot, by symbol: the scales every data channel's events are
 * formatted with, and what `FeedClient.instruments()` waits for.
 */
export class InstrumentDirectory {
  private list: readonly InstrumentInfo[] | null = null;
  private readonly bySymbol = new Map<string, InstrumentInfo>();
  private readonly waiters: {
    resolve: (list: readonly InstrumentInfo[]) => void;
    reject: (e: Error) => void;
  }[] = [];

  /** The last snapshot's list, or null before one arrived. */
  get all(): readonly InstrumentInfo[] | null {
    return this.list;
  }

  /** One instrument of the last snapshot, or undefined. */
  get(symbol: string): InstrumentInfo | undefined {
    return this.bySymbol.get(symbol);
  }

  /** A new snapshot's list: it replaces the last one and settles the waiters. */
  update(instruments: readonly InstrumentInfo[]): void {
    this.list = instruments;
    this.bySymbol.clear();
    for (const i of instruments) this.bySymbol.set(i.symbol, i);
    for (const w of this.waiters.splice(0)) w.resolve(instruments);
  }

  /** Resolves with the next snapshot's list. */
  next(): Promise<readonly InstrumentInfo[]> {
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
    });
  }

  /** The client closed: the waiters reject with `error`. */
  fail(error: Error): void {
    for (const w of this.waiters.splice(0)) w.reject(error);
  }
}
