/** The seeded market simulator: deterministic order flow for the matching engine. */
export type { SimulatorStats } from './command-factory.ts';
export { REGIMES, type Regime } from './fair-price.ts';
export {
  DEFAULT_INITIAL_PRICES,
  DEFAULT_ORDERS_PER_SECOND,
  DEFAULT_START_US,
  MarketSimulator,
  type SimulatorConfig,
} from './market-simulator.ts';
export {
  type RunSimulationOptions,
  runSimulation,
  type SimulationSummary,
  summarize,
} from './run-simulation.ts';
