/** A benchmark flag that is not acceptable. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code = 'BAD_OPTION';
}

/** Reads an integer flag; accepts `2000000`, `2_000_000` and `2e6`. Throws `UsageError` below `min`. */
export function intFlag(name: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const n = Number(text.replaceAll('_', ''));
  if (text.trim() === '' || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`--${name} must be an integer ≥ ${min}, got "${text}"`);
  }
  return n;
}
