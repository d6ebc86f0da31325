import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

/** `tickwire/client` and `tickwire/protocol` resolve to their TypeScript sources in tests (see web/vite.config.ts). */
const SOURCE = 'tickwire-source';

export default defineConfig({
  resolve: { conditions: [SOURCE, ...defaultClientConditions] },
  ssr: { resolve: { conditions: [SOURCE, ...defaultServerConditions] } },
  test: {
    include: [
      'matching/test/**/*.test.ts',
      'feed-server/test/**/*.test.ts',
      'cli/test/**/*.test.ts',
      'replay/test/**/*.test.ts',
      'web/test/**/*.test.ts',
      'bench/test/**/*.test.ts',
      'test-support/test/**/*.test.ts',
    ],
    testTimeout: 30_000,
  },
});
