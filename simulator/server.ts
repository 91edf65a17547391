/**
 * The Text2FA simulator: a local HTTP server that serves the 21 documented
 * endpoints under `/api/v1/` with the canonical shapes of the project's API
 * notes, plus a control API under `/__sim/` to steer it. See README.md.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleApi } from './api';
import { CONTROL_PREFIX, handleControl } from './control';
import { SimContext } from './context';
import { API_PREFIX } from './endpoint-names';
import { jsonReply, send } from './http';
import { parseAmount } from './money';
import { DEFAULT_DEMO_BALANCE_CENTS, DEMO_TOKEN } from './state';

export { DEMO_TOKEN, DEMO_NAME, DEMO_EMAIL } from './state';
export { SHAPE_VARIANTS, type ShapeVariant } from './shapes';
export { FAULT_KINDS, type FaultKind } from './faults';
export { ENDPOINT_NAMES, type EndpointName } from './endpoint-names';

export interface Simulator {
  /** Origin, e.g. `http://127.0.0.1:8787`. */
  url: string;
  /** `url` + `/api/v1`: what a client uses as its base URL. */
  baseUrl: string;
  port: number;
  /** The funded demo account's token. */
  demoToken: string;
  /** Stops listening, drops open connections and pending delayed answers. */
  close(): Promise<void>;
}

export interface SimulatorOptions {
  /** 0 picks a free port. Default 8787. */
  port?: number;
  /** Default 127.0.0.1: the simulator is for this machine only. */
  host?: string;
  /** The demo account's balance in dollars after start and every reset. Default 50. */
  demoBalance?: number;
}

export const DEFAULT_PORT = 8787;

async function route(ctx: SimContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://simulator.invalid');
  const path = url.pathname;
  if (path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`)) {
    await handleControl(ctx, req, res, url);
  } else if (path.startsWith(`${API_PREFIX}/`)) {
    await handleApi(ctx, req, res, url);
  } else {
    send(res, jsonReply(404, { status: 'error', message: `Not found: ${path}` }), ctx.clock.now());
  }
}

/**
 * Starts a simulator and resolves once it listens. Each call is independent
 * (its own accounts, orders, clock and faults), so tests can run several.
 */
export function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const host = opts.host ?? '127.0.0.1';
  const demoBalanceCents = opts.demoBalance === undefined ? DEFAULT_DEMO_BALANCE_CENTS : parseAmount(opts.demoBalance);
  if (demoBalanceCents === null) {
    return Promise.reject(new RangeError(`demoBalance must be a non-negative amount, got ${String(opts.demoBalance)}`));
  }
  const ctx = new SimContext(demoBalanceCents);

  const server = createServer((req, res) => {
    route(ctx, req, res).catch((error: unknown) => {
      // A bug in the simulator must show up as a 500 with its message, not a hung request.
      const message = error instanceof Error ? error.message : String(error);
      console.error('[simulator] internal error:', error);
      send(res, jsonReply(500, { status: 'error', message: `Simulator bug: ${message}` }), ctx.clock.now());
    });
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? DEFAULT_PORT, host, () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
      let closing: Promise<void> | null = null;
      resolve({
        url: origin,
        baseUrl: `${origin}${API_PREFIX}`,
        port,
        demoToken: DEMO_TOKEN,
        close: () => {
          closing ??= new Promise<void>((done) => {
            ctx.cancelTimers();
            server.close(() => done());
            server.closeAllConnections();
          });
          return closing;
        },
      });
    });
  });
}
