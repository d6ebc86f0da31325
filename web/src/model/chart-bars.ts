import type { Candle } from 'tickwire/client';
import { assert } from './assert.ts';

/**
 * A bar as the chart keeps it: the bar and the epoch of the source it came from. An epoch numbers the feed
 * server's sessions as the page saw them (1 for the first `welcome.session`, 2 after a server restart…): bars
 * of one session are versions of one truth, bars of a later session replace what an earlier one left open.
 */
export interface EpochBar {
  readonly bar: Candle;
  readonly epoch: number;
}

/** One point of the plotted sequence: a bar, or an empty slot where no bar is known (drawn as a hole). */
export type ChartPoint =
  | { readonly kind: 'bar'; readonly startUs: number; readonly bar: Candle; readonly epoch: number }
  | { readonly kind: 'gap'; readonly startUs: number };

/** A point to pass to the series' `update(point, historical)`. */
export interface PointUpdate {
  readonly point: ChartPoint;
  /** true for a point older than the newest plotted one: lightweight-charts' `historicalUpdate` */
  readonly historical: boolean;
}

/**
 * What to do to the chart to show the current bars, given what it was last told:
 * - `none`: nothing changed;
 * - `reset`: `setData(points)` — the first data, a bar inserted before the newest plotted one, or trimming;
 * - `update`: `update()` each point in order: appends (with the empty slots before them) and changed bars.
 */
export type ChartPatch =
  | { readonly kind: 'none' }
  | { readonly kind: 'reset'; readonly points: readonly ChartPoint[] }
  | { readonly kind: 'update'; readonly updates: readonly PointUpdate[] };

/** A range of missing bars between two bars of the same session: the server may still have them (REST). */
export interface Hole {
  /** start of the first missing bar, µs */
  readonly fromUs: number;
  /** start of the bar after the hole, µs (exclusive, as REST's `to`) */
  readonly toUs: number;
  readonly epoch: number;
}

/** Bars kept by default: the REST history (up to 1000) and a while of live bars. */
export const DEFAULT_MAX_BARS = 2000;
/** Empty slots drawn at most for one gap: a long outage shows as a wide hole, not as thousands of points. */
export const MAX_GAP_SLOTS = 120;
/** Bars beyond `maxBars` tolerated by default before trimming, so that trimming (a `setData`) comes in batches. */
export const DEFAULT_TRIM_SLACK = 500;

/** Options of {@link ChartBars}. */
export interface ChartBarsOptions {
  /** bars kept after trimming (default {@link DEFAULT_MAX_BARS}) */
  readonly maxBars?: number;
  /** bars beyond `maxBars` before the oldest are dropped (default {@link DEFAULT_TRIM_SLACK}) */
  readonly trimSlack?: number;
}
const NONE: ChartPatch = { kind: 'none' };

/**
 * Whether `next` replaces `current` for the same bar start. Versions are ordered by (epoch, closed, trades):
 * - within one session a closed bar is final, and an open bar is replaced by its closed copy or by a version
 *   with more trades (a forming bar only grows), so a stale version — REST answering after live updates, an
 *   update overtaken by a snapshot — never replaces a newer one;
 * - a later session's bar replaces an earlier session's (the bar a stopped server left forming).
 *
 * The order is total, so the bar kept for a start time is the greatest version delivered, whatever the order
 * of arrival. Equal keys are the same bar (one session, same trade count); the first one is kept.
 */
export function replaces(next: EpochBar, current: EpochBar): boolean {
  if (next.epoch !== current.epoch) return next.epoch > current.epoch;
  if (next.bar.closed !== current.bar.closed) return next.bar.closed;
  return next.bar.trades > current.bar.trades;
}

/** Whether two versions of a bar draw differently (the `closed` flag alone changes nothing on screen). */
function drawnDiffers(a: Candle, b: Candle): boolean {
  return (
    a.open !== b.open ||
    a.high !== b.high ||
    a.low !== b.low ||
    a.close !== b.close ||
    a.volume !== b.volume ||
    (a.trades === 0) !== (b.trades === 0)
  );
}

