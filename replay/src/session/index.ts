/** The public surface of replay/src/session: recorded sessions — their records, recorder and reader. */

export {
  DataDirListing,
  DELETING_SUFFIX,
  listRecordedSessions,
  listSessions,
  type RecordedSessionDir,
  type SessionOnDisk,
  sessionUsage,
} from './data-dir-listing.ts';
export {
  type LiveRecording,
  newSessionDir,
  type RecordLiveOptions,
  recordLiveSession,
  type SessionRoll,
  sessionMetadata,
} from './record-live.ts';
export { RECORD_TYPE_NAMES, RECORD_TYPES, type RecordType } from './record-types.ts';
export {
  RECORDING_SIDECAR,
  type RecordingSidecar,
  readRecordingSidecar,
  writeRecordingSidecar,
} from './recording-sidecar.ts';
export { REPLAY_ERROR_CODES, ReplayError, type ReplayErrorCode } from './replay-error.ts';
export { ReplayState } from './replay-state.ts';
export { type Divergence, type ResimulationResult, resimulate, resimulateChain } from './resimulate.ts';
export {
  applyRetention,
  RECORDED_SOURCE,
  type RetentionPass,
  type RetentionPolicy,
} from './retention.ts';
export {
  DEFAULT_RETENTION_INTERVAL_MS,
  formatBytes,
  RetentionRunner,
  type RetentionRunnerOptions,
} from './retention-runner.ts';
export { type RollPolicy, rollDue } from './roll-policy.ts';
export {
  decodeCommand,
  decodeKeyframe,
  decodeMessage,
  decodeSource,
  encodeCommand,
  encodeKeyframe,
  encodeSource,
  type Keyframe,
  type MessageHead,
  readMessageHead,
  type SourceRow,
} from './session-codec.ts';
export {
  type ContinueOptions,
  continueFromDataDir,
  type SessionContinuation,
} from './session-continuation.ts';
export { readSessionEnd, type SessionEnd } from './session-end.ts';
export {
  parseSessionMetadata,
  SESSION_FORMAT,
  SESSION_FORMAT_VERSION,
  type SessionContinues,
  type SessionMetadata,
  type SessionSource,
  sessionTimeZone,
} from './session-metadata.ts';
export { type KeyframeEntry, type SessionCounts, SessionReader } from './session-reader.ts';
export {
  DEFAULT_KEYFRAME_POLICY,
  DEFAULT_MAX_BUFFERED_BYTES,
  SessionRecorder,
  type SessionRecorderOptions,
} from './session-recorder.ts';
export { tickwireVersion } from './version.ts';
