import { IRWIN_HALL_SD, type RandomSource } from './random-source.ts';

/** Fixed-point fraction of a tick in which the latent fair price moves (1/256 tick). */
export const FAIR_FP = 256;

/** Volatility regimes: a Markov chain scales the random walk's step. */
export const REGIMES = ['calm', 'normal', 'volatile'] as const;
export type Regime = (typeof REGIMES)[number];

/** Standard deviation of one step, in thousandths of a quoting unit, per regime. */
const STEP_SD_MILLI_UNITS = [120, 250, 700] as const;
/** Probability per step (per 65536) of leaving the regime: mean stays ≈ 8200, 10900 and 2700 steps. */
const LEAVE_PER_65536 = [8, 6, 24] as const;
/** Probability per step (per 65536) of a jump (news), per regime. */
const JUMP_PER_65536 = [1, 2, 8] as const;
/** A jump moves the fair price by this many quoting units, either way. */
const JUMP_MIN_UNITS = 6;
const JUMP_MAX_UNITS = 24;
/** Each trade moves the fair price this fraction (1/n) of a unit towards the taker: order flow has impact. */
const IMPACT_DIVISOR = 16;

/**
 * The latent fair price of one instrument: the value agents quote around, in fixed-point ticks
 * (`FAIR_FP` per tick). It follows a random walk whose step is an Irwin–Hall variate scaled by the current
 * volatility regime, with rare jumps and a small push from every trade; it is reflected into
 * [`loTicks`, `hiTicks`] so derived prices stay positive and within the instrument's range.
 */
export class FairPrice {
  /** fair price in 1/`FAIR_FP` ticks */
  fairFp: number;
  regimeIndex = 1;
  private readonly stepScale: readonly number[];
  private readonly impactFp: number;
  private readonly loFp: number;
  private readonly hiFp: number;

  constructor(
    initialTicks: number,
    /** the quoting unit in ticks; volatility is expressed in units */
    readonly unitTicks: number,
    loTicks: number,
    hiTicks: number,
  ) {
    this.loFp = loTicks * FAIR_FP;
    this.hiFp = hiTicks * FAIR_FP;
    this.fairFp = initialTicks * FAIR_FP;
    // step = irwinHall · stepScale / 1000, so its SD is STEP_SD_MILLI_UNITS · unit · FAIR_FP / 1000.
    this.stepScale = STEP_SD_MILLI_UNITS.map((sd) => Math.floor((sd * unitTicks * FAIR_FP) / IRWIN_HALL_SD));
    this.impactFp = Math.max(1, Math.floor((unitTicks * FAIR_FP) / IMPACT_DIVISOR));
  }

  /** The fair price in whole ticks (rounded down). */
  get ticks(): number {
    return Math.floor(this.fairFp / FAIR_FP);
  }

  get regime(): Regime {
    return REGIMES[this.regimeIndex] as Regime;
  }

  /** Advances one step. Returns true when the step was a jump. */
  step(rng: RandomSource): boolean {
    const r = this.regimeIndex;
    if (rng.u65536() < (LEAVE_PER_65536[r] as number)) {
      this.regimeIndex = r !== 1 ? 1 : rng.chance(717) ? 0 : 2;
    }
    let delta = Math.trunc((rng.irwinHall() * (this.stepScale[r] as number)) / 1000);
    const jumped = rng.u65536() < (JUMP_PER_65536[r] as number);
    if (jumped) {
      const units = rng.between(JUMP_MIN_UNITS, JUMP_MAX_UNITS);
      delta += (rng.chance(512) ? units : -units) * this.unitTicks * FAIR_FP;
    }
    this.move(delta);
    return jumped;
  }

  /** A trade printed with this taker side: nudge the fair price its way. */
  impact(takerBuys: boolean): void {
    this.move(takerBuys ? this.impactFp : -this.impactFp);
  }

  private move(deltaFp: number): void {
    let x = this.fairFp + deltaFp;
    if (x < this.loFp) x = Math.min(this.hiFp, 2 * this.loFp - x);
    else if (x > this.hiFp) x = Math.max(this.loFp, 2 * this.hiFp - x);
    this.fairFp = x;
  }
}