/**
 * The bars of one chart (one symbol and interval), merged from every source — the REST history, the live
 * channel's snapshots and updates, hole fills — in any order and across reconnects and server restarts, and
 * the patches that bring a lightweight-charts series up to date without ever breaking its rule that
 * `update()` cannot go back in time ("Cannot update oldest data").
 *
 * The bars are unique per start time and sorted; {@link replaces} decides between versions. Between two
 * known bars, every missing interval is an empty slot (whitespace for the chart): a period without data is
 * drawn as a hole, never as a flat line. (A bar the server closed without trades is data — flat at the
 * previous close, `trades` 0 — and the view draws it muted.)
 *
 * @example
 * ```ts
 * const bars = new ChartBars(60_000_000);
 * bars.put(bar, epoch);
 * const patch = bars.takePatch(); // once per animation frame
 * ```
 */
export class ChartBars {
  readonly intervalUs: number;
  readonly maxBars: number;
  readonly trimSlack: number;
  private readonly entries: EpochBar[] = [];
  /** start times changed since the last patch */
  private readonly dirty = new Set<number>();
  /** the next patch must be a `reset` */
  private structural = false;
  /** the newest point the chart holds (bar or slot), null when it holds nothing */
  private lastPlottedUs: number | null = null;

  constructor(intervalUs: number, options: ChartBarsOptions = {}) {
    const maxBars = options.maxBars ?? DEFAULT_MAX_BARS;
    const trimSlack = options.trimSlack ?? DEFAULT_TRIM_SLACK;
    assert(Number.isSafeInteger(intervalUs) && intervalUs > 0, `interval ${intervalUs} µs`);
    assert(Number.isSafeInteger(maxBars) && maxBars >= 1, `maxBars ${maxBars}`);
    assert(Number.isSafeInteger(trimSlack) && trimSlack >= 0, `trimSlack ${trimSlack}`);
    this.intervalUs = intervalUs;
    this.maxBars = maxBars;
    this.trimSlack = trimSlack;
  }

  /** Number of bars known. */
  get size(): number {
    return this.entries.length;
  }

  /** The newest bar, if any. */
  get latest(): EpochBar | undefined {
    return this.entries[this.entries.length - 1];
  }

  /** The bar starting at `startUs`, if known. */
  at(startUs: number): EpochBar | undefined {
    const i = this.lowerBound(startUs);
    const e = this.entries[i];
    return e !== undefined && e.bar.startUs === startUs ? e : undefined;
  }

  /** The bars, oldest first. */
  bars(): readonly EpochBar[] {
    return this.entries;
  }

  /** Merges one bar from a source of `epoch`; returns whether the chart must change. */
  put(bar: Candle, epoch: number): boolean {
    const startUs = bar.startUs;
    const next: EpochBar = { bar, epoch };
    const i = this.lowerBound(startUs);
    const current = this.entries[i];
    if (current !== undefined && current.bar.startUs === startUs) {
      if (!replaces(next, current)) return false;
      this.entries[i] = next;
      if (!drawnDiffers(current.bar, bar)) return false;
      this.dirty.add(startUs);
      return true;
    }
    const oldest = this.entries[0];
    // Older than everything while full: it would be trimmed right away.
    if (oldest !== undefined && startUs < oldest.bar.startUs && this.entries.length >= this.maxBars)
      return false;
    this.entries.splice(i, 0, next);
    if (this.lastPlottedUs !== null && startUs < this.lastPlottedUs) this.structural = true;
    else this.dirty.add(startUs);
    if (this.entries.length > this.maxBars + this.trimSlack) {
      this.entries.splice(0, this.entries.length - this.maxBars);
      this.structural = true;
    }
    return true;
  }

