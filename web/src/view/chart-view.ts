import {
  type CandlestickData,
  CandlestickSeries,
  createChart,
  type HistogramData,
  HistogramSeries,
  type IChartApi,
  type ISeriesApi,
  type MouseEventParams,
  TickMarkType,
  type Time,
  type UTCTimestamp,
  type WhitespaceData,
} from 'lightweight-charts';
import type { CandleInterval, InstrumentInfo } from 'tickwire/client';
import {
  assertNever,
  axisPriceText,
  barTimeText,
  barZone,
  type ChartBars,
  type ChartPoint,
  clearOfBadge,
  type DisplayZone,
  priceText,
  qtyText,
  type TickKind,
  tickText,
  toPlotNumber,
  volumeAxisText,
} from '../model/index.ts';
import { cssVar, setText } from './dom.ts';

type CandlePoint = CandlestickData<Time> | WhitespaceData<Time>;
type VolumePoint = HistogramData<Time> | WhitespaceData<Time>;

/** lightweight-charts' default axis font size, px (`layout.fontSize`, not changed here). */
const AXIS_FONT_PX = 12;

interface Palette {
  readonly bg: string;
  readonly fg: string;
  readonly grid: string;
  readonly up: string;
  readonly down: string;
  readonly muted: string;
  readonly upVolume: string;
  readonly downVolume: string;
}

function palette(): Palette {
  return {
    bg: cssVar('--panel'),
    fg: cssVar('--fg-dim'),
    grid: cssVar('--grid'),
    up: cssVar('--up'),
    down: cssVar('--down'),
    muted: cssVar('--muted'),
    upVolume: cssVar('--up-volume'),
    downVolume: cssVar('--down-volume'),
  };
}

function toTime(startUs: number): UTCTimestamp {
  return Math.floor(startUs / 1_000_000) as UTCTimestamp;
}

function tickKind(type: TickMarkType, interval: CandleInterval): TickKind {
  switch (type) {
    case TickMarkType.Year:
      return 'year';
    case TickMarkType.Month:
      return 'month';
    case TickMarkType.DayOfMonth:
      return 'day';
    case TickMarkType.Time:
      return 'time';
    case TickMarkType.TimeWithSeconds:
      return interval === '1s' ? 'seconds' : 'time';
    default:
      return assertNever(type);
  }
}

/**
 * The candlestick chart with its volume pane: the adapter between `ChartBars` (the model) and
 * lightweight-charts. Each frame it applies the model's patch — `setData` for a reset, `update()` per point
 * otherwise (with `historicalUpdate` for a bar older than the newest) — so the series always equals the
 * model's points. Prices and sizes are plotted as floats (`toPlotNumber`, for drawing only); the axis and
 * crosshair labels turn them back into the scaled integer (`axisPriceText`, `volumeAxisText`) and format that
 * exactly, and the legend formats the model's integers directly. The price axis leaves out the tick labels the
 * last-price badge would cover (`clearOfBadge`).
 */
export class ChartView {
  private readonly chart: IChartApi;
  private readonly candles: ISeriesApi<'Candlestick'>;
  private readonly volume: ISeriesApi<'Histogram'>;
  private readonly container: HTMLElement;
  private readonly legend: HTMLElement;
  private colors: Palette;
  private bars: ChartBars | null = null;
  private instrument: InstrumentInfo | undefined;
  private symbol = '';
  private interval: CandleInterval = '1m';
  private tz: DisplayZone = undefined;
  private hoverUs: number | null = null;
  private plottedBars = 0;
  /** the close the last-price badge stands at (scaled), as of the last price-format application */
  private badgeClose: number | null = null;

