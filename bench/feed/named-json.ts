import { type Channel, parseChannel, type ServerMessage } from '../../feed-server/src/protocol/index.ts';
import { formatFixed } from '../encoding/decimal-text.ts';

/*
 * The same messages in the shape a typical JSON feed sends (Coinbase-like): one self-describing object per
 * message with named fields, the channel name spelled out and prices and sizes as decimal strings, e.g.
 * {"type":"trade","channel":"trades:BTC-USD","seq":12,"ts":1790000000123456,"trade_id":7,"price":"65001.25",
 * "size":"0.01500","side":"buy"}. `ts` stays integer µs (an ISO time string, as Coinbase sends, would be longer:
 * the comparison is in JSON's favour).
 */

/** Decimal scales of an instrument, the only thing the JSON shape needs to write its prices. */
export interface SymbolScales {
  readonly symbol: string;
  readonly priceScale: number;
  readonly qtyScale: number;
}

/** What a client knows about one subscribed channel. */
export interface ChannelMeta {
  readonly name: string;
  readonly channel: Channel;
  readonly priceScale: number;
  readonly qtyScale: number;
}

/** The meta of channel `name` (canonical, as acked); `scales` must hold its symbol. */
export function channelMeta(name: string, scales: ReadonlyMap<string, SymbolScales>): ChannelMeta {
  const channel = parseChannel(name);
  const s =
    channel.kind === 'instruments' || channel.kind === 'replay' ? undefined : scales.get(channel.symbol);
  return { name, channel, priceScale: s?.priceScale ?? 0, qtyScale: s?.qtyScale ?? 0 };
}

type Row = readonly unknown[];

function price(v: unknown, ch: ChannelMeta): string | null {
  return typeof v === 'number' ? formatFixed(v, ch.priceScale) : null;
}

function qty(v: unknown, ch: ChannelMeta): string | null {
  return typeof v === 'number' ? formatFixed(v, ch.qtyScale) : null;
}

function side(v: unknown): string {
  return v === 'b' ? 'buy' : 'sell';
}

function levels(out: unknown[][], bookSide: string, rows: readonly Row[], ch: ChannelMeta): void {
  for (const r of rows) out.push([bookSide, price(r[0], ch), qty(r[1], ch), r[2]]);
}

/**
 * One update (`[4, channelId, seq, tsUs, ...fields]`) as a named-field JSON text. Other messages (snapshots,
 * heartbeats: rare once subscribed) are written as their plain JSON array.
 */
export function namedJson(m: ServerMessage, ch: ChannelMeta | undefined): string {
  if (m[0] !== 4 || ch === undefined) return JSON.stringify(m);
  const u = m as Row;
  const head = { type: '', channel: ch.name, seq: u[2], ts: u[3] };
  switch (ch.channel.kind) {
    case 'trades':
      return JSON.stringify({
        ...head,
        type: 'trade',
        trade_id: u[4],
        price: price(u[5], ch),
        size: qty(u[6], ch),
        side: side(u[7]),
      });
    case 'ticker':
      return JSON.stringify({
        ...head,
        type: 'ticker',
        best_bid: price(u[4], ch),
        best_bid_size: qty(u[5], ch),
        best_ask: price(u[6], ch),
        best_ask_size: qty(u[7], ch),
        price: price(u[8], ch),
        last_size: qty(u[9], ch),
        open_24h: price(u[10], ch),
        high_24h: price(u[11], ch),
        low_24h: price(u[12], ch),
        volume_24h: qty(u[13], ch),
        trades_24h: u[14],
      });
    case 'book': {
      const changes: unknown[][] = [];
      levels(changes, 'buy', u[5] as Row[], ch);
      levels(changes, 'sell', u[6] as Row[], ch);
      return JSON.stringify({ ...head, type: 'l2update', checksum: u[4], changes });
    }
    case 'candles':
      return JSON.stringify({
        ...head,
        type: 'candle',
        start: u[4],
        open: price(u[5], ch),
        high: price(u[6], ch),
        low: price(u[7], ch),
        close: price(u[8], ch),
        volume: qty(u[9], ch),
        trades: u[10],
        vwap: u[11],
        closed: u[12],
      });
    case 'instruments':
    case 'replay':
      return JSON.stringify(m);
  }
}

/** Bytes of the WebSocket frame header (server → client, unmasked) for a payload of `n` bytes (RFC 6455 §5.2). */
export function wsHeaderBytes(n: number): number {
  return n < 126 ? 2 : n <= 0xffff ? 4 : 10;
}
