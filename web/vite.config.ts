import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig } from 'vite';

const webDir = fileURLToPath(new URL('.', import.meta.url));
const repoDir = fileURLToPath(new URL('..', import.meta.url));
/** The feed server `npm run dev` proxies to: `tickwire serve` on its default port unless told otherwise. */
const feed = process.env.TICKWIRE_FEED_URL ?? 'http://localhost:8080';

/**
 * The web client's build (`npm run build:web` → web/dist, served by `tickwire serve`) and dev server
 * (`npm run dev`: hot reload, with the feed's WebSocket and REST API proxied to a running feed server, so the
 * page talks to the same origin in both).
 */
export default defineConfig({
  root: webDir,
  base: '/',
  // The page bundles the SDK from its TypeScript sources: package.json's `tickwire-source` export condition
  // (the installed package has only the compiled `import` one).
  resolve: { conditions: ['tickwire-source', ...defaultClientConditions] },
  // The SDK and the protocol module live in feed-server/: the dev server may read them.
  server: {
    fs: { allow: [repoDir] },
    proxy: {
      '/v1/ws': { target: feed, ws: true },
      '/api': { target: feed },
      '/healthz': { target: feed },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The bundle budget test measures the gzipped size itself; skip Vite's own report.
    reportCompressedSize: false,
  },
});
