/**
 * Low-level HTTP helpers shared by the API and the control API: reading a
 * bounded request body and writing an answer whose `Date` header follows the
 * simulated clock (a client that syncs to server time must see the jump).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Json } from './json';

/** Bodies beyond this are refused; nothing legitimate comes close. */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface Reply {
  status: number;
  body: string;
  contentType: string;
  headers?: Record<string, string>;
}

/** A request body larger than `MAX_BODY_BYTES`. */
export class BodyTooLargeError extends Error {
  constructor() {
    super(`request body exceeds ${MAX_BODY_BYTES} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/** A JSON reply. */
export function jsonReply(status: number, value: Json, headers?: Record<string, string>): Reply {
  return { status, body: JSON.stringify(value), contentType: 'application/json', ...(headers ? { headers } : {}) };
}

/** Reads the whole request body as UTF-8, refusing oversized ones. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLargeError());
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Writes a reply unless the client has already gone. */
export function send(res: ServerResponse, reply: Reply, nowMs: number): void {
  if (res.writableEnded || res.destroyed) return;
  const body = Buffer.from(reply.body, 'utf8');
  res.writeHead(reply.status, {
    Date: new Date(nowMs).toUTCString(),
    'Content-Type': reply.contentType,
    'Content-Length': String(body.length),
    'Cache-Control': 'no-store',
    ...reply.headers,
  });
  res.end(body);
}
