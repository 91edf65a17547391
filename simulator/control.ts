/**
 * The control API under `/__sim/`: what tests and developers use to steer the
 * simulator (deliver SMS, move the clock, inject faults, switch shapes). It
 * is deliberately unlike the Text2FA API (JSON in, `{"error"}` out, no auth)
 * so nobody mistakes it for part of the real service, and it is never counted.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { iso } from './clock';
import { API_PREFIX, ENDPOINT_NAMES } from './endpoint-names';
import { AUTH_MODES, type AuthMode, type SimContext } from './context';
import { FAULT_KINDS, parseFault } from './faults';
import { BodyTooLargeError, jsonReply, readBody, send, type Reply } from './http';
import { isJsonObject, type Json } from './json';
import { formatCents, parseAmount } from './money';
import { debugView, isLive, statusAt, type Order } from './orders';
import { SHAPE_VARIANTS, validateVariants, type ShapeVariant } from './shapes';

export const CONTROL_PREFIX = '/__sim';

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ControlError';
  }
}

type Body = Record<string, unknown>;
type ControlHandler = (ctx: SimContext, body: Body) => Json;

function optionalString(body: Body, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ControlError(400, `"${field}" must be a string`);
  return value;
}

function amountField(body: Body, field: string): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  const cents = parseAmount(value);
  if (cents === null) throw new ControlError(400, `"${field}" must be a non-negative amount such as 12.5 or "12.50"`);
  return cents;
}

/** Digits of a US number without country code, so "+1 (205) 555-0123" finds 2055550123. */
function normaliseNumber(raw: string): string {
  const digits = raw.replace(/\D/g, '');
  return digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
}

function findSmsTarget(ctx: SimContext, body: Body): Order {
  const orderId = body.order_id;
  const number = body.number;
  if (orderId !== undefined && orderId !== null) {
    const id = typeof orderId === 'string' && /^\d+$/.test(orderId) ? Number(orderId) : orderId;
    if (typeof id !== 'number' || !Number.isInteger(id)) throw new ControlError(400, '"order_id" must be an integer');
    const order = ctx.state.findOrder(id);
    if (!order) throw new ControlError(404, `no order ${id}`);
    const now = ctx.clock.now();
    // Rejected, expired and cancelled numbers are no longer routed to their buyer.
    if (!isLive(order, now)) throw new ControlError(409, `order ${id} is ${statusAt(order, now)} and cannot receive SMS`);
    return order;
  }
  if (typeof number === 'string' && number.trim() !== '') {
    const order = ctx.state.newestLiveByNumber(normaliseNumber(number));
    if (!order) throw new ControlError(404, `no live order holds the number ${number}`);
    return order;
  }
  throw new ControlError(400, 'give "order_id" or "number"');
}

