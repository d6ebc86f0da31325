/** Invariant helpers (as lightweight-charts' `helpers/assertions.ts`): a failed one is a bug in the page. */

/** Throws when `condition` is falsy: an invariant of the page's own code does not hold. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`assertion failed: ${message}`);
}

/** `value`, or a thrown assertion when it is undefined or null. */
export function ensureDefined<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`assertion failed: ${what} is missing`);
  return value;
}

/** For exhaustive switches: reaching it is a bug. */
export function assertNever(value: never): never {
  throw new Error(`assertion failed: unexpected value ${String(value)}`);
}
