import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/**
 * The simulator's one source of randomness: a seeded xoroshiro128+ from pure-rand with a few integer helpers.
 * Everything is integer arithmetic on the generator's 32-bit outputs, so a seed gives the same draws on any
 * JavaScript engine.
 */
export class RandomSource {
  private readonly gen: RandomGenerator;

  /** `seed`: an integer in [0, 2^32). */
  constructor(seed: number) {
    this.gen = xoroshiro128plus(seed);
    // xoroshiro128plus(seed) starts from a state that is mostly the seed itself, so the first outputs of
    // nearby seeds are correlated; a short warm-up mixes the state.
    for (let i = 0; i < 32; i++) this.gen.next();
  }

  /** Uniform integer in [0, n), n ≥ 1. */
  below(n: number): number {
    return uniformInt(this.gen, 0, n - 1);
  }

  /** Uniform integer in [lo, hi]. */
  between(lo: number, hi: number): number {
    return uniformInt(this.gen, lo, hi);
  }

  /** Uniform integer in [0, 1024): the unit of every probability in the simulator (per-1024). */
  u1024(): number {
    return this.gen.next() >>> 22;
  }

  /** Uniform integer in [0, 65536), for rarer events (per-65536). */
  u65536(): number {
    return this.gen.next() >>> 16;
  }

  /** True with probability `per1024 / 1024`. */
  chance(per1024: number): boolean {
    return this.gen.next() >>> 22 < per1024;
  }

  /**
   * Sum of the four bytes of one 32-bit draw, centred: an Irwin–Hall(4) approximation of a normal variate in
   * [-510, 510] with mean 0 and standard deviation ≈ 147.8 (`IRWIN_HALL_SD`).
   */
  irwinHall(): number {
    const x = this.gen.next();
    return (x & 255) + ((x >>> 8) & 255) + ((x >>> 16) & 255) + (x >>> 24) - 510;
  }
}

/** Standard deviation of `RandomSource.irwinHall()`, rounded: √(4 · (256² − 1) / 12). */
export const IRWIN_HALL_SD = 148;
