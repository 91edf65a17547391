/**
 * The demo sign-up site ("Acme"): static pages plus two endpoints, like a real
 * site's back end. Sending the code asks the Text2FA simulator to deliver an
 * SMS to the number the user typed, exactly as a real site's SMS provider
 * would; verifying checks the code the user (or the extension) entered.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { randomInt } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SITE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'site');
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css' };

/** The host name the demo site is reached by (mapped to 127.0.0.1 with Chromium's host resolver rules). */
export const DEMO_HOST = 'demo.test';

export interface DemoSite {
  port: number;
  /** The site's start page, e.g. http://demo.test:43121/ */
  url: string;
  /** Codes texted so far, newest last (for the tour's report). */
  sent: { phone: string; code: string; at: number }[];
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 10_000) throw new Error('body too large');
  }
  const value: unknown = JSON.parse(body || '{}');
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Starts the demo site on 127.0.0.1; `simulatorUrl` is the simulator's origin. */
export async function startDemoSite(options: { simulatorUrl: string; port?: number }): Promise<DemoSite> {
  const codes = new Map<string, string>();
  const sent: DemoSite['sent'] = [];

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://demo');
      try {
        if (req.method === 'POST' && url.pathname === '/api/send-code') {
          const phone = String((await readJson(req)).phone ?? '').replace(/\D/g, '');
          if (phone.length !== 10) return reply(res, 422, { error: 'Enter a 10-digit US number.' });
          const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
          const sms = await fetch(`${options.simulatorUrl}/__sim/sms`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ number: phone, from: 'Acme', text: `Your Acme verification code is ${code}.\n\n@${DEMO_HOST} #${code}` }),
          });
          if (!sms.ok) return reply(res, 502, { error: 'We could not text that number. Is it a live Text2FA number?' });
          codes.set(phone, code);
          sent.push({ phone, code, at: Date.now() });
          return reply(res, 200, { ok: true });
        }
        if (req.method === 'POST' && url.pathname === '/api/verify') {
          const body = await readJson(req);
          const phone = String(body.phone ?? '');
          if (!codes.has(phone) || codes.get(phone) !== String(body.code ?? '')) return reply(res, 422, { error: 'That code is not right.' });
          return reply(res, 200, { ok: true });
        }
        const file = url.pathname === '/' ? 'index.html' : path.basename(url.pathname);
        const type = TYPES[path.extname(file)];
        if (req.method !== 'GET' || !type) return reply(res, 404, { error: 'not found' });
        const content = await readFile(path.join(SITE_DIR, file)).catch(() => null);
        if (!content) return reply(res, 404, { error: 'not found' });
        res.writeHead(200, { 'Content-Type': type });
        res.end(content);
      } catch {
        reply(res, 400, { error: 'bad request' });
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    url: `http://${DEMO_HOST}:${port}/`,
    sent,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
