/**
 * Fixed quantile tables that turn one uniform integer into a draw from a skewed distribution. They are
 * literals (computed once offline, see each table) rather than computed at load with `Math.exp`/`Math.log`,
 * whose last bits may differ between JavaScript engines: with integer tables the simulator's output
 * depends on nothing but the seed.
 */

/**
 * Exponential inter-arrival quantiles, scaled by 1024 (mean ≈ 1018): entry `i` is
 * `round(-ln(1 - (i + 0.5) / 64) * 1024)`. A Poisson arrival stream is exponential gaps.
 */
export const EXP_GAP_Q1024: readonly number[] = [
  8, 24, 41, 58, 75, 92, 110, 128, 146, 165, 184, 203, 223, 243, 263, 284, 305, 327, 349, 372, 395, 419, 444,
  469, 494, 520, 547, 575, 603, 633, 663, 694, 726, 759, 793, 828, 865, 903, 942, 983, 1026, 1070, 1117, 1166,
  1217, 1271, 1328, 1388, 1452, 1520, 1594, 1672, 1758, 1851, 1953, 2067, 2195, 2342, 2513, 2719, 2976, 3320,
  3844, 4968,
];

/**
 * Order-size multipliers in percent of an instrument's median size, for the lower 63/64 of the distribution:
 * a lognormal body (σ = 0.85), entry `i` is `round(100 · exp(0.85 · Φ⁻¹((i + 0.5) / 64)))`.
 */
export const SIZE_BODY_PCT: readonly number[] = [
  13, 18, 22, 26, 29, 31, 34, 36, 39, 41, 44, 46, 48, 51, 53, 55, 58, 60, 62, 65, 67, 70, 72, 75, 78, 80, 83,
  86, 89, 92, 95, 98, 102, 105, 109, 112, 116, 120, 124, 129, 133, 138, 143, 149, 154, 160, 167, 174, 181,
  189, 198, 207, 218, 230, 243, 258, 275, 295, 319, 350, 390, 447, 542,
];

/**
 * The top 1/64 of order sizes, in percent of the median: a Pareto tail (α = 1.4) joined to the lognormal body
 * at its 63/64 quantile (624 %), entry `j` at tail quantile `(j + 0.5) / 16`. Mean order size over both
 * tables ≈ 155 % of the median; the largest is 74× the median — the rare block that sweeps several levels.
 */
export const SIZE_TAIL_PCT: readonly number[] = [
  638, 669, 704, 744, 790, 843, 905, 980, 1072, 1187, 1338, 1544, 1847, 2349, 3384, 7417,
];

/** Largest entry of the size tables, for overflow bounds. */
export const SIZE_MAX_PCT = 7417;
