import { readFileSync, realpathSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { HttpHandler } from './rest-handler.ts';

/** Content types by file extension; anything else is served as `application/octet-stream`. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
};

/** Types worth gzipping (text); images and fonts are compressed already. */
const COMPRESSIBLE = new Set([
  '.html',
  '.js',
  '.mjs',
  '.css',
  '.json',
  '.map',
  '.txt',
  '.svg',
  '.webmanifest',
]);
/** Below this, gzip's header costs more than it saves. */
const MIN_GZIP_BYTES = 1024;
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * The page's Content-Security-Policy: its own scripts and styles, and connections (REST and the WebSocket) to
 * its own origin only. `style-src 'unsafe-inline'` because the chart library sizes its canvases with style
 * attributes.
 */
export const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/** Options of {@link staticFiles}. */
export interface StaticFilesOptions {
  /** the directory served (a Vite build: `web/dist`) */
  readonly root: string;
  /** the file `/` serves (default `index.html`) */
  readonly index?: string;
  /**
   * the URL prefix of content-hashed files (Vite's `/assets/`): their name changes with their content, so
   * browsers may keep them for a year without asking again (default `/assets/`)
   */
  readonly immutablePrefix?: string;
}

interface CachedFile {
  readonly mtimeMs: number;
  readonly size: number;
  readonly etag: string;
  readonly body: Buffer;
  readonly gzip: Buffer | null;
}

/** The decoded path of a request target, or null when it is not a plain file path this handler could serve. */
function filePath(target: string): string | null {
  const q = target.indexOf('?');
  const raw = q === -1 ? target : target.slice(0, q);
  if (!raw.startsWith('/')) return null;
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    return null; // malformed percent-encoding
  }
  // No NUL, no backslash (a separator on Windows), no `.`/`..` segments and no dotfiles (the build stamp).
  if (path.includes('\0') || path.includes('\\')) return null;
  const segments = path.split('/').slice(1);
  if (segments.some((s) => s.startsWith('.'))) return null;
  return path;
}

/** Whether an `Accept-Encoding` header accepts gzip (`gzip;q=0` refuses it). */
export function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  for (const part of header.split(',')) {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== 'x-gzip') continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  }
  return false;
}

/**
 * Serves the files of a directory — the built web client — for `node:http`, as a handler that answers the
 * paths of existing files (and `/`) and leaves every other request to the next handler.
 *
 * - **Only files under `root`:** the decoded path may hold no `..`, `.` or dot-file segment, no backslash or
 *   NUL, and must resolve (symbolic links included) inside `root`; anything else is not handled, so it ends
 *   as the server's 404. Directories are never listed.
 * - **Caching:** files under `immutablePrefix` carry a content hash in their name and are cached for a year
 *   (`immutable`); the rest (`index.html`) are `no-cache`, revalidated by a weak ETag (304).
 * - **Types and compression:** `Content-Type` from {@link CONTENT_TYPES}, `nosniff`; text is gzipped when the
 *   client accepts it (`Vary: Accept-Encoding`). The HTML page carries {@link PAGE_CSP}.
 * - Files are read once and kept in memory (with their gzip) until their size or mtime changes: a rebuild is
 *   picked up without a restart. Only GET and HEAD; other methods on a served file get 405.
 *
 * @example
 * ```ts
 * startFeedServer({ ...options, routes: [staticFiles({ root: 'web/dist' })] });
 * ```
 */
export function staticFiles(options: StaticFilesOptions): HttpHandler {
  const root = resolve(options.root);
  const index = options.index ?? 'index.html';
  const immutablePrefix = options.immutablePrefix ?? '/assets/';
  const cache = new Map<string, CachedFile>();

  const load = (file: string): CachedFile | null => {
    const st = statSync(file, { throwIfNoEntry: false });
    if (st === undefined || !st.isFile()) return null;
    const cached = cache.get(file);
    if (cached !== undefined && cached.mtimeMs === st.mtimeMs && cached.size === st.size) return cached;
    let realRoot: string;
    let real: string;
    try {
      realRoot = realpathSync(root);
      real = realpathSync(file);
    } catch {
      return null;
    }
    if (!real.startsWith(realRoot + sep)) return null;
    const body = readFileSync(real);
    const ext = extname(file).toLowerCase();
    const gzip = COMPRESSIBLE.has(ext) && body.length >= MIN_GZIP_BYTES ? gzipSync(body, { level: 9 }) : null;
    const entry: CachedFile = {
      mtimeMs: st.mtimeMs,
      size: st.size,
      etag: `W/"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`,
      body,
      gzip,
    };
    cache.set(file, entry);
    return entry;
  };

  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const path = filePath(req.url ?? '');
    if (path === null || (path.endsWith('/') && path !== '/')) return false;
    const relative = path === '/' ? index : path.slice(1);
    const file = resolve(root, relative);
    if (!file.startsWith(root + sep)) return false;
    const entry = load(file);
    if (entry === null) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      res.end(`${req.method ?? ''} is not allowed; use GET or HEAD\n`);
      return true;
    }
    const ext = extname(file).toLowerCase();
    const headers: Record<string, string> = {
      'content-type': CONTENT_TYPES[ext] ?? 'application/octet-stream',
      'cache-control': path.startsWith(immutablePrefix) ? IMMUTABLE : 'no-cache',
      etag: entry.etag,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    };
    if (ext === '.html') headers['content-security-policy'] = PAGE_CSP;
    if (entry.gzip !== null) headers.vary = 'accept-encoding';
    const matches = (req.headers['if-none-match'] ?? '')
      .split(',')
      .map((t) => t.trim())
      .some((t) => t === entry.etag || t === '*');
    if (matches) {
      res.writeHead(304, headers);
      res.end();
      return true;
    }
    const gzip = entry.gzip !== null && acceptsGzip(req.headers['accept-encoding']);
    const body = gzip ? (entry.gzip as Buffer) : entry.body;
    if (gzip) headers['content-encoding'] = 'gzip';
    headers['content-length'] = String(body.length);
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  };
}
