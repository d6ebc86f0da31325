import type { BookState, InstrumentInfo } from 'tickwire/client';
import { buildLadder, type LadderRow, UNKNOWN_TEXT } from '../model/index.ts';
import { byId, el, setText } from './dom.ts';

interface RowCells {
  readonly row: HTMLTableRowElement;
  readonly price: HTMLTableCellElement;
  readonly qty: HTMLTableCellElement;
  readonly total: HTMLTableCellElement;
  readonly bar: HTMLElement;
  /** the depth drawn, so an unchanged bar is not touched */
  depth: string;
}

function makeRows(body: HTMLTableSectionElement, n: number): RowCells[] {
  const rows: RowCells[] = [];
  for (let i = 0; i < n; i++) {
    const row = el('tr');
    const price = el('td', 'price');
    const qty = el('td', 'num');
    const total = el('td', 'num total');
    // The depth bar: a composited layer scaled with a transform, so its change repaints nothing.
    const bar = el('span', 'depth');
    bar.setAttribute('aria-hidden', 'true');
    price.append(bar);
    row.append(price, qty, total);
    row.hidden = true;
    body.append(row);
    rows.push({ row, price, qty, total, bar, depth: '' });
  }
  return rows;
}

function fill(cells: RowCells, row: LadderRow | undefined): void {
  if (row === undefined) {
    cells.row.hidden = true;
    return;
  }
  cells.row.hidden = false;
  const text = cells.price.firstChild;
  if (text instanceof Text) {
    if (text.data !== row.price) text.data = row.price;
  } else {
    cells.price.prepend(row.price);
  }
  setText(cells.qty, row.qty);
  setText(cells.total, row.total);
  // A float for drawing only: the depth bar's length.
  const depth = row.depth.toFixed(3);
  if (depth !== cells.depth) {
    cells.depth = depth;
    cells.bar.style.transform = `scaleX(${depth})`;
  }
}

/** The order book ladder: asks above (best at the bottom), the spread, bids below, with cumulative depth bars. */
export class BookView {
  private readonly levels: number;
  private readonly asks: RowCells[];
  private readonly bids: RowCells[];
  private readonly spread = byId('spread', HTMLElement);

  constructor(levels: number) {
    this.levels = levels;
    this.asks = makeRows(byId('asks', HTMLTableSectionElement), levels);
    this.bids = makeRows(byId('bids', HTMLTableSectionElement), levels);
  }

  render(book: BookState | null, instrument: InstrumentInfo | undefined): void {
    if (book === null || instrument === undefined) {
      for (const r of [...this.asks, ...this.bids]) r.row.hidden = true;
      setText(this.spread, UNKNOWN_TEXT);
      return;
    }
    const ladder = buildLadder(book, instrument, this.levels);
    // Asks are drawn upside down: the best ask sits right above the spread.
    for (let i = 0; i < this.levels; i++) {
      fill(this.asks[this.levels - 1 - i] as RowCells, ladder.asks[i]);
      fill(this.bids[i] as RowCells, ladder.bids[i]);
    }
    setText(this.spread, ladder.spread ?? UNKNOWN_TEXT);
  }
}
