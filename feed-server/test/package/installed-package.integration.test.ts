/*
 * Issue 15: the package as a user installs it. One `npm pack` (which builds it) and one install into a plain
 * Node project with no TypeScript tooling, shared by every test here; then the installed CLI and the README's
 * examples, run as they are, on this Node and on the oldest one package.json's engines claims.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { oldestNode, oldestSupportedNode } from '../../../test-support/oldest-node.ts';
import { browserUnavailable, launchBrowser } from '../../../web/test/e2e/browser.ts';
import { consumerEnv, run, type Started, start } from './child-processes.ts';
import { installPackage, type PackedPackage, packPackage, REPO_DIR } from './packed-package.ts';

const EXAMPLES_DIR = join(REPO_DIR, 'feed-server', 'examples');
const NODE_EXAMPLES = ['node-trades.mjs', 'node-book.mjs', 'node-history.mjs'];
const BROWSER_EXAMPLE = 'browser-trades.js';
const SETUP_MS = 300_000;

let work = '';
let pack: PackedPackage;
/** the consumer project, with tickwire installed from the tarball */
let app = '';

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'tickwire-package-'));
  pack = packPackage(join(work, 'pack'));
  app = join(work, 'app');
  installPackage(app, pack);
  for (const file of [...NODE_EXAMPLES, BROWSER_EXAMPLE])
    copyFileSync(join(EXAMPLES_DIR, file), join(app, file));
  console.log(
    `tickwire tarball: ${(pack.sizeBytes / 1024).toFixed(0)} KiB, ${pack.files.length} files, ` +
      `${(pack.unpackedBytes / 1024).toFixed(0)} KiB unpacked`,
  );
}, SETUP_MS);

afterAll(() => {
  if (work !== '') rmSync(work, { recursive: true, force: true });
});

