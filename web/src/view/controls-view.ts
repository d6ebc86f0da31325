import type { CandleInterval, InstrumentInfo } from 'tickwire/client';
import { CANDLE_INTERVALS } from 'tickwire/protocol';
import {
  parseTimeZone,
  type Selection,
  stepInterval,
  type Theme,
  type TimeZoneMode,
} from '../model/index.ts';
import { byId, el } from './dom.ts';

/** The time-zone select's title unless it shows exchange time. */
const TZ_TITLE = 'Time zone of the chart, the tape and the clock';

/** What the controls ask the app to do. */
export interface ControlsHandlers {
  select(selection: Selection): void;
  setTimeZone(tz: TimeZoneMode): void;
  setTheme(theme: Theme): void;
}

/**
 * The instrument selector, the interval buttons (a radio group: arrow keys move within it), the time zone
 * selector and the theme switch — native controls, so they work with the keyboard and screen readers as
 * they are. Shortcuts: `[` and `]` step the interval when no field has the focus.
 */
export class ControlsView {
  private readonly symbol = byId('symbol', HTMLSelectElement);
  private readonly intervals = byId('intervals', HTMLFieldSetElement);
  private readonly tz = byId('tz', HTMLSelectElement);
  private readonly theme = byId('theme', HTMLButtonElement);
  private readonly radios = new Map<CandleInterval, HTMLInputElement>();
  private drawnSymbols = '';
  private selection: Selection | null = null;
  private themeValue: Theme = 'dark';

  constructor(handlers: ControlsHandlers) {
    for (const interval of CANDLE_INTERVALS) {
      const label = el('label', 'seg');
      const input = el('input');
      input.type = 'radio';
      input.name = 'interval';
      input.value = interval;
      input.id = `interval-${interval}`;
      label.append(input, el('span', '', interval));
      this.intervals.append(label);
      this.radios.set(interval, input);
      input.addEventListener('change', () => {
        if (input.checked && this.selection !== null) handlers.select({ ...this.selection, interval });
      });
    }
    this.symbol.addEventListener('change', () => {
      if (this.selection !== null) handlers.select({ ...this.selection, symbol: this.symbol.value });
    });
    this.tz.addEventListener('change', () => handlers.setTimeZone(parseTimeZone(this.tz.value) ?? 'local'));
    this.theme.addEventListener('click', () =>
      handlers.setTheme(this.themeValue === 'dark' ? 'light' : 'dark'),
    );
    document.addEventListener('keydown', (e) => {
      const target = e.target;
      if (e.altKey || e.ctrlKey || e.metaKey || this.selection === null) return;
      if (target instanceof HTMLInputElement || target instanceof HTMLSelectElement) return;
      if (e.key !== '[' && e.key !== ']') return;
      handlers.select({
        ...this.selection,
        interval: stepInterval(this.selection.interval, e.key === ']' ? 1 : -1),
      });
    });
  }

  render(instruments: readonly InstrumentInfo[], selection: Selection | null): void {
    this.selection = selection;
    const symbols = instruments.map((i) => i.symbol).join(',');
    if (symbols !== this.drawnSymbols) {
      this.drawnSymbols = symbols;
      this.symbol.replaceChildren(
        ...instruments.map((i) => {
          const o = el('option', '', i.symbol);
          o.value = i.symbol;
          return o;
        }),
      );
    }
    if (selection === null) return;
    if (this.symbol.value !== selection.symbol) this.symbol.value = selection.symbol;
    const radio = this.radios.get(selection.interval);
    if (radio !== undefined && !radio.checked) radio.checked = true;
  }

  /**
   * The time zone and theme choices. `exchangeLabel` names the exchange's zone (`Exchange (New York)`): the
   * option reads `Exchange` (the header has no room for a city), its title and the select's say which.
   */
  renderPrefs(tz: TimeZoneMode, theme: Theme, exchangeLabel: string): void {
    this.tz.value = tz;
    const exchange = this.tz.querySelector<HTMLOptionElement>('option[value="exchange"]');
    if (exchange !== null) exchange.title = exchangeLabel;
    this.tz.title = tz === 'exchange' ? `Time zone: ${exchangeLabel}` : TZ_TITLE;
    this.themeValue = theme;
    this.theme.setAttribute('aria-pressed', String(theme === 'light'));
  }
}
