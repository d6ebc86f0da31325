import type { InstrumentInfo } from 'tickwire/client';
import { clockText, type DisplayZone, priceText, qtyText, type TradeTape } from '../model/index.ts';
import { byId, el, setText } from './dom.ts';

interface TapeRow {
  readonly row: HTMLTableRowElement;
  readonly time: HTMLTableCellElement;
  readonly price: HTMLTableCellElement;
  readonly qty: HTMLTableCellElement;
  /** the side in words, inside the price cell: the colour says it to the eye, this to screen readers */
  readonly side: HTMLElement;
  readonly priceText: Text;
}

/**
 * The trade tape: the latest trades, newest on top, coloured by the taker's side (green: a buyer lifted the
 * ask; red: a seller hit the bid). Rows are created once and rewritten, so a burst allocates no elements.
 */
export class TapeView {
  private readonly rows: TapeRow[] = [];
  private drawnVersion = -1;
  private drawnTz: DisplayZone | null = null;

  constructor(capacity: number) {
    const body = byId('tape', HTMLTableSectionElement);
    for (let i = 0; i < capacity; i++) {
      const row = el('tr');
      const time = el('td', 'time');
      const price = el('td', 'price');
      const qty = el('td', 'num');
      const priceText = document.createTextNode('');
      const side = el('span', 'sr-only');
      price.append(priceText, side);
      row.append(time, price, qty);
      row.hidden = true;
      body.append(row);
      this.rows.push({ row, time, price, qty, side, priceText });
    }
  }

  render(tape: TradeTape, instrument: InstrumentInfo | undefined, tz: DisplayZone): void {
    if (tape.version === this.drawnVersion && tz === this.drawnTz) return;
    this.drawnVersion = tape.version;
    this.drawnTz = tz;
    const trades = instrument === undefined ? [] : tape.latest();
    for (let i = 0; i < this.rows.length; i++) {
      const r = this.rows[i] as TapeRow;
      const t = trades[i];
      if (t === undefined || instrument === undefined) {
        r.row.hidden = true;
        continue;
      }
      r.row.hidden = false;
      r.row.className = t.side;
      setText(r.time, clockText(t.tsUs, tz));
      const price = priceText(t.price, instrument);
      if (r.priceText.data !== price) r.priceText.data = price;
      setText(r.qty, qtyText(t.qty, instrument));
      setText(r.side, ` ${t.side}`);
    }
  }
}
