/** Invariant helpers: a failed assertion is a bug in Tickwire, never a user error. */

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`assertion failed: ${message}`);
}

export function assertNever(value: never): never {
  throw new Error(`assertion failed: unexpected value ${String(value)}`);
}
