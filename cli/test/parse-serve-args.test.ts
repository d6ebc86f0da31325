import { sep } from 'node:path';
import { describe, expect, test } from 'vitest';
import { DEFAULT_WEB_DIR, parseServeArgs } from '../src/serve-command.ts';

describe('parseServeArgs: the web client directory', () => {
  test('defaults to web/dist of this package; --web-dir and TICKWIRE_WEB_DIR override it', () => {
    expect(DEFAULT_WEB_DIR.endsWith(`${sep}web${sep}dist`)).toBe(true);
    const opts = (argv: string[], env: Record<string, string> = {}) => {
      const o = parseServeArgs(argv, env);
      if (o === 'help') throw new Error('help');
      return o.webDir;
    };
    expect(opts([])).toBe(DEFAULT_WEB_DIR);
    expect(opts([], { TICKWIRE_WEB_DIR: '/srv/web' })).toBe('/srv/web');
    expect(opts(['--web-dir', '/opt/app'], { TICKWIRE_WEB_DIR: '/srv/web' })).toBe('/opt/app');
  });
});
