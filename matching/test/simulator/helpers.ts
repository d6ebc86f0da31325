import { createHash } from 'node:crypto';
import type { Command } from '../../src/commands.ts';
import { MatchingEngine } from '../../src/engine.ts';
import type { EngineEvent } from '../../src/events.ts';
import { DEFAULT_INSTRUMENT_SPECS, defineInstrument, type Instrument } from '../../src/instrument.ts';
import { MarketSimulator, type SimulatorConfig } from '../../src/simulator/market-simulator.ts';

export const INSTRUMENTS: readonly Instrument[] = DEFAULT_INSTRUMENT_SPECS.map(defineInstrument);

/** One run of the simulator against a fresh engine, keeping the commands and hashing the events. */
export interface Recording {
  readonly commands: Command[];
  readonly eventsSha256: string;
  readonly events: number;
  readonly stateHash: string;
  readonly sim: MarketSimulator;
  readonly engine: MatchingEngine;
}

export function record(
  count: number,
  config: Partial<SimulatorConfig> = {},
  each?: (engine: MatchingEngine, i: number, cmd: Command) => void,
): Recording {
  const sim = new MarketSimulator({ seed: 1, instruments: INSTRUMENTS, ...config });
  const hash = createHash('sha256');
  let events = 0;
  const engine = new MatchingEngine(config.instruments ?? INSTRUMENTS, (e) => {
    sim.onEvent(e);
    hash.update(`${JSON.stringify(e)}\n`);
    events++;
  });
  const commands: Command[] = [];
  for (let i = 0; i < count; i++) {
    const cmd = sim.next();
    commands.push(cmd);
    engine.submit(cmd);
    each?.(engine, i, cmd);
  }
  return { commands, eventsSha256: hash.digest('hex'), events, stateHash: engine.stateHash(), sim, engine };
}

/** Replays commands through a fresh engine: the sha256 of its events and its final state hash. */
export function replay(
  instruments: readonly Instrument[],
  commands: readonly Command[],
): { eventsSha256: string; stateHash: string } {
  const hash = createHash('sha256');
  const engine = new MatchingEngine(instruments, (e: EngineEvent) => hash.update(`${JSON.stringify(e)}\n`));
  for (const c of commands) engine.submit(c);
  return { eventsSha256: hash.digest('hex'), stateHash: engine.stateHash() };
}