  constructor(container: HTMLElement, legend: HTMLElement) {
    this.container = container;
    this.legend = legend;
    this.colors = palette();
    this.chart = createChart(container, {
      autoSize: true,
      layout: {
        background: { color: this.colors.bg },
        textColor: this.colors.fg,
        fontFamily: 'inherit',
        panes: { separatorColor: this.colors.grid },
      },
      grid: { vertLines: { color: this.colors.grid }, horzLines: { color: this.colors.grid } },
      timeScale: { timeVisible: true, secondsVisible: false, rightOffset: 4 },
      rightPriceScale: { borderVisible: false },
      crosshair: { mode: 0 },
    });
    this.candles = this.chart.addSeries(CandlestickSeries, {
      upColor: this.colors.up,
      downColor: this.colors.down,
      wickUpColor: this.colors.up,
      wickDownColor: this.colors.down,
      borderVisible: false,
      priceLineVisible: true,
    });
    this.volume = this.chart.addSeries(
      HistogramSeries,
      { priceLineVisible: false, lastValueVisible: false },
      1,
    );
    this.chart.panes()[0]?.setStretchFactor(0.78);
    this.chart.panes()[1]?.setStretchFactor(0.22);
    this.chart.subscribeCrosshairMove(this.onCrosshair);
    this.applyFormats();
  }

  /** Shows `bars` (a new object for a new symbol or interval: the series start over). */
  render(
    bars: ChartBars | null,
    symbol: string,
    interval: CandleInterval,
    instrument: InstrumentInfo | undefined,
  ): void {
    const formatsChanged = instrument !== this.instrument || interval !== this.interval;
    this.symbol = symbol;
    this.interval = interval;
    this.instrument = instrument;
    if (formatsChanged) this.applyFormats();
    if (bars !== this.bars) {
      this.bars = bars;
      this.hoverUs = null;
      bars?.invalidate();
      this.candles.setData([]);
      this.volume.setData([]);
      this.plottedBars = 0;
    }
    if (bars !== null && instrument !== undefined) this.applyPatch(bars, instrument);
    this.container.dataset.bars = String(this.plottedBars);
    this.container.dataset.lastBarUs = String(bars?.latest?.bar.startUs ?? '');
    this.renderLegend();
  }

  /** Shows times in `tz` (an IANA zone; undefined: the browser's): axis, crosshair and legend. */
  setTimeZone(tz: DisplayZone): void {
    this.tz = tz;
    this.applyFormats();
    this.renderLegend();
  }

  /** Re-reads the theme's colours from the stylesheet; the bars are redrawn with them. */
  setTheme(): void {
    const c = palette();
    this.colors = c;
    this.chart.applyOptions({
      layout: { background: { color: c.bg }, textColor: c.fg, panes: { separatorColor: c.grid } },
      grid: { vertLines: { color: c.grid }, horzLines: { color: c.grid } },
    });
    this.candles.applyOptions({ upColor: c.up, downColor: c.down, wickUpColor: c.up, wickDownColor: c.down });
    this.bars?.invalidate();
    if (this.bars !== null && this.instrument !== undefined) this.applyPatch(this.bars, this.instrument);
  }

  private applyFormats(): void {
    this.applyPriceFormat();
    const i = this.instrument;
    const qtyScale = i?.qtyScale ?? 0;
    const interval = this.interval;
    const tz = this.tz;
    const axisZone = barZone(interval, tz);
    this.volume.applyOptions({
      priceFormat: {
        type: 'custom',
        // A lot is the smallest volume step: whole shares give whole-number ticks.
        minMove: toPlotNumber(i?.lotSize ?? 1, qtyScale),
        formatter: (v: number) => volumeAxisText(v, qtyScale),
      },
    });
    this.chart.applyOptions({
      timeScale: {
        secondsVisible: interval === '1s',
        tickMarkFormatter: (time: Time, type: TickMarkType) =>
          tickText(time as number, tickKind(type, interval), axisZone),
      },
      localization: {
        timeFormatter: (time: Time) => barTimeText((time as number) * 1_000_000, interval, tz),
      },
    });
  }

  /**
   * The candles' price format. Applying it again is also how the axis relabels its ticks when only the badge
   * moved: lightweight-charts keeps its tick labels until the price range or the format changes.
   */
  private applyPriceFormat(): void {
    const units = { priceScale: this.instrument?.priceScale ?? 2, tickSize: this.instrument?.tickSize ?? 1 };
    this.badgeClose = this.bars?.latest?.bar.close ?? null;
    const badge = this.badgeClose;
    this.candles.applyOptions({
      priceFormat: {
        type: 'custom',
        minMove: toPlotNumber(units.tickSize, units.priceScale),
        formatter: (p: number) => axisPriceText(p, units),
        tickmarksFormatter: (prices: readonly number[]) =>
          clearOfBadge(
            prices.map((p) => axisPriceText(p, units)),
            prices.map((p) => this.candles.priceToCoordinate(p)),
            badge === null ? null : this.candles.priceToCoordinate(toPlotNumber(badge, units.priceScale)),
            AXIS_FONT_PX,
          ),
      },
    });
  }

