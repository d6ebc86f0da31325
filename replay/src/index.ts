/** The public surface of replay/: for now the session log (replay/src/log/). */
export * from './log/index.ts';
