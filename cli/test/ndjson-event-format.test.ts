import { describe, expect, test } from 'vitest';
import { DEFAULT_INSTRUMENT_SPECS, defineInstrument, type EngineEvent } from '../../matching/src/index.ts';
import { NdjsonEventFormat } from '../src/ndjson-event-format.ts';

const format = new NdjsonEventFormat(DEFAULT_INSTRUMENT_SPECS.map(defineInstrument));
const base = { seq: 7, tsUs: 1_767_225_600_000_001 } as const;

describe('NdjsonEventFormat', () => {
  // Golden lines: the field order and the decimal strings are the wire contract of `simulate --json`.
  test.each<[EngineEvent, string]>([
    [
      {
        ...base,
        type: 'accepted',
        symbol: 'BTC-USD',
        orderId: 1,
        ownerId: 101,
        side: 'buy',
        orderType: 'limit',
        price: 6_500_001,
        stopPrice: 0,
        qty: 3076,
        tif: 'GTC',
        postOnly: false,
      },
      '{"seq":7,"tsUs":1767225600000001,"type":"accepted","symbol":"BTC-USD","orderId":1,"ownerId":101,"side":"buy","orderType":"limit","price":"65000.01","stopPrice":null,"qty":"0.03076","tif":"GTC","postOnly":false}',
    ],
    [
      {
        ...base,
        type: 'accepted',
        symbol: 'AMZN',
        orderId: 2,
        ownerId: 201,
        side: 'sell',
        orderType: 'stop_market',
        price: 0,
        stopPrice: 22_450,
        qty: 12,
        tif: 'IOC',
        postOnly: false,
      },
      '{"seq":7,"tsUs":1767225600000001,"type":"accepted","symbol":"AMZN","orderId":2,"ownerId":201,"side":"sell","orderType":"stop_market","price":null,"stopPrice":"224.50","qty":"12","tif":"IOC","postOnly":false}',
    ],
    [
      { ...base, type: 'rejected', symbol: 'ETH-USD', command: 'new', orderId: 3, code: 'FOK_NOT_FILLABLE' },
      '{"seq":7,"tsUs":1767225600000001,"type":"rejected","symbol":"ETH-USD","command":"new","orderId":3,"code":"FOK_NOT_FILLABLE"}',
    ],
    [
      { ...base, type: 'rejected', symbol: '', command: 'mass_cancel', orderId: -1, code: 'INVALID_ID' },
      '{"seq":7,"tsUs":1767225600000001,"type":"rejected","symbol":"","command":"mass_cancel","orderId":-1,"code":"INVALID_ID"}',
    ],
    [
      {
        ...base,
        type: 'trade',
        symbol: 'ETH-USD',
        tradeId: 9,
        price: 350_007,
        qty: 5714,
        takerSide: 'sell',
        makerOrderId: 4,
        takerOrderId: 5,
        makerOwnerId: 102,
        takerOwnerId: 203,
      },
      '{"seq":7,"tsUs":1767225600000001,"type":"trade","symbol":"ETH-USD","tradeId":9,"price":"3500.07","qty":"0.5714","takerSide":"sell","makerOrderId":4,"takerOrderId":5,"makerOwnerId":102,"takerOwnerId":203}',
    ],
    [
      {
        ...base,
        type: 'done',
        symbol: 'BTC-USD',
        orderId: 4,
        ownerId: 102,
        side: 'buy',
        reason: 'cancelled',
        remainingQty: 10,
      },
      '{"seq":7,"tsUs":1767225600000001,"type":"done","symbol":"BTC-USD","orderId":4,"ownerId":102,"side":"buy","reason":"cancelled","remainingQty":"0.00010"}',
    ],
    [
      {
        ...base,
        type: 'modified',
        symbol: 'AMZN',
        orderId: 6,
        side: 'sell',
        price: 22_501,
        qty: 40,
        priorityKept: true,
      },
      '{"seq":7,"tsUs":1767225600000001,"type":"modified","symbol":"AMZN","orderId":6,"side":"sell","price":"225.01","qty":"40","priorityKept":true}',
    ],
    [
      { ...base, type: 'triggered', symbol: 'AMZN', orderId: 2, side: 'sell', stopPrice: 22_450 },
      '{"seq":7,"tsUs":1767225600000001,"type":"triggered","symbol":"AMZN","orderId":2,"side":"sell","stopPrice":"224.50"}',
    ],
    [
      { ...base, type: 'level', symbol: 'BTC-USD', side: 'sell', price: 6_500_130, qty: 0, count: 0 },
      '{"seq":7,"tsUs":1767225600000001,"type":"level","symbol":"BTC-USD","side":"sell","price":"65001.30","qty":"0.00000","count":0}',
    ],
  ])('%# %o', (event, line) => {
    const out = format.format(event);
    expect(out).toBe(`${line}\n`);
    // and it is valid JSON
    expect(JSON.parse(out)).toMatchObject({ seq: 7, type: event.type });
  });
});
