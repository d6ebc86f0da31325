import { describe, expect, test } from 'vitest';
import { compareRuns } from '../engine/book-runner.ts';
import { OursRunner } from '../engine/ours-adapter.ts';
import { PeerRunner, peerOrderId } from '../engine/peer-adapter.ts';
import { DEFAULT_WORKLOAD, MIX_PERCENT, type WorkloadConfig, WorkloadGenerator } from '../engine/workload.ts';

const CONFIG: WorkloadConfig = { ...DEFAULT_WORKLOAD, seed: 42, resting: 500 };

function generate(config: WorkloadConfig, count: number) {
  const gen = new WorkloadGenerator(config);
  const prefill = gen.prefill();
  const measured = gen.next(count);
  return { prefill, measured };
}

describe('engine workload generator', () => {
  test('the same seed gives the same commands for both books; another seed does not', () => {
    const a = generate(CONFIG, 5000);
    const b = generate(CONFIG, 5000);
    expect(b.prefill.ours).toEqual(a.prefill.ours);
    expect(b.measured.ours).toEqual(a.measured.ours);
    expect(b.measured.peer).toEqual(a.measured.peer);
    expect(b.measured.stats).toEqual(a.measured.stats);
    const c = generate({ ...CONFIG, seed: 43 }, 5000);
    expect(c.measured.ours).not.toEqual(a.measured.ours);
  });

  test('produces the intended mix around a stable book', () => {
    const { prefill, measured } = generate(CONFIG, 40_000);
    expect(prefill.ours).toHaveLength(CONFIG.resting);
    expect(prefill.stats.passive).toBe(CONFIG.resting);
    const s = measured.stats;
    // Within about four standard deviations of the intended share.
    const expectShare = (n: number, percent: number, tolerance: number) =>
      expect(Math.abs((100 * n) / s.commands - percent)).toBeLessThan(tolerance);
    expect(s.commands).toBe(40_000);
    expect(s.fallbacks).toBe(0);
    expectShare(s.passive, MIX_PERCENT.passive, 1);
    expectShare(s.cancel, MIX_PERCENT.cancel, 1);
    expectShare(s.marketableGtc + s.marketableIoc + s.marketableFok, MIX_PERCENT.marketable, 0.6);
    expectShare(s.market, MIX_PERCENT.market, 0.5);
    for (const n of [s.marketableGtc, s.marketableIoc, s.marketableFok, s.fokNotFillable])
      expect(n).toBeGreaterThan(0);
    expect(s.restingMin).toBeGreaterThan(0.7 * CONFIG.resting);
    expect(s.restingMax).toBeLessThan(1.4 * CONFIG.resting);
    for (const levels of [s.bidLevelsMean, s.askLevelsMean]) {
      expect(levels).toBeGreaterThan(0.75 * CONFIG.levels);
      expect(levels).toBeLessThan(2 * CONFIG.levels);
    }
  });

  test('builds one equivalent nodejs-order-book call per command', () => {
    const { measured } = generate(CONFIG, 5000);
    expect(measured.peer).toHaveLength(measured.ours.length);
    measured.ours.forEach((cmd, i) => {
      const call = measured.peer[i];
      if (cmd.type === 'cancel') expect(call).toEqual({ op: 'cancel', id: peerOrderId(cmd.orderId) });
      else if (cmd.type === 'new' && cmd.orderType === 'market') {
        expect(call).toEqual({ op: 'market', side: cmd.side, size: cmd.qty });
      } else if (cmd.type === 'new') {
        expect(call).toEqual({
          op: 'limit',
          id: peerOrderId(cmd.orderId),
          side: cmd.side,
          size: cmd.qty,
          price: cmd.price,
          timeInForce: cmd.tif,
        });
      } else throw new Error(`unexpected command ${cmd.type}`);
    });
  });

  test('cancels only live orders, and both books end in the same state', () => {
    const { prefill, measured } = generate(CONFIG, 20_000);
    const ours = new OursRunner(prefill.ours.concat(measured.ours));
    const peer = new PeerRunner(prefill.peer.concat(measured.peer));
    const n = prefill.ours.length + measured.ours.length;
    ours.run(0, n);
    peer.run(0, n);
    expect(ours.tally.rejects).toEqual({ FOK_NOT_FILLABLE: measured.stats.fokNotFillable });
    expect(compareRuns(ours, peer)).toEqual([]);
  });
});
