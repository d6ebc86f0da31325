import type { Command } from '../commands.ts';
import type { CommandFactory } from './command-factory.ts';
import type { OpenOrder, OrderTracker } from './order-tracker.ts';
import type { RandomSource } from './random-source.ts';
import type { SimInstrument } from './sim-instrument.ts';

/** What agents share: the random source, their open orders and the command factory. */
export interface AgentContext {
  readonly rng: RandomSource;
  readonly orders: OrderTracker;
  readonly commands: CommandFactory;
}

/** A trading agent: one owner id, deciding one command at a time. */
export interface Agent {
  /** index among the simulator's agents (the order tracker's key) */
  readonly index: number;
  readonly ownerId: number;
  /** The agent's next command on `inst`, or undefined when it has nothing to do right now. */
  act(inst: SimInstrument): Command | undefined;
}

/** A uniformly chosen element of a non-empty list. */
export function pickOne<T>(rng: RandomSource, list: readonly T[]): T {
  return list[list.length === 1 ? 0 : rng.below(list.length)] as T;
}

/** The order in `a` or `b` whose price is farthest from the fair price; undefined when both are empty. */
export function farthestFromFair(
  inst: SimInstrument,
  a: readonly OpenOrder[],
  b: readonly OpenOrder[],
): OpenOrder | undefined {
  const fair = inst.fair.ticks;
  let best: OpenOrder | undefined;
  let bestDist = -1;
  for (const list of [a, b]) {
    for (const o of list) {
      const d = Math.abs(o.priceTicks - fair);
      if (d > bestDist) {
        bestDist = d;
        best = o;
      }
    }
  }
  return best;
}
