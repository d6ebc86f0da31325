/** The public surface of replay/: the session log, recorded sessions, replay and importers. */

export * from './import/index.ts';
export * from './log/index.ts';
export * from './player/index.ts';
export * from './session/index.ts';
