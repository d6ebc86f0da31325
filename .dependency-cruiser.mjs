/**
 * The house rules of the folder graph (README, "Architecture"), checked by `npm run deps`, which `npm test` runs.
 * dependency-cruiser reads every import (type-only ones too) of the product's folders and fails on:
 * - an import from a lower floor to a higher one, or between two folders on one floor (so the folder graph
 *   has no cycle); tests are exempt from the floors, see `no-upward-import`;
 * - an import of another folder's internals: only its public entries (PUBLIC_ENTRIES) may be imported;
 * - an import of the composition root (cli/) from outside it;
 * - a Node built-in imported by matching/;
 * - a cycle between two sub-folders, and a circle of files.
 * TypeScript 7 (tsc) has no JavaScript API for dependency-cruiser to parse with, so it parses with swc.
 */

/** Each top-level folder's floor: a folder imports only folders on lower floors. */
const FLOORS = {
  'test-support': 0,
  matching: 1,
  'feed-server': 2,
  replay: 3,
  web: 3,
  bench: 4,
  cli: 4,
};

/** The files another top-level folder may import; everything else in a folder is its own business. */
const PUBLIC_ENTRIES = [
  '^matching/src/index[.]ts$',
  '^feed-server/src/protocol/index[.]ts$',
  '^feed-server/src/client/index[.]ts$',
  '^feed-server/src/client/node[.]ts$',
  '^feed-server/src/server/index[.]ts$',
  '^feed-server/src/http/index[.]ts$',
  '^replay/src/index[.]ts$',
  // the composition root builds the page into the package (cli/scripts/build-package.ts)
  '^web/scripts/build-web[.]ts$',
];

/**
 * Deep imports still made, each with its reason. cli/test/feed-formats.test.ts builds the SDK's event objects
 * (CandleBar, TickerEventObject, TradeEventObject) to feed the CLI's formatters; they are not public.
 */
const KNOWN_DEEP_IMPORTS = ['^cli/test/feed-formats[.]test[.]ts$'];

/** Test code: a folder's test/ tree and test-support/. */
const TEST = '(^[^/]+/test/|^test-support/)';

const folders = Object.keys(FLOORS);
const notAbove = (name) => folders.filter((f) => f !== name && FLOORS[f] >= FLOORS[name]);

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    ...folders
      .filter((name) => notAbove(name).length > 0)
      .map((name) => ({
        name: 'no-upward-import',
        comment:
          `${name}/ (floor ${FLOORS[name]}) imports only folders on lower floors. Tests are exempt: a test may ` +
          'drive its folder through the assembled product (an SDK test against a replay server), and nothing ' +
          'in src/ depends on a test.',
        severity: 'error',
        from: { path: `^${name}/`, pathNot: TEST },
        to: { path: `^(${notAbove(name).join('|')})/` },
      })),
    {
      name: 'no-deep-import',
      comment:
        "Another top-level folder is imported through its public entries only (PUBLIC_ENTRIES); a test may also use another folder's test helpers.",
      severity: 'error',
      from: { path: '^([^/]+)/', pathNot: KNOWN_DEEP_IMPORTS },
      to: {
        path: `^(${folders.join('|')})/`,
        pathNot: ['^$1/', ...PUBLIC_ENTRIES, TEST],
      },
    },
    {
      name: 'no-test-code-in-product',
      comment: 'Product code (src/, bin/, scripts/, bench/) does not import test code.',
      severity: 'error',
      from: { pathNot: TEST },
      to: { path: TEST },
    },
    {
      name: 'nothing-imports-the-composition-root',
      comment: 'cli/ wires every part; no part imports it (a test may use its test helpers).',
      severity: 'error',
      from: { pathNot: '^cli/' },
      to: { path: '^cli/(src|bin|scripts)/' },
    },
    {
      name: 'matching-is-pure',
      comment:
        'matching/ imports no Node built-in, so it runs in a browser or a worker (its SHA-256 is @noble/hashes).',
      severity: 'error',
      from: { path: '^matching/src/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'feed-server-layers',
      comment:
        'Inside feed-server/src: protocol imports none of its siblings; client imports only protocol; server ' +
        'imports only protocol; http (the HTTP server, REST, metrics) sits on server.',
      severity: 'error',
      from: { path: '^feed-server/src/(protocol|client|server)/' },
      to: {
        path: '^feed-server/src/(protocol|client|server|http)/',
        pathNot: '^feed-server/src/($1|protocol)/',
      },
    },
    {
      name: 'no-folder-cycle',
      comment: 'Two sub-folders do not import each other, directly or round about.',
      severity: 'error',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-file-circle',
      comment: 'Files do not import each other round about.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    parser: 'swc',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },

    exclude: { path: '(^|/)(node_modules|dist|html|results|test-artifacts)/' },
    doNotFollow: { path: 'node_modules' },
    enhancedResolveOptions: {
      // `tickwire/client` and `tickwire/protocol` resolve to their sources, as in the tests
      conditionNames: ['tickwire-source', 'import', 'default'],
      exportsFields: ['exports'],
      extensions: ['.ts', '.js', '.mjs'],
    },
  },
};