const ROUTES: Readonly<Record<string, Partial<Record<string, ControlHandler>>>> = {
  '': {
    GET: () => ({
      api: `${API_PREFIX}/<endpoint>`,
      endpoints: [...ENDPOINT_NAMES],
      control: Object.keys(ROUTES)
        .filter((path) => path !== '')
        .map((path) => `${Object.keys(ROUTES[path] ?? {}).join('|')} ${CONTROL_PREFIX}${path}`),
      shapes: [...SHAPE_VARIANTS],
      auth: [...AUTH_MODES],
      faults: [...FAULT_KINDS],
    }),
  },

  '/reset': {
    POST: (ctx) => {
      ctx.reset();
      return { ok: true, now: iso(ctx.clock.now()) };
    },
  },

  '/accounts': {
    POST: (ctx, body) => {
      const token = optionalString(body, 'token');
      if (token !== undefined && !/^\S+$/.test(token)) throw new ControlError(400, '"token" must be non-empty, without spaces');
      if (token !== undefined && ctx.state.accounts.has(token)) throw new ControlError(409, 'an account with this token exists');
      const name = optionalString(body, 'name');
      const email = optionalString(body, 'email');
      const balanceCents = amountField(body, 'balance');
      const account = ctx.state.createAccount({
        ...(token !== undefined ? { token } : {}),
        ...(name !== undefined ? { name } : {}),
        ...(email !== undefined ? { email } : {}),
        ...(balanceCents !== undefined ? { balanceCents } : {}),
      });
      return { token: account.token, balance: formatCents(account.balanceCents) };
    },
  },

  '/balance': {
    POST: (ctx, body) => {
      const token = optionalString(body, 'token');
      const cents = amountField(body, 'balance');
      if (token === undefined || cents === undefined) throw new ControlError(400, 'give "token" and "balance"');
      const account = ctx.state.accounts.get(token);
      if (!account) throw new ControlError(404, 'no account with this token');
      account.balanceCents = cents;
      return { token, balance: formatCents(cents) };
    },
  },

  '/sms': {
    POST: (ctx, body) => {
      const text = optionalString(body, 'text');
      if (text === undefined || text === '') throw new ControlError(400, '"text" is required');
      const rawCode = body.code;
      if (rawCode !== undefined && rawCode !== null && typeof rawCode !== 'string' && typeof rawCode !== 'number') {
        throw new ControlError(400, '"code" must be a string');
      }
      const from = optionalString(body, 'from');
      const order = findSmsTarget(ctx, body);
      ctx.state.deliverSms(order, {
        text,
        ...(rawCode === undefined ? {} : { code: rawCode === null ? null : String(rawCode) }),
        ...(from !== undefined ? { from } : {}),
      });
      return debugView(order, ctx.clock.now());
    },
  },

  '/clock': {
    GET: (ctx) => ({ now: iso(ctx.clock.now()), offsetMs: ctx.clock.offset }),
    POST: (ctx, body) => {
      const advance = body.advanceMs;
      if (typeof advance !== 'number' || !Number.isFinite(advance) || advance < 0) {
        throw new ControlError(400, '"advanceMs" must be a non-negative number: the clock only moves forward');
      }
      ctx.clock.advance(advance);
      return { now: iso(ctx.clock.now()), offsetMs: ctx.clock.offset };
    },
  },

  '/counters': {
    GET: (ctx) => ({ ...ctx.counters.snapshot() }),
  },

  '/counters/reset': {
    POST: (ctx) => {
      ctx.counters.reset();
      return { ...ctx.counters.snapshot() };
    },
  },

  '/shape': {
    GET: (ctx) => ({ variants: [...ctx.shape], known: [...SHAPE_VARIANTS] }),
    POST: (ctx, body) => {
      const variants = body.variants;
      if (!Array.isArray(variants) || !variants.every((variant): variant is string => typeof variant === 'string')) {
        throw new ControlError(400, '"variants" must be an array of strings (empty for canonical)');
      }
      const problem = validateVariants(variants);
      if (problem) throw new ControlError(400, problem);
      ctx.shape = new Set(variants as ShapeVariant[]);
      return { variants: [...ctx.shape] };
    },
  },

  '/auth': {
    GET: (ctx) => ({ accepts: ctx.auth, known: [...AUTH_MODES] }),
    POST: (ctx, body) => {
      const accepts = body.accepts;
      if (typeof accepts !== 'string' || !(AUTH_MODES as readonly string[]).includes(accepts)) {
        throw new ControlError(400, `"accepts" must be one of ${AUTH_MODES.join(', ')}`);
      }
      ctx.auth = accepts as AuthMode;
      return { accepts: ctx.auth };
    },
  },

  '/faults': {
    GET: (ctx) => ({ queued: faultList(ctx), known: [...FAULT_KINDS] }),
    POST: (ctx, body) => {
      const fault = parseFault(body);
      if (typeof fault === 'string') throw new ControlError(400, fault);
      ctx.faults.add(fault);
      return { queued: faultList(ctx) };
    },
    DELETE: (ctx) => {
      ctx.faults.clear();
      return { queued: [] };
    },
  },

  '/state': {
    GET: (ctx) => {
      const now = ctx.clock.now();
      return {
        now: iso(now),
        offsetMs: ctx.clock.offset,
        accounts: [...ctx.state.accounts.values()].map((account) => ({
          token: account.token,
          name: account.name,
          email: account.email,
          balance: formatCents(account.balanceCents),
        })),
        orders: ctx.state.orders.map((order) => debugView(order, now)),
        shape: [...ctx.shape],
        auth: ctx.auth,
        faults: faultList(ctx),
      };
    },
  },
};

function faultList(ctx: SimContext): Json {
  return ctx.faults.list().map((fault) => ({ ...fault }));
}

async function readJsonBody(req: IncomingMessage): Promise<Body> {
  let raw: string;
  try {
    raw = await readBody(req);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw new ControlError(413, error.message);
    throw error;
  }
  if (raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ControlError(400, 'the body must be JSON');
  }
  if (!isJsonObject(parsed)) throw new ControlError(400, 'the body must be a JSON object');
  return parsed;
}

/** Serves one request under `/__sim/`. */
export async function handleControl(ctx: SimContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const path = url.pathname.slice(CONTROL_PREFIX.length).replace(/\/+$/, '');
  const route = ROUTES[path];
  let reply: Reply;
  try {
    if (!route) throw new ControlError(404, `unknown control path ${url.pathname}`);
    const handler = route[req.method ?? ''];
    if (!handler) {
      const allowed = Object.keys(route).join(', ');
      send(res, jsonReply(405, { error: `use ${allowed}` }, { Allow: allowed }), ctx.clock.now());
      return;
    }
    const body = req.method === 'GET' ? {} : await readJsonBody(req);
    reply = jsonReply(200, handler(ctx, body));
  } catch (error) {
    if (!(error instanceof ControlError)) throw error;
    reply = jsonReply(error.status, { error: error.message });
  }
  send(res, reply, ctx.clock.now());
}