  private candlePoint(p: ChartPoint, scale: number): CandlePoint {
    const time = toTime(p.startUs);
    if (p.kind === 'gap') return { time };
    const b = p.bar;
    const bar: CandlestickData<Time> = {
      time,
      open: toPlotNumber(b.open, scale),
      high: toPlotNumber(b.high, scale),
      low: toPlotNumber(b.low, scale),
      close: toPlotNumber(b.close, scale),
    };
    // A bar the server closed without trades: flat at the previous close, drawn muted so it reads as "no trades".
    if (b.trades === 0)
      return {
        ...bar,
        color: this.colors.muted,
        wickColor: this.colors.muted,
        borderColor: this.colors.muted,
      };
    return bar;
  }

  private volumePoint(p: ChartPoint, scale: number): VolumePoint {
    const time = toTime(p.startUs);
    if (p.kind === 'gap') return { time };
    const b = p.bar;
    return {
      time,
      value: toPlotNumber(b.volume, scale),
      color: b.close >= b.open ? this.colors.upVolume : this.colors.downVolume,
    };
  }

  private applyPatch(bars: ChartBars, instrument: InstrumentInfo): void {
    const patch = bars.takePatch();
    const ps = instrument.priceScale;
    const qs = instrument.qtyScale;
    switch (patch.kind) {
      case 'none':
        return;
      case 'reset': {
        this.candles.setData(patch.points.map((p) => this.candlePoint(p, ps)));
        this.volume.setData(patch.points.map((p) => this.volumePoint(p, qs)));
        this.plottedBars = bars.size;
        this.applyPriceFormat();
        return;
      }
      case 'update':
        for (const u of patch.updates) {
          this.candles.update(this.candlePoint(u.point, ps), u.historical);
          this.volume.update(this.volumePoint(u.point, qs), u.historical);
        }
        this.plottedBars = bars.size;
        if ((bars.latest?.bar.close ?? null) !== this.badgeClose) this.applyPriceFormat();
        return;
      default:
        assertNever(patch);
    }
  }

  private readonly onCrosshair = (param: MouseEventParams<Time>): void => {
    this.hoverUs = typeof param.time === 'number' ? param.time * 1_000_000 : null;
    this.renderLegend();
  };

  /** The legend: the hovered bar, or the newest, as exact decimals from the model's integers. */
  private renderLegend(): void {
    const i = this.instrument;
    const bars = this.bars;
    const head = `${this.symbol} · ${this.interval}`;
    if (i === undefined || bars === null) {
      setText(this.legend, head);
      return;
    }
    const hovered = this.hoverUs === null ? undefined : bars.at(this.hoverUs);
    const e = hovered ?? (this.hoverUs === null ? bars.latest : undefined);
    if (e === undefined) {
      const when =
        this.hoverUs === null ? '' : ` · ${barTimeText(this.hoverUs, this.interval, this.tz)} · no data`;
      setText(this.legend, `${head}${when}`);
      return;
    }
    const b = e.bar;
    const text =
      `${head} · ${barTimeText(b.startUs, this.interval, this.tz)}  ` +
      `O ${priceText(b.open, i)}  H ${priceText(b.high, i)}  L ${priceText(b.low, i)}  ` +
      `C ${priceText(b.close, i)}  V ${qtyText(b.volume, i)}` +
      (b.trades === 0
        ? '  (no trades)'
        : b.closed
          ? ''
          : e.epoch < (bars.latest?.epoch ?? e.epoch)
            ? '  (interrupted: the server restarted)'
            : '  (forming)');
    setText(this.legend, text);
    this.legend.dataset.trend = b.close > b.open ? 'up' : b.close < b.open ? 'down' : 'flat';
  }
}
