import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { requireOrSkip } from '../require-or-skip.ts';
import { sharedData, sharedDir } from '../shared-data.ts';

const ENV = ['CI', 'TICKWIRE_SHARED_DIR', 'TICKWIRE_NO_SHARED'] as const;
let saved: (string | undefined)[] = [];
let warnings: string[] = [];

beforeEach(() => {
  saved = ENV.map((k) => process.env[k]);
  for (const k of ENV) delete process.env[k];
  warnings = [];
  vi.spyOn(console, 'warn').mockImplementation((m: string) => {
    warnings.push(m);
  });
});

afterEach(() => {
  ENV.forEach((k, i) => {
    if (saved[i] === undefined) delete process.env[k];
    else process.env[k] = saved[i];
  });
  vi.restoreAllMocks();
});

test('nothing missing: run, silently, in CI or not', () => {
  expect(requireOrSkip('browser tests', null)).toBeNull();
  process.env.CI = 'true';
  expect(requireOrSkip('browser tests', null)).toBeNull();
  expect(warnings).toEqual([]);
});

test('missing locally: skip, and say why; missing under CI=true: fail, unless the step allows it', () => {
  expect(requireOrSkip('browser tests', '/usr/bin/x is missing')).toBe('/usr/bin/x is missing');
  expect(warnings).toEqual(['browser tests skipped: /usr/bin/x is missing']);
  process.env.CI = 'true';
  expect(() => requireOrSkip('browser tests', '/usr/bin/x is missing')).toThrow(
    'browser tests must run in CI (CI=true), but /usr/bin/x is missing',
  );
  expect(requireOrSkip('browser tests', 'gone on purpose', { skipInCi: true })).toBe('gone on purpose');
});

test('sharedData: beside the repository by default, TICKWIRE_SHARED_DIR elsewhere; present runs, absent skips', () => {
  expect(sharedDir()).toMatch(/\/shared\/$/);
  const dir = mkdtempSync(join(tmpdir(), 'tickwire-shared-'));
  process.env.TICKWIRE_SHARED_DIR = dir;
  expect(sharedData('.', 'the tests')).toEqual({ path: dir, skipReason: null });
  const absent = sharedData('data/nothing-here', 'the tests');
  expect(absent.path).toBe(join(dir, 'data/nothing-here'));
  expect(absent.skipReason).toMatch(/nothing-here is missing/);
  expect(warnings).toHaveLength(1);
  process.env.CI = 'true';
  expect(() => sharedData('data/nothing-here', 'the tests')).toThrow(/must run in CI/);
});

test('TICKWIRE_NO_SHARED=1: the folder counts as absent even where it exists, and may skip under CI', () => {
  process.env.TICKWIRE_SHARED_DIR = mkdtempSync(join(tmpdir(), 'tickwire-shared-'));
  process.env.TICKWIRE_NO_SHARED = '1';
  process.env.CI = 'true';
  expect(sharedData('.', 'the tests').skipReason).toMatch(/TICKWIRE_NO_SHARED=1/);
});
