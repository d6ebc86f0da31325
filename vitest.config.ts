import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'matching/test/**/*.test.ts',
      'feed-server/test/**/*.test.ts',
      'replay/test/**/*.test.ts',
      'web/test/**/*.test.ts',
      'bench/test/**/*.test.ts',
      'test-support/test/**/*.test.ts',
    ],
    testTimeout: 30_000,
  },
});
