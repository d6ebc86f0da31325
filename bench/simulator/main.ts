/**
 * Simulator throughput, apart from the engine: a run is recorded (commands and each command's events), then
 * the simulator alone is timed replaying it — `next()` plus `onEvent()` for the recorded events, which are
 * exactly the events it would see, so it makes the same decisions. The engine alone and the two together are
 * timed on the same stream for comparison. Run: node --import tsx bench/simulator/main.ts [commands]
 */
import {
  type Command,
  DEFAULT_INSTRUMENT_SPECS,
  defineInstrument,
  type EngineEvent,
  MarketSimulator,
  MatchingEngine,
} from '../../matching/src/index.ts';

const COUNT = Number(process.argv[2] ?? 500_000);
const ROUNDS = 5;
const instruments = DEFAULT_INSTRUMENT_SPECS.map(defineInstrument);

const commands: Command[] = [];
const eventsOf: EngineEvent[][] = [];
{
  const sim = new MarketSimulator({ seed: 1, instruments });
  let current: EngineEvent[] = [];
  const engine = new MatchingEngine(instruments, (e) => {
    sim.onEvent(e);
    current.push(e);
  });
  for (let i = 0; i < COUNT; i++) {
    const cmd = sim.next();
    commands.push(cmd);
    current = [];
    eventsOf.push(current);
    engine.submit(cmd);
  }
}

function simulatorOnly(): number {
  const sim = new MarketSimulator({ seed: 1, instruments });
  const t0 = performance.now();
  for (let i = 0; i < COUNT; i++) {
    sim.next();
    for (const e of eventsOf[i] as EngineEvent[]) sim.onEvent(e);
  }
  return performance.now() - t0;
}

function engineOnly(): number {
  const engine = new MatchingEngine(instruments, () => {});
  const t0 = performance.now();
  for (const c of commands) engine.submit(c);
  return performance.now() - t0;
}

function both(): number {
  const sim = new MarketSimulator({ seed: 1, instruments });
  const engine = new MatchingEngine(instruments, (e) => sim.onEvent(e));
  const t0 = performance.now();
  for (let i = 0; i < COUNT; i++) engine.submit(sim.next());
  return performance.now() - t0;
}

const events = eventsOf.reduce((n, l) => n + l.length, 0);
console.log(`${COUNT} commands, ${events} events; best of ${ROUNDS} after a warm-up round`);
for (const [name, fn] of [
  ['simulator only', simulatorOnly],
  ['engine only', engineOnly],
  ['simulator + engine', both],
] as const) {
  fn();
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < ROUNDS; r++) best = Math.min(best, fn());
  console.log(`${name.padEnd(20)} ${Math.round(COUNT / (best / 1000)).toLocaleString('en-US')} commands/s`);
}
