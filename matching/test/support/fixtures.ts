import type { Instrument } from '../../src/index.ts';

/**
 * Test instruments in raw scaled units. AAA has a tick, lot and minimum above 1 so that BAD_TICK, BAD_LOT and
 * BELOW_MIN_SIZE can be hit; BBB is the unit instrument.
 */
export const AAA: Instrument = {
  symbol: 'AAA',
  priceScale: 2,
  qtyScale: 0,
  tickSize: 5,
  lotSize: 10,
  minQty: 20,
  maxPrice: 10_000,
  maxQty: 10_000,
};

export const BBB: Instrument = {
  symbol: 'BBB',
  priceScale: 0,
  qtyScale: 0,
  tickSize: 1,
  lotSize: 1,
  minQty: 1,
  maxPrice: 1_000,
  maxQty: 1_000,
};

export const TEST_INSTRUMENTS: readonly Instrument[] = [AAA, BBB];
