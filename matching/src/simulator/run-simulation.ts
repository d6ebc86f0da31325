import type { Command } from '../commands.ts';
import { MatchingEngine } from '../engine.ts';
import type { EngineEvent } from '../events.ts';
import type { SimulatorStats } from './command-factory.ts';
import { MarketSimulator, type SimulatorConfig } from './market-simulator.ts';

/** Options of `runSimulation`: the simulator's, plus how many commands and who listens. */
export interface RunSimulationOptions extends SimulatorConfig {
  /** commands to send */
  readonly count: number;
  /** every engine event, in order (after the simulator has seen it) */
  readonly onEvent?: (event: EngineEvent) => void;
  /** every command, just before it is submitted */
  readonly onCommand?: (command: Command) => void;
}

/** What a run did. */
export interface SimulationSummary {
  readonly commands: number;
  readonly trades: number;
  readonly events: number;
  readonly rejects: number;
  /** the engine's state hash after the last command */
  readonly stateHash: string;
  /** the engine's last event sequence number */
  readonly seq: number;
  /** commands by kind */
  readonly stats: Readonly<SimulatorStats>;
}

/**
 * Wires a `MarketSimulator` to a fresh `MatchingEngine` and runs `count` commands in virtual time, as fast as
 * possible. Deterministic: the same options give the same events and the same state hash.
 */
export function runSimulation(options: RunSimulationOptions): SimulationSummary {
  const sim = new MarketSimulator(options);
  const listener = options.onEvent;
  const engine = new MatchingEngine(
    options.instruments,
    listener === undefined
      ? (e) => sim.onEvent(e)
      : (e) => {
          sim.onEvent(e);
          listener(e);
        },
  );
  const onCommand = options.onCommand;
  for (let i = 0; i < options.count; i++) {
    const cmd = sim.next();
    onCommand?.(cmd);
    engine.submit(cmd);
  }
  return summarize(sim, engine);
}

/** The summary of a simulator and the engine it drives. */
export function summarize(sim: MarketSimulator, engine: MatchingEngine): SimulationSummary {
  return {
    commands: sim.stats.commands,
    trades: sim.tradeCount,
    events: sim.eventCount,
    rejects: sim.rejects.total,
    stateHash: engine.stateHash(),
    seq: engine.seq,
    stats: { ...sim.stats },
  };
}