describe('the tarball', () => {
  test('ships the compiled code, its types and maps, the web page, README, PROTOCOL.md and LICENSE only', () => {
    const files = pack.files;
    for (const f of [
      'package.json',
      'README.md',
      'LICENSE',
      'feed-server/PROTOCOL.md',
      'cli/bin/tickwire.js',
      'dist/cli/src/main.js',
      'dist/feed-server/src/client/index.js',
      'dist/feed-server/src/client/index.d.ts',
      'dist/feed-server/src/client/index.js.map',
      'dist/feed-server/src/client/node.js',
      'dist/feed-server/src/client/node.d.ts',
      'dist/feed-server/src/protocol/index.js',
      'dist/feed-server/src/protocol/index.d.ts',
      'dist/web/dist/index.html',
    ]) {
      expect(files).toContain(f);
    }
    const stray = files.filter(
      (f) =>
        /(^|\/)(test|tests|bench|examples|scripts|samples)\//.test(f) ||
        /\.test\.|\.integration\./.test(f) ||
        (/\.[cm]?tsx?$/.test(f) && !/\.d\.[cm]?ts$/.test(f)) ||
        !/^(dist\/|cli\/bin\/tickwire\.js$|feed-server\/PROTOCOL\.md$|README\.md$|LICENSE$|package\.json$)/.test(
          f,
        ),
    );
    expect(stray).toEqual([]);
    expect(pack.sizeBytes).toBeLessThan(1_000_000);
  });

  test('its package.json points every export at a file it ships, and needs neither tsx nor the chart library', async () => {
    const manifest = (
      await import(join(app, 'node_modules', 'tickwire', 'package.json'), { with: { type: 'json' } })
    ).default as {
      dependencies: Record<string, string>;
      exports: Record<string, string | Record<string, string>>;
    };
    expect(Object.keys(manifest.dependencies)).not.toContain('tsx');
    expect(Object.keys(manifest.dependencies)).not.toContain('lightweight-charts');
    for (const [entry, target] of Object.entries(manifest.exports)) {
      const conditions = typeof target === 'string' ? { default: target } : target;
      for (const [condition, path] of Object.entries(conditions)) {
        if (condition === 'tickwire-source') continue; // the repository's own: sources, not shipped
        expect(pack.files, `${entry} ${condition}`).toContain(path.replace(/^\.\//, ''));
      }
    }
  });
});

interface Runtime {
  readonly name: string;
  readonly node: string | null;
  readonly skipReason: string | null;
}

const oldest = oldestNode(`the installed package on Node ${oldestSupportedNode()}`);
const RUNTIMES: readonly Runtime[] = [
  { name: `this Node (${process.version})`, node: process.execPath, skipReason: null },
  {
    name: `the oldest supported Node (v${oldestSupportedNode()})`,
    ...{ node: oldest.path, skipReason: oldest.skipReason },
  },
];

describe.each(RUNTIMES)('npx tickwire and the SDK on $name', ({ node, skipReason }) => {
  const nodeBin = node ?? process.execPath;
  let server: Started | undefined;
  let httpUrl = '';
  let dataDir = '';
  const env = (extra: Readonly<Record<string, string>> = {}) => consumerEnv(nodeBin, extra);
  const tickwire = (args: readonly string[], extra: Readonly<Record<string, string>> = {}) =>
    run('npx', ['--offline', 'tickwire', ...args], { cwd: app, env: env(extra) });
  /** Runs a README example as it is, against the server; its output lines. */
  const example = async (file: string) => {
    const out = await run(nodeBin, [file], {
      cwd: app,
      env: env({ TICKWIRE_URL: `${httpUrl.replace(/^http/, 'ws')}/v1/ws` }),
    });
    expect(out.code, out.stderr).toBe(0);
    return out.stdout.trimEnd().split('\n');
  };

  beforeAll(async () => {
    if (skipReason !== null) return;
    dataDir = mkdtempSync(join(work, 'data-'));
    const { started, match } = await start(
      'npx',
      ['--offline', 'tickwire', 'serve', '--port', '0', '--data-dir', dataDir],
      {
        cwd: app,
        env: env(),
        ready: /Tickwire live feed on (http:\/\/\S+)/,
      },
    );
    server = started;
    httpUrl = match[1] as string;
  }, SETUP_MS);

  afterAll(async () => {
    await server?.stop();
  });

  test.skipIf(skipReason !== null)('it runs the compiled CLI of the package, not sources', async () => {
    const version = await run(nodeBin, ['--version'], { cwd: app, env: env() });
    expect(version.stdout.trim()).toBe(
      node === process.execPath ? process.version : `v${oldestSupportedNode()}`,
    );
    expect(existsSync(join(app, 'node_modules', 'tickwire', 'feed-server', 'src'))).toBe(false);
    expect(existsSync(join(app, 'node_modules', 'tickwire', 'cli', 'src'))).toBe(false);
    expect(existsSync(join(app, 'node_modules', 'tsx'))).toBe(false);
    const help = await tickwire(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: tickwire <command>');
  });

  test.skipIf(skipReason !== null)('serve hosts the chart page', async () => {
    expect(server?.stdout()).toContain('in a browser for the web client');
    const page = await fetch(`${httpUrl}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const script = /<script type="module" crossorigin src="([^"]+\.js)"/.exec(html)?.[1];
    expect(script, html).toBeDefined();
    const asset = await fetch(`${httpUrl}${script}`);
    expect(asset.status).toBe(200);
    expect((await asset.text()).length).toBeGreaterThan(10_000);
  });

  test.skipIf(skipReason !== null)('the Node example streams trades with contiguous seqs', async () => {
    const lines = await example('node-trades.mjs');
    expect(lines).toHaveLength(20);
    const seqs = lines.map((line) => {
      expect(line).toMatch(/^\d+ (buy|sell) \d+\.\d{5} @ \d+\.\d{2}$/);
      return Number(line.split(' ')[0]);
    });
    seqs.forEach((seq, i) => {
      if (i > 0) expect(seq).toBe((seqs[i - 1] as number) + 1);
    });
  });

  test.skipIf(skipReason !== null)('the Node example keeps a verified local book', async () => {
    const lines = await example('node-book.mjs');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const m = /^(\d+) (\d+\.\d{2}) \/ (\d+\.\d{2}) (\d+)$/.exec(line);
      expect(m, line).not.toBeNull();
      expect(Number(m?.[2])).toBeLessThan(Number(m?.[3]));
    }
  });

  test.skipIf(skipReason !== null)('the Node example reads bars and trades of the REST API', async () => {
    const lines = await example('node-history.mjs');
    const bars = lines.filter((l) => /^\d{16} (\d+\.\d{2} ){4}\d+\.\d{5}$/.test(l));
    const trades = lines.filter((l) => /^\d+ (buy|sell) \d+\.\d{5} @ \d+\.\d{2}$/.test(l));
    expect(bars.length).toBeGreaterThan(0);
    expect(trades).toHaveLength(5);
    expect(bars.length + trades.length).toBe(lines.length);
  });

  test.skipIf(skipReason !== null)('subscribe prints decoded messages', async () => {
    const out = await tickwire([
      'subscribe',
      'trades:BTC-USD',
      '--json',
      '-n',
      '3',
      '--url',
      `${httpUrl.replace(/^http/, 'ws')}/v1/ws`,
    ]);
    expect(out.code, out.stderr).toBe(0);
    const messages = out.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { channel?: string });
    expect(messages).toHaveLength(3);
  });

  test.skipIf(skipReason !== null)(
    'token, import, log and replay work too; serve stops cleanly',
    async () => {
      const token = await tickwire(['token', '--ttl', '1h'], {
        TICKWIRE_AUTH_SECRET: 'a-test-secret-of-32-characters!!',
      });
      expect(token.code, token.stderr).toBe(0);
      expect(token.stdout.trim()).toMatch(/^\S{20,}$/);

      const csv = join(work, `trades-${Date.now()}.csv`);
      writeFileSync(
        csv,
        'time,price,size,side\n2026-01-02T10:00:00Z,100.00,1.5,buy\n2026-01-02T10:00:01Z,100.01,0.5,sell\n',
      );
      const imported = join(work, `imported-${Date.now()}`);
      const imp = await tickwire(['import', 'trades', csv, '--symbol', 'TEST-USD', '--out', imported]);
      expect(imp.code, imp.stderr).toBe(0);
      const verified = await tickwire(['log', 'verify', imported]);
      expect(verified.code, verified.stderr).toBe(0);

      await server?.stop();
      expect(server?.stdout()).toMatch(/Tickwire stopped\n$/);
      expect(server?.stderr()).toBe('');
      server = undefined;
      const [session] = readdirSync(dataDir);
      expect(session).toBeDefined();
      const info = await tickwire(['log', 'info', join(dataDir, session as string)]);
      expect(info.code, info.stderr).toBe(0);

      const { started } = await start(
        'npx',
        ['--offline', 'tickwire', 'replay', join(dataDir, session as string), '--port', '0'],
        {
          cwd: app,
          env: env(),
          ready: /Tickwire replay on http:\/\/\S+/,
        },
      );
      await started.stop();
      expect(started.stdout()).toMatch(/Tickwire replay stopped\n$/);
    },
  );
});

/** A TypeScript consumer of the installed types: `typo` misspells a field of an SDK event and of a request. */
function consumerSource(typo: boolean): string {
  const [price, channels] = typo ? ['prise', 'chanels'] : ['price', 'channels'];
  return `import { FeedClient as BrowserClient } from 'tickwire/client';
import { FeedClient, formatPrice, type TradeEvent } from 'tickwire/client/node';
import { encodeRequest, type SubscribeRequest } from 'tickwire/protocol';

const request: SubscribeRequest = { op: 'subscribe', id: 1, ${channels}: ['trades:BTC-USD'] };
export const frame: Uint8Array = encodeRequest(request);
export const clients = [new FeedClient({ url: 'ws://localhost:8080/v1/ws' }), new BrowserClient({ url: '' })];
export function line(t: TradeEvent, priceScale: number): string {
  return \`\${t.seq} \${t.side} \${formatPrice(t.${price}, { priceScale })}\`;
}
`;
}

describe('the installed types', () => {
  const tsc = join(REPO_DIR, 'node_modules', 'typescript', 'bin', 'tsc');
  /**
   * Type-checks `source` in the consumer project against the installed .d.ts, strictly, lib checks on. The
   * DOM lib stands for the platform's types: the SDK's signatures name `AbortSignal`, which a Node project
   * gets from @types/node instead.
   */
  async function typeCheck(name: string, source: string) {
    writeFileSync(join(app, `${name}.ts`), source);
    const compilerOptions = {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      lib: ['ES2022', 'DOM'],
      types: [],
      strict: true,
      noEmit: true,
      skipLibCheck: false,
    };
    writeFileSync(
      join(app, `tsconfig.${name}.json`),
      JSON.stringify({ compilerOptions, files: [`${name}.ts`] }),
    );
    return run(process.execPath, [tsc, '-p', `tsconfig.${name}.json`], {
      cwd: app,
      env: consumerEnv(process.execPath),
    });
  }

  test('a consumer that uses the SDK and the protocol as documented compiles', async () => {
    const out = await typeCheck('good', consumerSource(false));
    expect(out.stdout + out.stderr).toBe('');
    expect(out.code).toBe(0);
  });

  test('a typo in an event field or a request field does not', async () => {
    const out = await typeCheck('bad', consumerSource(true));
    expect(out.code).not.toBe(0);
    expect(out.stdout).toMatch(/bad\.ts\(5,.*'chanels'/);
    expect(out.stdout).toMatch(/bad\.ts\(9,.*'prise'/);
    expect(out.stdout.match(/error TS/g)).toHaveLength(2);
  });
});

/** Bundles the page `root`/index.html with Vite into `outDir`; the JavaScript of the bundle. */
async function viteBundle(root: string, outDir: string): Promise<string> {
  const { build } = await import('vite');
  await build({ root, configFile: false, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const assets = join(outDir, 'assets');
  return readdirSync(assets)
    .filter((f) => f.endsWith('.js'))
    .map((f) => readFileSync(join(assets, f), 'utf8'))
    .join('\n');
}

function expectNoNodeBuiltins(code: string): void {
  // Vite replaces a Node built-in it cannot bundle with an empty "__vite-browser-external" module
  expect(code).not.toContain('__vite-browser-external');
  // ws's browser stub, which throws
  expect(code).not.toContain('ws does not work in the browser');
  expect(code).not.toMatch(
    /\bfrom\s*["'](node:[\w/]+|ws|fs|path|net|tls|http|https|crypto|zlib|stream|events)["']/,
  );
  expect(code).not.toMatch(/\bimport\(\s*["']node:|\brequire\(\s*["']/);
}

describe('a browser bundle of the installed SDK (Vite)', () => {
  const bundleDir = () => join(work, 'browser-bundle');

  test('builds the browser example with no Node built-ins inside', async () => {
    writeFileSync(
      join(app, 'index.html'),
      `<!doctype html>\n<ul id="trades"></ul>\n<script type="module" src="./${BROWSER_EXAMPLE}"></script>\n`,
    );
    const code = await viteBundle(app, bundleDir());
    expect(code).toContain('/v1/ws');
    expect(code).toContain('BTC-USD');
    expectNoNodeBuiltins(code);
  });

  test('tickwire/client/node in a browser bundle is the isomorphic SDK, not ws (its browser condition)', async () => {
    const root = join(app, 'node-entry');
    mkdirSync(root);
    writeFileSync(
      join(root, 'index.html'),
      '<!doctype html>\n<script type="module" src="./main.js"></script>\n',
    );
    writeFileSync(
      join(root, 'main.js'),
      "import { FeedClient } from 'tickwire/client/node';\nnew FeedClient({ url: 'ws://localhost:8080/v1/ws' });\n",
    );
    const code = await viteBundle(root, join(work, 'node-entry-bundle'));
    expect(code).toContain('/v1/ws');
    expectNoNodeBuiltins(code);
  });

  const noBrowser = browserUnavailable();
  test.skipIf(noBrowser !== null)(
    'the bundle, served by the installed tickwire serve --web-dir, shows live trades in Chromium',
    async () => {
      const served = await start(
        'npx',
        ['--offline', 'tickwire', 'serve', '--port', '0', '--no-record', '--web-dir', bundleDir()],
        {
          cwd: app,
          env: consumerEnv(process.execPath),
          ready: /Tickwire live feed on (http:\/\/\S+)/,
        },
      );
      const browser = await launchBrowser();
      try {
        const page = await browser.context.newPage();
        await page.goto(served.match[1] as string);
        const trades = page.locator('#trades li');
        await expect.poll(() => trades.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
        expect(await trades.first().textContent()).toMatch(/^(buy|sell) \d+\.\d{5} @ \d+\.\d{2}$/);
      } finally {
        await browser.close();
        await served.started.stop();
      }
    },
    90_000,
  );
});
