/**
 * Serves the built fixture pages (.output/fixtures, made by scripts/build-fixtures.mjs) over
 * plain HTTP on 127.0.0.1. One server answers for every host name: tests start Chromium with
 * `--host-resolver-rules="MAP *.test 127.0.0.1"`, so `shop.test` and `other.test` on the same
 * port are two different sites to the browser (separate origins, cross-site frames).
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES_DIR = path.resolve('.output/fixtures');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** A strict page policy: nothing but the page's own origin may run, load or connect. */
export const STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

export interface FixtureServer {
  port: number;
  /** `http://<host>:<port><path>`, e.g. `url('shop.test', '/decoys/')`. */
  url(host: string, pathname: string): string;
  close(): Promise<void>;
}

export interface FixtureServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Directory to serve; defaults to .output/fixtures. */
  root?: string;
}

/** The file for a request path, or null when it falls outside `root`. `/x/` maps to `/x/index.html`. */
function resolveFile(root: string, urlPath: string): string | null {
  let p: string;
  try {
    p = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  const file = path.join(root, path.normalize(p));
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  return p.endsWith('/') ? path.join(file, 'index.html') : file;
}

function handle(root: string, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://fixture');
  const file = resolveFile(root, url.pathname);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  let size = -1;
  let isDir = false;
  try {
    const st = file ? statSync(file) : null;
    isDir = !!st?.isDirectory();
    size = st?.isFile() ? st.size : -1;
  } catch {
    // missing: 404 below
  }
  if (isDir) {
    // Relative URLs in a page (./main.js, frame.html) need the trailing slash.
    res.writeHead(301, { Location: url.pathname + '/' + url.search }).end();
    return;
  }
  if (!file || size < 0) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`not found: ${url.pathname}\n`);
    return;
  }
  res.writeHead(200, {
    'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'Content-Length': size,
    // Rebuilt pages must never come from a cache.
    'Cache-Control': 'no-store',
    // `?csp=strict`: the page allows only its own scripts and connections, as many sign-up pages do.
    ...(url.searchParams.get('csp') === 'strict' ? { 'Content-Security-Policy': STRICT_CSP } : {}),
  });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
}

export async function startFixtureServer(options: FixtureServerOptions = {}): Promise<FixtureServer> {
  const root = path.resolve(options.root ?? FIXTURES_DIR);
  const server = createServer((req, res) => handle(root, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: (host, pathname) => `http://${host}:${port}${pathname.startsWith('/') ? pathname : '/' + pathname}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Browsers keep connections alive; without this close() would wait for them.
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

// `npx tsx tests/support/fixture-server.ts [port]`: serve the built pages to look at them by hand.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const server = await startFixtureServer({ port: Number(process.argv[2] ?? 0) });
  console.log(`Serving ${FIXTURES_DIR} on 127.0.0.1:${server.port}. Open e.g.`);
  console.log(`  chromium --host-resolver-rules="MAP *.test 127.0.0.1" ${server.url('shop.test', '/decoys/')}`);
}
