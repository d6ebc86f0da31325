import { fileURLToPath } from 'node:url';

/**
 * Real market data committed in the repository (`replay/samples/`), which every test may read: a fresh clone has
 * it. Tests reach it only through these paths, so that `.ci/run` can find every test that reads data files.
 */
const SAMPLES_DIR = fileURLToPath(new URL('../replay/samples/', import.meta.url));

/** The whole AMZN day of 21 June 2012 on NASDAQ, LOBSTER level 1, gzipped (its README gives source and terms). */
export const AMZN_DAY = {
  dir: `${SAMPLES_DIR}lobster-amzn-2012-06-21/`,
  messageFile: `${SAMPLES_DIR}lobster-amzn-2012-06-21/AMZN_2012-06-21_34200000_57600000_message_1.csv.gz`,
  orderbookFile: `${SAMPLES_DIR}lobster-amzn-2012-06-21/AMZN_2012-06-21_34200000_57600000_orderbook_1.csv.gz`,
  symbol: 'AMZN',
  date: '2012-06-21',
  /** message rows (and orderbook rows), header not counted */
  rows: 57_515,
} as const;
