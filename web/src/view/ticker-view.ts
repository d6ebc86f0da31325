import type { InstrumentInfo, TickerEvent } from 'tickwire/client';
import { tickDirection, tickerText, UNKNOWN_TEXT } from '../model/index.ts';
import { byId, setText } from './dom.ts';

const REDUCED_MOTION = matchMedia('(prefers-reduced-motion: reduce)');

/**
 * The ticker header: last price (flashing green or red when it moves), 24 h change and percent, high, low and
 * volume, all formatted exactly from the feed's integers.
 */
export class TickerView {
  private readonly symbol = byId('t-symbol', HTMLElement);
  private readonly last = byId('t-last', HTMLElement);
  private readonly lastText = byId('t-last-text', HTMLElement);
  private readonly flashLayer = byId('t-last-flash', HTMLElement);
  private readonly change = byId('t-change', HTMLElement);
  private readonly high = byId('t-high', HTMLElement);
  private readonly low = byId('t-low', HTMLElement);
  private readonly volume = byId('t-volume', HTMLElement);
  private drawnLast: number | null = null;
  private drawnSymbol = '';
  private flash: Animation | null = null;

  render(symbol: string, ticker: TickerEvent | null, instrument: InstrumentInfo | undefined): void {
    setText(this.symbol, symbol);
    if (symbol !== this.drawnSymbol) {
      this.drawnSymbol = symbol;
      this.drawnLast = null;
      this.last.classList.remove('up', 'down');
    }
    if (ticker === null || instrument === undefined) {
      for (const e of [this.lastText, this.change, this.high, this.low, this.volume])
        setText(e, UNKNOWN_TEXT);
      this.change.dataset.trend = 'flat';
      return;
    }
    const t = tickerText(ticker, instrument);
    setText(this.lastText, t.last);
    const moved = tickDirection(this.drawnLast, ticker.last);
    this.drawnLast = ticker.last;
    if (moved !== null) {
      this.last.classList.toggle('up', moved === 'up');
      this.last.classList.toggle('down', moved === 'down');
    }
    if (moved !== null && !REDUCED_MOTION.matches) {
      // An opacity animation of a layer of its own: the compositor runs it, nothing is repainted per frame.
      // The Web Animations API restarts it without forcing a style recalculation.
      this.flashLayer.dataset.dir = moved;
      this.flash?.cancel();
      this.flash = this.flashLayer.animate([{ opacity: 1 }, { opacity: 0 }], {
        duration: 600,
        easing: 'ease-out',
      });
    }
    setText(this.change, `${t.change} (${t.percent})`);
    this.change.dataset.trend = t.trend;
    setText(this.high, t.high);
    setText(this.low, t.low);
    setText(this.volume, t.volume);
  }
}