  /** Merges several bars from one source (a REST page, a snapshot); returns whether the chart must change. */
  putAll(bars: readonly Candle[], epoch: number): boolean {
    let changed = false;
    for (const bar of bars) if (this.put(bar, epoch)) changed = true;
    return changed;
  }

  /** The whole plotted sequence: bars and the empty slots between them, oldest first. */
  points(): ChartPoint[] {
    const out: ChartPoint[] = [];
    let prevUs: number | null = null;
    for (const e of this.entries) {
      const startUs = e.bar.startUs;
      if (prevUs !== null) this.pushSlots(out, prevUs, startUs);
      out.push({ kind: 'bar', startUs, bar: e.bar, epoch: e.epoch });
      prevUs = startUs;
    }
    return out;
  }

  /**
   * Ranges of missing bars between two bars of the same session, newest first: a reconnect whose snapshot did
   * not reach back far enough. The server has a bar for every interval of its session (flat ones included), so
   * the REST API may fill them. A hole between sessions is an outage: nothing to fetch.
   */
  holes(): Hole[] {
    const out: Hole[] = [];
    for (let i = this.entries.length - 1; i > 0; i--) {
      const a = this.entries[i - 1] as EpochBar;
      const b = this.entries[i] as EpochBar;
      if (a.epoch === b.epoch && b.bar.startUs - a.bar.startUs > this.intervalUs) {
        out.push({ fromUs: a.bar.startUs + this.intervalUs, toUs: b.bar.startUs, epoch: a.epoch });
      }
    }
    return out;
  }

  /**
   * What to do to the chart since the last patch (see {@link ChartPatch}); the chart is then assumed to show
   * exactly {@link points}. Updates come oldest first; a point newer than the newest plotted one is appended
   * with the empty slots before it; an older one is a bar the chart holds (a `historical` update).
   */
  takePatch(): ChartPatch {
    if (this.structural || (this.lastPlottedUs === null && this.entries.length > 0)) {
      this.structural = false;
      this.dirty.clear();
      this.lastPlottedUs = this.latest?.bar.startUs ?? null;
      return { kind: 'reset', points: this.points() };
    }
    if (this.dirty.size === 0) return NONE;
    const times = [...this.dirty].sort((a, b) => a - b);
    this.dirty.clear();
    const updates: PointUpdate[] = [];
    let last = this.lastPlottedUs as number;
    for (const startUs of times) {
      const e = this.at(startUs);
      if (e === undefined) continue;
      const point: ChartPoint = { kind: 'bar', startUs, bar: e.bar, epoch: e.epoch };
      if (startUs > last) {
        const slots: ChartPoint[] = [];
        this.pushSlots(slots, last, startUs);
        for (const slot of slots) updates.push({ point: slot, historical: false });
        updates.push({ point, historical: false });
        last = startUs;
      } else {
        updates.push({ point, historical: startUs < last });
      }
    }
    this.lastPlottedUs = last;
    return updates.length === 0 ? NONE : { kind: 'update', updates };
  }

  /** Forgets what the chart holds: the next patch is a `reset` (a new chart, or the series was cleared). */
  invalidate(): void {
    this.structural = true;
  }

  /** Empty slots strictly between two bar starts, at most {@link MAX_GAP_SLOTS}. */
  private pushSlots(out: ChartPoint[], fromUs: number, toUs: number): void {
    const missing = Math.ceil((toUs - fromUs) / this.intervalUs) - 1;
    const n = Math.min(missing, MAX_GAP_SLOTS);
    for (let k = 1; k <= n; k++) out.push({ kind: 'gap', startUs: fromUs + k * this.intervalUs });
  }

  /** Index of the first bar starting at or after `startUs`. */
  private lowerBound(startUs: number): number {
    const es = this.entries;
    const last = es[es.length - 1];
    if (last === undefined || last.bar.startUs < startUs) return es.length;
    if (last.bar.startUs === startUs) return es.length - 1;
    let lo = 0;
    let hi = es.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((es[mid] as EpochBar).bar.startUs < startUs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
