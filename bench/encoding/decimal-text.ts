/**
 * Decimal strings for the long-key JSON encoding: the scaled integers of the engine written with their
 * instrument's decimals and read back exactly. The same text as `formatScaled` in matching/, without going
 * through BigInt for numbers, because a feed formats every price of every message.
 */

/** Writes scaled `value` with exactly `scale` decimals: (6500001, 2) → "65000.01", (-5n, 3) → "-0.005". */
export function formatFixed(value: number | bigint, scale: number): string {
  if (scale === 0) return String(value);
  const negative = value < 0;
  let digits = String(negative ? -value : value);
  if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits;
  const cut = digits.length - scale;
  return `${negative ? '-' : ''}${digits.slice(0, cut)}.${digits.slice(cut)}`;
}

/**
 * Reads a decimal string with at most `scale` decimals as a scaled number: ("65000.01", 2) → 6500001.
 * Exact while the result is a safe integer; throws `RangeError` otherwise or on text that is not a decimal.
 */
export function parseFixed(text: string, scale: number): number {
  const n = Number(scaledDigits(text, scale));
  if (!Number.isSafeInteger(n))
    throw new RangeError(`"${text}" is not a safe scaled integer at scale ${scale}`);
  return n;
}

/** Like `parseFixed`, for values that may exceed 2^53 (volumes, notionals). */
export function parseFixedBig(text: string, scale: number): bigint {
  return BigInt(scaledDigits(text, scale));
}

const DECIMAL_RE = /^-?\d+(\.\d+)?$/;

function scaledDigits(text: string, scale: number): string {
  if (!DECIMAL_RE.test(text)) throw new RangeError(`"${text}" is not a decimal number`);
  const dot = text.indexOf('.');
  if (dot === -1) return scale === 0 ? text : text + '0'.repeat(scale);
  const decimals = text.length - dot - 1;
  if (decimals > scale) throw new RangeError(`"${text}" has more than ${scale} decimals`);
  return text.slice(0, dot) + text.slice(dot + 1) + '0'.repeat(scale - decimals);
}

/** `formatFixed` with null passed through. */
export function formatFixedOrNull(value: number | null, scale: number): string | null {
  return value === null ? null : formatFixed(value, scale);
}

/** `parseFixed` with null passed through. */
export function parseFixedOrNull(text: unknown, scale: number): number | null {
  return text === null ? null : parseFixed(text as string, scale);
}
