import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect, test } from 'vitest';
import { buildWeb } from '../scripts/build-web.ts';

/** The page's JavaScript, gzipped, lightweight-charts included (issue 5: ≤ 150 KB). */
const BUDGET_GZIP_BYTES = 150_000;

test('the production bundle fits the budget: ≤ 150 KB of gzipped JavaScript', async () => {
  const outDir = join(mkdtempSync(join(tmpdir(), 'tickwire-web-')), 'dist');
  const t0 = performance.now();
  await buildWeb(outDir);
  const buildMs = Math.round(performance.now() - t0);
  const assets = join(outDir, 'assets');
  const scripts = readdirSync(assets).filter((f) => f.endsWith('.js'));
  expect(scripts.length).toBeGreaterThan(0);
  const html = readFileSync(join(outDir, 'index.html'), 'utf8');
  let raw = 0;
  let gzipped = 0;
  for (const f of scripts) {
    expect(html).toContain(`/assets/${f}`); // no lazily loaded chunk escapes the count
    const bytes = readFileSync(join(assets, f));
    // The production build of lightweight-charts, not its development one (with assertions, 60% larger).
    expect(bytes.includes('data must be asc ordered by time')).toBe(false);
    raw += bytes.length;
    gzipped += gzipSync(bytes, { level: 9 }).length; // as the server sends it
  }
  console.log(
    `web bundle: ${scripts.length} script(s), ${(raw / 1000).toFixed(1)} KB raw, ${(gzipped / 1000).toFixed(1)} KB gzipped ` +
      `(budget ${BUDGET_GZIP_BYTES / 1000} KB); built in ${buildMs} ms`,
  );
  expect(gzipped).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
}, 60_000);
