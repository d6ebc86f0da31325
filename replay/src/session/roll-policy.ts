import type { SessionRecorder } from './session-recorder.ts';

/**
 * When a live recording closes its session and goes on in a new one (`tickwire serve --roll`, replay/README.md,
 * "Rolling"): at the first step (between two inputs) where either bound is reached. Null: no bound of that kind.
 */
export interface RollPolicy {
  /** feed time since the session's start, µs */
  readonly maxAgeUs: number | null;
  /** bytes of the records appended to the session (record headers and payloads) */
  readonly maxBytes: number | null;
}

/**
 * A roll is due: the session is recording (a degraded or failed one stays stopped; a restart starts a new one),
 * holds more than its first keyframe (so a bound smaller than a keyframe cannot roll at every step), and has
 * reached a bound.
 */
export function rollDue(recorder: SessionRecorder, policy: RollPolicy): boolean {
  if (!recorder.recording || recorder.records < 2) return false;
  return (
    (policy.maxBytes !== null && recorder.bytes >= policy.maxBytes) ||
    (policy.maxAgeUs !== null && recorder.tsUs - recorder.metadata.startUs >= policy.maxAgeUs)
  );
}
