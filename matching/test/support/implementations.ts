import type { Command, EngineEvent, Instrument, L2Snapshot, L3Snapshot } from '../../src/index.ts';
import { MatchingEngine } from '../../src/index.ts';
import { ReferenceEngine } from '../reference/reference-engine.ts';

/** What every book implementation offers the tests. */
export interface BookUnderTest {
  submit(cmd: Command): void;
  l2(symbol: string, depth?: number): L2Snapshot | undefined;
  l3(symbol: string): L3Snapshot | undefined;
  stateHash(): string;
}

/** A named way to build one implementation. */
export interface Implementation {
  readonly name: string;
  create(instruments: readonly Instrument[], onEvent: (e: EngineEvent) => void): BookUnderTest;
}

/** Every implementation the shared suites run against (exchange-core style: one suite, every book). */
export const IMPLEMENTATIONS: readonly Implementation[] = [
  { name: 'MatchingEngine', create: (ins, onEvent) => new MatchingEngine(ins, onEvent) },
  { name: 'ReferenceEngine', create: (ins, onEvent) => new ReferenceEngine(ins, onEvent) },
];
