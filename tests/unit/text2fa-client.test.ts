/**
 * The Text2FA client against the project's simulator over real HTTP on
 * 127.0.0.1 (every endpoint, every error kind, every shape variant), plus a
 * recording fake fetch for what the wire must look like.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/server';
import {
  MAX_TIMEOUT_MS,
  Text2faError,
  clampTimeout,
  createText2faClient,
  describeError,
  isRetryable,
  isText2faError,
  type RemoteOrder,
  type Service,
  type Text2faClient,
  type Text2faClientOptions,
  type Text2faEndpoint,
  type Text2faErrorKind,
} from '../../utils/text2fa';

let sim: Simulator;

/** Every error any test in this file saw, for the final token-leak check. */
const seenErrors: Text2faError[] = [];
/** Every token any test used, valid or not. */
const tokens = new Set<string>();
/** Endpoints that answered 2xx through the client, to prove all 21 were exercised. */
const okEndpoints = new Set<string>();

beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
  tokens.add(sim.demoToken);
});

afterAll(async () => {
  await sim?.close();
});

beforeEach(async () => {
  await ctl('reset', {});
});

// ---------------------------------------------------------------------------
// Helpers

type Json = Record<string, unknown>;

async function ctl(path: string, body?: unknown): Promise<Json> {
  const res = await fetch(`${sim.url}/__sim/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as Json;
  if (!res.ok) throw new Error(`control ${path} failed: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** A fetch that notes which endpoints answered 2xx. */
const countingFetch: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  if (res.ok) okEndpoints.add(new URL(String(input)).pathname.split('/').pop() ?? '');
  return res;
};

function client(options: Partial<Text2faClientOptions> = {}): Text2faClient {
  const token = options.token ?? sim.demoToken;
  if (token.trim() !== '') tokens.add(token);
  return createText2faClient({ baseUrl: sim.baseUrl, token, fetch: countingFetch, ...options });
}

/** Awaits a rejection and checks it is a Text2faError of `kind`. */
async function failure(promise: Promise<unknown>, kind: Text2faErrorKind): Promise<Text2faError> {
  let caught: unknown;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  expect(isText2faError(caught), `expected a Text2faError, got ${String(caught)}`).toBe(true);
  const err = caught as Text2faError;
  seenErrors.push(err);
  expect({ kind: err.kind, message: err.message }).toMatchObject({ kind });
  expect(err.message.length).toBeGreaterThan(15);
  return err;
}

async function serviceNamed(list: Promise<Service[]>, name: string): Promise<Service> {
  const found = (await list).find((s) => s.name === name);
  if (!found) throw new Error(`no service ${name}`);
  return found;
}

async function newAccount(balance: number): Promise<string> {
  const { token } = (await ctl('accounts', { balance })) as { token: string };
  tokens.add(token);
  return token;
}

async function sms(orderId: string, text: string, code?: string): Promise<void> {
  await ctl('sms', { order_id: orderId, text, ...(code !== undefined ? { code } : {}) });
}

async function buyS1(c: Text2faClient = client()): Promise<RemoteOrder> {
  const google = await serviceNamed(c.servicesS1(), 'Google');
  return c.requestNumberS1({ serviceKey: google.key });
}

function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function expectFreshOrder(order: RemoteOrder, pool: RemoteOrder['pool']): void {
  expect(order.pool).toBe(pool);
  expect(order.orderId).toMatch(/^\d+$/);
  expect(order.number).toMatch(/^\d{10}$/);
  expect(order.service).toEqual(expect.any(String));
  expect(order.price).toEqual(expect.any(Number));
  expect(order.createdAt).toEqual(expect.any(Number));
  expect(order.expiresAt).toBeGreaterThan(order.createdAt ?? Infinity);
  for (const [key, value] of Object.entries(order)) expect(value, key).not.toBeUndefined();
}

// ---------------------------------------------------------------------------

describe('every endpoint through the client (canonical shapes)', () => {
  it('account-details', async () => {
    expect(await client().accountDetails()).toEqual({ name: 'Demo User', email: 'demo@text2fa.test', balance: 50, currency: 'USD' });
  });

  it('services-s1, us-states, request-number-s1 with premium and state, number-details-s1, reserved-list-s1', async () => {
    const c = client();
    const services = await c.servicesS1();
    expect(services.length).toBeGreaterThan(10);
    for (const s of services) {
      expect(s.pool).toBe('s1');
      expect(s.key).toMatch(/^[0-9a-z]{6}$/);
      expect(s.price).toEqual(expect.any(Number));
      expect(s.available).toEqual(expect.any(Number));
    }
    const states = await c.usStates();
    expect(states).toContainEqual({ code: 'AL', name: 'Alabama' });
    expect(states).toHaveLength(51);

    const google = await serviceNamed(Promise.resolve(services), 'Google');
    const order = await c.requestNumberS1({ serviceKey: google.key, premium: 0.25, state: 'AL' });
    expectFreshOrder(order, 's1');
    expect(order).toMatchObject({ service: 'Google', price: 0.75, status: 'pending', rawStatus: 'pending' });
    expect(['205', '251', '334']).toContain(order.number.slice(0, 3));
    // The simulator reads its clock twice for these two, so they may differ by a millisecond.
    expect(Math.abs(order.expiresAt! - order.createdAt! - 20 * 60 * 1000)).toBeLessThan(50);
    expect((await c.accountDetails()).balance).toBe(49.25);

    const pending = await c.numberDetailsS1(order.orderId);
    expect(pending).toMatchObject({ orderId: order.orderId, status: 'pending', code: null, sms: null, hasDetail: true });

    await sms(order.orderId, 'Your Google verification code is 482913', '482913');
    const received = await c.numberDetailsS1(order.orderId);
    expect(received).toMatchObject({ status: 'received', code: '482913', sms: 'Your Google verification code is 482913' });

    const list = await c.reservedListS1();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ orderId: order.orderId, status: 'received', code: '482913', hasDetail: true });
  });

  it('reuse-number-s1 and reject-number-s1', async () => {
    const c = client();
    const first = await buyS1(c);
    await sms(first.orderId, 'Code 111222');
    await ctl('clock', { advanceMs: 21 * 60 * 1000 });
    expect((await c.numberDetailsS1(first.orderId)).status).toBe('completed');

    const reused = await c.reuseNumberS1(first.orderId);
    expectFreshOrder(reused, 's1');
    expect(reused.number).toBe(first.number);
    expect(reused.orderId).not.toBe(first.orderId);
    expect(reused.status).toBe('pending');

    await ctl('clock', { advanceMs: 61_000 });
    const balanceBefore = (await c.accountDetails()).balance;
    const refund = await c.rejectNumberS1(reused.orderId);
    expect(refund).toEqual({ orderId: reused.orderId, status: 'rejected', rawStatus: 'rejected', refund: 0.5, balance: balanceBefore + 0.5 });
  });

  it('services-s2, request-number-s2 with areas, number-details-s2, reserved-list-s2, reject-number-s2', async () => {
    const c = client();
    const services = await c.servicesS2();
    expect(services.every((s) => s.pool === 's2')).toBe(true);
    const whatsapp = await serviceNamed(Promise.resolve(services), 'WhatsApp');

    const order = await c.requestNumberS2({ serviceKey: whatsapp.key, areas: ['610'] });
    expectFreshOrder(order, 's2');
    expect(order.number.startsWith('610')).toBe(true);
    expect(order.price).toBe(0.7);

    const any = await c.requestNumberS2({ serviceKey: whatsapp.key, areas: [] });
    expectFreshOrder(any, 's2');

    expect(await c.numberDetailsS2(order.orderId)).toMatchObject({ orderId: order.orderId, pool: 's2', status: 'pending' });
    expect((await c.reservedListS2()).map((o) => o.orderId).sort()).toEqual([order.orderId, any.orderId].sort());

    await ctl('clock', { advanceMs: 61_000 });
    const refund = await c.rejectNumberS2(order.orderId);
    expect(refund).toMatchObject({ orderId: order.orderId, status: 'rejected', refund: 0.7 });
    expect(refund.balance).toEqual(expect.any(Number));
    expect((await c.numberDetailsS2(order.orderId)).status).toBe('rejected');
  });

  it('rental-service-list, rental-states, request-rental-number, lists, rental-message, renew-rental, cancel-rental', async () => {
    const c = client();
    const services = await c.rentalServiceList();
    const google = services.find((s) => s.name === 'Google');
    expect(google).toMatchObject({ pool: 'rental', durations: [7, 14, 30, 90], pricePerDay: 0.3, price: 2.1 });
    const states = await c.rentalStates();
    expect(states[0]).toEqual({ code: 'US', name: 'United States (any state)' });
    expect(states.map((s) => s.code)).toContain('NY');

    const rental = await c.requestRentalNumber({ serviceKey: google!.key, duration: 7, state: 'NY' });
    expectFreshOrder(rental, 'rental');
    expect(rental).toMatchObject({ status: 'active', duration: 7, price: 2.1 });
    expect(['212', '718', '917']).toContain(rental.number.slice(0, 3));

    expect((await c.rentalReserveList()).map((o) => o.orderId)).toEqual([rental.orderId]);
    expect((await c.activeRentalNumbers())[0]).toMatchObject({ orderId: rental.orderId, status: 'active', code: null });

    expect(await c.rentalMessage(rental.orderId)).toEqual({ orderId: rental.orderId, number: rental.number, messages: [] });
    await sms(rental.orderId, 'G-735102 is your Google verification code.');
    await sms(rental.orderId, 'Your code: 440011', '440011');
    const inbox = await c.rentalMessage(rental.orderId);
    expect(inbox.messages).toHaveLength(2);
    expect(inbox.messages[0]).toMatchObject({ text: 'G-735102 is your Google verification code.', code: '735102', from: 'Google' });
    expect(inbox.messages[1]).toMatchObject({ code: '440011' });
    expect(inbox.messages[1]!.receivedAt).toEqual(expect.any(Number));
    expect((await c.activeRentalNumbers())[0]).toMatchObject({ code: '440011', sms: 'Your code: 440011' });

    const renewed = await c.renewRental(rental.orderId, 7);
    expect(renewed).toMatchObject({ orderId: rental.orderId, price: 2.1, expiresAt: rental.expiresAt! + 7 * 86_400_000 });
    expect(renewed.balance).toEqual(expect.any(Number));

    const cancelled = await c.cancelRental(rental.orderId);
    expect(cancelled).toMatchObject({ orderId: rental.orderId, status: 'cancelled', rawStatus: 'cancelled' });
    expect(cancelled.refund).toEqual(expect.any(Number));
    expect(await c.activeRentalNumbers()).toEqual([]);
  });

  it('reported the server Date header, following the simulated clock', async () => {
    const calls: Array<[number, number]> = [];
    const c = client({ onServerTime: (server, local) => calls.push([server, local]) });
    await c.accountDetails();
    await ctl('clock', { advanceMs: 3_600_000 });
    await c.accountDetails();
    expect(calls).toHaveLength(2);
    const [a, b] = calls.map(([server, local]) => server - local);
    expect(Math.abs(a!)).toBeLessThan(2_000);
    expect(Math.abs(b! - 3_600_000)).toBeLessThan(2_000);
  });

  it('all 21 endpoints answered through the client', () => {
    const all: Text2faEndpoint[] = [
      'account-details', 'services-s1', 'us-states', 'request-number-s1', 'reuse-number-s1', 'reject-number-s1',
      'number-details-s1', 'reserved-list-s1', 'services-s2', 'request-number-s2', 'reject-number-s2',
      'number-details-s2', 'reserved-list-s2', 'rental-service-list', 'rental-states', 'request-rental-number',
      'rental-reserve-list', 'rental-message', 'active-rental-numbers', 'renew-rental', 'cancel-rental',
    ];
    expect(all.filter((e) => !okEndpoints.has(e))).toEqual([]);
  });
});

describe('every error kind, produced for real', () => {
  it('unauthorized: a bad token', async () => {
    const err = await failure(client({ token: 'not-a-real-token-xyz' }).accountDetails(), 'unauthorized');
    expect(err).toMatchObject({ status: 401, endpoint: 'account-details' });
    expect(isRetryable(err)).toBe(false);
  });

  it('unauthorized: an empty token never reaches the network', async () => {
    const spy = vi.fn(countingFetch);
    const err = await failure(client({ token: '  ', fetch: spy }).accountDetails(), 'unauthorized');
    expect(err.status).toBeNull();
    expect(spy).not.toHaveBeenCalled();
  });

  it('insufficient_balance', async () => {
    const poor = client({ token: await newAccount(0.1) });
    const err = await failure(buyS1(poor), 'insufficient_balance');
    expect(err).toMatchObject({ status: 402, endpoint: 'request-number-s1' });
    expect((await ctl('counters')).purchases).toBe(0);
  });

  it('not_found: unknown order', async () => {
    const err = await failure(client().numberDetailsS1('999999'), 'not_found');
    expect(err).toMatchObject({ status: 404, endpoint: 'number-details-s1' });
    await failure(client().rentalMessage('424242'), 'not_found');
  });

  it('conflict too_early: reject within the first minute', async () => {
    const order = await buyS1();
    const err = await failure(client().rejectNumberS1(order.orderId), 'conflict');
    expect(err).toMatchObject({ status: 409, reason: 'too_early', endpoint: 'reject-number-s1' });
    expect(err.retryAfterMs).toBeGreaterThan(0);
    expect(err.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('conflict code_received: reject after an SMS', async () => {
    const order = await buyS1();
    await sms(order.orderId, 'Your code is 123456');
    await ctl('clock', { advanceMs: 61_000 });
    const err = await failure(client().rejectNumberS1(order.orderId), 'conflict');
    expect(err).toMatchObject({ status: 409, reason: 'code_received' });
  });

  it('conflict with a reason the client does not know keeps the server words', async () => {
    const order = await buyS1();
    const err = await failure(client().reuseNumberS1(order.orderId), 'conflict');
    expect(err.reason).toBe('unknown');
    expect(err.serverMessage).toMatch(/still waiting/);
    expect(err.message).toContain(err.serverMessage!);
  });

  it('validation: field messages from a 422', async () => {
    const c = client();
    const google = await serviceNamed(c.rentalServiceList(), 'Google');
    const err = await failure(c.requestRentalNumber({ serviceKey: google.key, duration: 5, state: 'ZZ' }), 'validation');
    expect(err.status).toBe(422);
    expect(err.fieldErrors?.duration?.[0]).toMatch(/duration is invalid/);
    expect(err.fieldErrors?.state).toEqual(['The selected state is invalid.']);
    expect(err.message).toContain('The selected state is invalid.');

    const s2 = await failure(c.requestNumberS2({ serviceKey: 'zzzzzz', areas: ['123'] }), 'validation');
    expect(Object.keys(s2.fieldErrors ?? {}).sort()).toEqual(['areas', 'service_key']);
  });

  it('validation: bad arguments are refused before any request', async () => {
    const spy = vi.fn(countingFetch);
    const c = client({ fetch: spy });
    await failure(c.numberDetailsS1(''), 'validation');
    await failure(c.renewRental('5', 0), 'validation');
    await failure(c.requestRentalNumber({ serviceKey: 'k', duration: 1.5 }), 'validation');
    await failure(c.requestNumberS1({ serviceKey: ' ' }), 'validation');
    await failure(c.requestNumberS1({ serviceKey: 'k', premium: Number.NaN }), 'validation');
    expect(spy).not.toHaveBeenCalled();
  });

  it('rate_limited: Retry-After as delta-seconds', async () => {
    await ctl('faults', { fault: '429', retryAfter: '3' });
    const err = await failure(client().accountDetails(), 'rate_limited');
    expect(err).toMatchObject({ status: 429, retryAfterMs: 3000 });
    expect(err.message).toMatch(/3 seconds/);
    expect(isRetryable(err)).toBe(true);
  });

  it('rate_limited: Retry-After as an HTTP-date, relative to the injected clock', async () => {
    const now = Date.UTC(2030, 5, 1, 8, 0, 0);
    await ctl('faults', { fault: '429', retryAfter: new Date(now + 45_000).toUTCString() });
    const err = await failure(client({ now: () => now }).accountDetails(), 'rate_limited');
    expect(err.retryAfterMs).toBe(45_000);
  });

  it('unavailable: a sold-out service (503)', async () => {
    const c = client();
    const kraken = await serviceNamed(c.servicesS1(), 'Kraken');
    expect(kraken.available).toBe(0);
    const err = await failure(c.requestNumberS1({ serviceKey: kraken.key }), 'unavailable');
    expect(err.status).toBe(503);
    expect(err.message).toMatch(/No numbers are available/);
    await ctl('faults', { fault: '503', endpoint: 'request-number-s2' });
    const s2 = await serviceNamed(c.servicesS2(), 'Google');
    await failure(c.requestNumberS2({ serviceKey: s2.key }), 'unavailable');
  });

  it('network: nothing listening on the port', async () => {
    const port = await closedPort();
    const err = await failure(client({ baseUrl: `http://127.0.0.1:${port}/api/v1` }).accountDetails(), 'network');
    expect(err.status).toBeNull();
    expect(isRetryable(err)).toBe(true);
  });

  it('network: the connection dropped before an answer (drop), and after a purchase went through (drop-after)', async () => {
    await ctl('faults', { fault: 'drop' });
    await failure(client().accountDetails(), 'network');
    const c = client();
    const google = await serviceNamed(c.servicesS1(), 'Google');
    await ctl('faults', { fault: 'drop-after', endpoint: 'request-number-s1' });
    await failure(c.requestNumberS1({ serviceKey: google.key }), 'network');
    // The purchase happened although the answer was lost: the reserved list shows it.
    expect(await c.reservedListS1()).toHaveLength(1);
  });

  it('timeout: a slow answer and a short client timeout', async () => {
    await ctl('faults', { fault: 'slow', delayMs: 3000 });
    const started = Date.now();
    const err = await failure(client({ timeoutMs: 250 }).accountDetails(), 'timeout');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(err.status).toBeNull();
    expect(err.message).toMatch(/did not answer/);
  });

  it('malformed: truncated JSON, an empty body', async () => {
    await ctl('faults', { fault: 'malformed', endpoint: 'number-details-s1' });
    const truncated = await failure(client().numberDetailsS1('1'), 'malformed');
    expect(truncated.status).toBe(200);
    expect(truncated.bodySnippet).toBe('{"status":"success","data":{"order_id":10');
    expect(truncated.message).toMatch(/not valid JSON/);

    await ctl('faults', { fault: 'empty' });
    const empty = await failure(client().reservedListS1(), 'malformed');
    expect(empty).toMatchObject({ status: 200, bodySnippet: '' });
  });

  it('an HTML gateway page (html fault, HTTP 502) is a server error that keeps the page', async () => {
    await ctl('faults', { fault: 'html' });
    const err = await failure(client().accountDetails(), 'server');
    expect(err.status).toBe(502);
    expect(err.bodySnippet).toMatch(/^<!DOCTYPE html>[\s\S]*502 Bad Gateway/);
  });

  it('server: a 500, and a 200 that carries "status": "error"', async () => {
    await ctl('faults', { fault: '500' });
    const err = await failure(client().accountDetails(), 'server');
    expect(err.status).toBe(500);
    await ctl('faults', { fault: 'error-200' });
    const e200 = await failure(client().accountDetails(), 'server');
    expect(e200.status).toBe(200);
    expect(e200.message).toContain('The request could not be processed');
  });

  it('http: any other status (a 413 for an oversized request)', async () => {
    const err = await failure(client().requestNumberS1({ serviceKey: 'x'.repeat(1_100_000) }), 'http');
    expect(err.status).toBe(413);
    expect(err.message).toContain('The request body is too large.');
  });
});

describe('shape variants through the switch', () => {
  async function shape(...variants: string[]): Promise<void> {
    await ctl('shape', { variants });
  }

  /** Buys an S1 number, delivers an SMS, and reads it back in canonical shape for comparison. */
  async function stage(): Promise<{ c: Text2faClient; order: RemoteOrder; canonical: RemoteOrder }> {
    const c = client();
    const order = await buyS1(c);
    await sms(order.orderId, 'Your verification code is 271828', '271828');
    const canonical = await c.numberDetailsS1(order.orderId);
    expect(canonical).toMatchObject({ code: '271828', status: 'received' });
    return { c, order, canonical };
  }

  it.each(['no-envelope', 'envelope-result', 'envelope-results', 'envelope-response'])('%s', async (variant) => {
    const { c, order, canonical } = await stage();
    await shape(variant);
    expect(await c.numberDetailsS1(order.orderId)).toEqual(canonical);
    expect((await c.reservedListS1()).map((o) => o.orderId)).toEqual([order.orderId]);
    expect((await c.accountDetails()).balance).toBe(49.5);
    expect((await c.usStates())[0]).toEqual({ code: 'AL', name: 'Alabama' });
    expectFreshOrder(await buyS1(c), 's1');
    // Error bodies change shape too.
    await failure(c.numberDetailsS1('999999'), 'not_found');
  });

  it('success-flag (and its error form)', async () => {
    const { c, order, canonical } = await stage();
    await shape('success-flag');
    expect(await c.numberDetailsS1(order.orderId)).toEqual(canonical);
    const err = await failure(c.rejectNumberS1(order.orderId), 'conflict');
    expect(err.reason).toBe('code_received');
    await shape('success-flag', 'no-envelope');
    expect(await c.numberDetailsS1(order.orderId)).toEqual(canonical);
  });

  it('swap-types', async () => {
    const { c, order, canonical } = await stage();
    await shape('swap-types');
    expect(await c.numberDetailsS1(order.orderId)).toEqual(canonical);
    expect((await c.accountDetails()).balance).toBe(49.5);
    const services = await c.servicesS1();
    expect(services[0]!.available).toEqual(expect.any(Number));
    expect(services[0]!.price).toEqual(expect.any(Number));
    const refundable = await buyS1(c);
    await ctl('clock', { advanceMs: 61_000 });
    expect(await c.rejectNumberS1(refundable.orderId)).toMatchObject({ orderId: refundable.orderId, refund: 0.5, status: 'rejected' });
  });

  it.each([
    ['aliases-a', 1000],
    ['aliases-b', 1],
    ['aliases-c', 1],
  ] as const)('%s', async (variant, precision) => {
    const { c, order, canonical } = await stage();
    const rentalService = await serviceNamed(c.rentalServiceList(), 'Google');
    const rental = await c.requestRentalNumber({ serviceKey: rentalService.key, duration: 7 });
    await sms(rental.orderId, 'Use 909090 to sign in');
    const canonicalInbox = await c.rentalMessage(rental.orderId);
    const s2Service = await serviceNamed(c.servicesS2(), 'Google');

    await shape(variant);
    const details = await c.numberDetailsS1(order.orderId);
    expect({ ...details, expiresAt: null }).toEqual({ ...canonical, expiresAt: null });
    expect(Math.floor(details.expiresAt! / precision)).toBe(Math.floor(canonical.expiresAt! / precision));

    const fresh = await c.requestNumberS2({ serviceKey: s2Service.key });
    expectFreshOrder(fresh, 's2');
    const s2details = await c.numberDetailsS2(fresh.orderId);
    expect(s2details).toMatchObject({ orderId: fresh.orderId, number: fresh.number, status: 'pending', code: null, sms: null });

    const inbox = await c.rentalMessage(rental.orderId);
    expect(inbox.orderId).toBe(rental.orderId);
    expect(inbox.messages.map((m) => [m.text, m.code])).toEqual(canonicalInbox.messages.map((m) => [m.text, m.code]));
    expect((await c.activeRentalNumbers())[0]).toMatchObject({ orderId: rental.orderId, number: rental.number, code: '909090' });
  });

  it("guide: number_id as the order id everywhere, single message objects without code or id", async () => {
    const { c, order, canonical } = await stage();
    const rentalService = await serviceNamed(c.rentalServiceList(), 'Google');
    const rental = await c.requestRentalNumber({ serviceKey: rentalService.key, duration: 7 });
    await sms(rental.orderId, 'Use 909090 to sign in');
    const s2Service = await serviceNamed(c.servicesS2(), 'Google');

    await shape('guide');
    expect(await c.numberDetailsS1(order.orderId)).toEqual(canonical);
    expect((await c.reservedListS1()).map((o) => o.orderId)).toEqual([order.orderId]);
    expectFreshOrder(await buyS1(c), 's1');
    const s2 = await c.requestNumberS2({ serviceKey: s2Service.key });
    expectFreshOrder(s2, 's2');
    expect((await c.reservedListS2())[0]).toMatchObject({ orderId: s2.orderId, status: 'pending' });
    expect((await c.activeRentalNumbers())[0]).toMatchObject({ orderId: rental.orderId, number: rental.number, code: '909090' });
    expect((await c.rentalReserveList())[0]).toMatchObject({ orderId: rental.orderId });

    // rental-message answers the latest message alone, as the guide's webhook payload.
    const first = await c.rentalMessage(rental.orderId);
    expect(first).toMatchObject({ orderId: rental.orderId, number: rental.number });
    expect(first.messages).toEqual([
      { id: expect.any(String), from: 'Google', text: 'Use 909090 to sign in', code: '909090', receivedAt: expect.any(Number) },
    ]);
    await ctl('clock', { advanceMs: 5_000 });
    await sms(rental.orderId, 'Your new code: 121212');
    const second = await c.rentalMessage(rental.orderId);
    expect(second.messages.map((m) => m.code)).toEqual(['121212']);
    expect(second.messages[0]!.id).not.toBe(first.messages[0]!.id);
    expect((await c.rentalMessage(rental.orderId)).messages[0]!.id).toBe(second.messages[0]!.id);

    expect((await c.renewRental(rental.orderId, 1)).orderId).toBe(rental.orderId);
    expect(await c.cancelRental(rental.orderId)).toMatchObject({ orderId: rental.orderId, status: 'cancelled' });
    await ctl('clock', { advanceMs: 61_000 });
    expect(await c.rejectNumberS2(s2.orderId)).toMatchObject({ orderId: s2.orderId, status: 'rejected' });
  });

  it('sms-only: the code is read from the SMS text', async () => {
    const { c, order } = await stage();
    await shape('sms-only');
    expect(await c.numberDetailsS1(order.orderId)).toMatchObject({ code: '271828', sms: 'Your verification code is 271828' });
    expect((await c.reservedListS1())[0]).toMatchObject({ code: '271828' });
  });

  it('lists-without-codes: list rows say they lack detail', async () => {
    const { c, order, canonical } = await stage();
    await shape('lists-without-codes');
    const [row] = await c.reservedListS1();
    expect(row).toMatchObject({ orderId: order.orderId, number: order.number, hasDetail: false, status: 'unknown', code: null, sms: null });
    expect(await c.numberDetailsS1(order.orderId)).toEqual(canonical);
  });

  it('unknown-status: unknown words kept verbatim, known synonyms mapped', async () => {
    const { c, order } = await stage();
    const rentalService = await serviceNamed(c.rentalServiceList(), 'Google');
    const rental = await c.requestRentalNumber({ serviceKey: rentalService.key, duration: 7 });
    await shape('unknown-status');
    expect(await c.numberDetailsS1(order.orderId)).toMatchObject({ status: 'received', rawStatus: 'sms_received' });
    expect((await c.activeRentalNumbers())[0]).toMatchObject({ orderId: rental.orderId, status: 'unknown', rawStatus: 'in_use' });
    const fresh = await buyS1(c);
    expect(fresh).toMatchObject({ status: 'pending', rawStatus: 'waiting_for_sms' });
    await ctl('clock', { advanceMs: 30 * 60 * 1000 });
    expect(await c.numberDetailsS1(fresh.orderId)).toMatchObject({ status: 'unknown', rawStatus: 'timed_out' });
  });
});

describe('the wire, through a recording fake fetch', () => {
  interface Recorded {
    url: string;
    method: string;
    headers: Record<string, string>;
    body: string | null;
  }

  const TOKEN = 'tok_FAKE_abc123';

  function recorder(respond: (r: Recorded) => Response = () => okJson({ status: 'success', data: {} })) {
    const calls: Recorded[] = [];
    const fake: typeof fetch = async (input, init) => {
      const headers: Record<string, string> = {};
      new Headers(init?.headers).forEach((v, k) => (headers[k] = v));
      const r: Recorded = {
        url: String(input),
        method: init?.method ?? 'GET',
        headers,
        body: typeof init?.body === 'string' ? init.body : null,
      };
      calls.push(r);
      return respond(r);
    };
    return { calls, fake };
  }

  function okJson(value: unknown, init: ResponseInit = {}): Response {
    return new Response(JSON.stringify(value), { status: 200, headers: { 'Content-Type': 'application/json' }, ...init });
  }

  const order = { order_id: 6, number: '2055550123', service: 'Google', price: '0.50', status: 'pending' };

  /** Answers each endpoint with a canonical body. */
  function canonical(r: Recorded): Response {
    const name = new URL(r.url).pathname.split('/').pop() ?? '';
    const lists: Record<string, unknown> = {
      'services-s1': [{ service_key: 'k', name: 'N', price: '1', available: 1 }],
      'services-s2': [{ service_key: 'k', name: 'N', price: '1', available: 1 }],
      'rental-service-list': [{ service_key: 'k', name: 'N', price: '1', durations: [7], price_per_day: '0.1' }],
      'us-states': [{ code: 'AL', name: 'Alabama' }],
      'rental-states': [{ code: 'US', name: 'US' }],
      'account-details': { name: 'a', email: 'b', balance: '1.00', currency: 'USD' },
      'rental-message': { order_id: 6, number: '1', messages: [] },
      'renew-rental': { order_id: 6, expires_at: '2030-01-01T00:00:00Z', price: '1', balance: '2' },
    };
    const data = lists[name] ?? (name.startsWith('reserved') || name.startsWith('active') || name === 'rental-reserve-list' ? [order] : order);
    return okJson({ status: 'success', data });
  }

  it('sends the raw token, Accept and form bodies; GET params in the query; never the token in a URL', async () => {
    const { calls, fake } = recorder(canonical);
    const c = createText2faClient({ baseUrl: 'https://api.example.test/api/v1/', token: TOKEN, fetch: fake });
    await c.accountDetails();
    await c.servicesS1();
    await c.usStates();
    await c.requestNumberS1({ serviceKey: 'a b&c=d' });
    await c.requestNumberS1({ serviceKey: 'k1', premium: 0.1 + 0.2, state: ' AL ' });
    await c.reuseNumberS1('6');
    await c.rejectNumberS1('6');
    await c.numberDetailsS1('6');
    await c.reservedListS1();
    await c.servicesS2();
    await c.requestNumberS2({ serviceKey: 'k2' });
    await c.requestNumberS2({ serviceKey: 'k2', areas: [] });
    await c.requestNumberS2({ serviceKey: 'k2', areas: [' ', ''] });
    await c.requestNumberS2({ serviceKey: 'k2', areas: ['610', ' 484 '] });
    await c.rejectNumberS2('6');
    await c.numberDetailsS2('6');
    await c.reservedListS2();
    await c.rentalServiceList();
    await c.rentalStates();
    await c.requestRentalNumber({ serviceKey: 'k3', duration: 7 });
    await c.requestRentalNumber({ serviceKey: 'k3', duration: 30, state: 'NY' });
    await c.rentalReserveList();
    await c.rentalMessage('6');
    await c.activeRentalNumbers();
    await c.renewRental('6', 14);
    await c.cancelRental('6');

    const summary = calls.map((r) => `${r.method} ${r.url.replace('https://api.example.test/api/v1/', '')}${r.body !== null ? ` [${r.body}]` : ''}`);
    expect(summary).toEqual([
      'GET account-details',
      'GET services-s1',
      'GET us-states',
      'POST request-number-s1 [service_key=a+b%26c%3Dd]',
      'POST request-number-s1 [service_key=k1&request_premium=0.3&state=AL]',
      'POST reuse-number-s1 [order_id=6]',
      'POST reject-number-s1 [order_id=6]',
      'GET number-details-s1?order_id=6',
      'GET reserved-list-s1',
      'GET services-s2',
      'POST request-number-s2 [key=k2&service_key=k2]',
      'POST request-number-s2 [key=k2&service_key=k2]',
      'POST request-number-s2 [key=k2&service_key=k2]',
      'POST request-number-s2 [key=k2&service_key=k2&areas=610%2C484]',
      'POST reject-number-s2 [order_id=6]',
      'GET number-details-s2?order_id=6',
      'GET reserved-list-s2',
      'GET rental-service-list',
      'GET rental-states',
      'POST request-rental-number [service_key=k3&duration=7]',
      'POST request-rental-number [service_key=k3&duration=30&state=NY]',
      'GET rental-reserve-list',
      'GET rental-message?order_id=6',
      'GET active-rental-numbers',
      'POST renew-rental [order_id=6&additional_days=14]',
      'POST cancel-rental [order_id=6]',
    ]);
    for (const r of calls) {
      expect(r.url).not.toContain(TOKEN);
      expect(r.headers.authorization).toBe(TOKEN);
      expect(r.headers.accept).toBe('application/json');
      if (r.method === 'POST') expect(r.headers['content-type']).toBe('application/x-www-form-urlencoded');
      else expect(r.body).toBeNull();
    }
    // The areas really arrive comma-separated.
    expect(new URLSearchParams(calls[13]!.body!).get('areas')).toBe('610,484');
  });

  describe('the Bearer fallback', () => {
    const unauthorized = () => okJson({ status: 'error', message: 'Unauthenticated.' }, { status: 401 });
    /** A server that accepts the token only in `form` (or in neither). */
    const accepting = (form: 'raw' | 'bearer' | 'none', other?: (r: Recorded) => Response) => (r: Recorded) => {
      const bearer = r.headers.authorization === `Bearer ${TOKEN}`;
      const ok = (form === 'bearer' && bearer) || (form === 'raw' && r.headers.authorization === TOKEN);
      return ok ? (other ?? canonical)(r) : unauthorized();
    };
    const form = (r: Recorded) => (r.headers.authorization === TOKEN ? 'raw' : r.headers.authorization === `Bearer ${TOKEN}` ? 'bearer' : '?');

    it('raw accepted: nothing retried, nothing reported', async () => {
      const { calls, fake } = recorder(accepting('raw'));
      const learned: string[] = [];
      const c = createText2faClient({ baseUrl: 'https://x.test', token: TOKEN, fetch: fake, onAuthForm: (f) => learned.push(f) });
      await c.accountDetails();
      await c.reservedListS1();
      expect(calls.map(form)).toEqual(['raw', 'raw']);
      expect(learned).toEqual([]);
    });

    it('only Bearer accepted: one retry as Bearer, reported once, then Bearer first', async () => {
      const { calls, fake } = recorder(accepting('bearer'));
      const learned: string[] = [];
      const c = createText2faClient({ baseUrl: 'https://x.test', token: TOKEN, fetch: fake, onAuthForm: (f) => learned.push(f) });
      expect((await c.accountDetails()).balance).toBe(1);
      await c.requestNumberS1({ serviceKey: 'k' });
      await c.reservedListS1();
      expect(calls.map(form)).toEqual(['raw', 'bearer', 'bearer', 'bearer']);
      expect(calls.map((r) => r.url)).toEqual([
        'https://x.test/account-details',
        'https://x.test/account-details',
        'https://x.test/request-number-s1',
        'https://x.test/reserved-list-s1',
      ]);
      expect(learned).toEqual(['bearer']);
    });

    it('started as Bearer for a server that wants the raw token: falls back the other way', async () => {
      const { calls, fake } = recorder(accepting('raw'));
      const learned: string[] = [];
      const c = createText2faClient({ baseUrl: 'https://x.test', token: TOKEN, fetch: fake, authForm: 'bearer', onAuthForm: (f) => learned.push(f) });
      await c.accountDetails();
      await c.accountDetails();
      expect(calls.map(form)).toEqual(['bearer', 'raw', 'raw']);
      expect(learned).toEqual(['raw']);
    });

    it('neither accepted: one unauthorized error with one message, after exactly two requests', async () => {
      const { calls, fake } = recorder(accepting('none'));
      const learned: string[] = [];
      const c = createText2faClient({ baseUrl: 'https://x.test', token: TOKEN, fetch: fake, onAuthForm: (f) => learned.push(f) });
      const err = await failure(c.accountDetails(), 'unauthorized');
      expect(err.message).toBe('Text2FA did not accept the API token. Check the token in the extension settings.');
      expect(calls.map(form)).toEqual(['raw', 'bearer']);
      expect(learned).toEqual([]);
    });

    it('a retry that proves nothing (a 500, a 429) is not remembered; a refusal only a signed-in request gets is', async () => {
      for (const [status, remembered] of [[500, false], [429, false], [402, true], [409, true]] as const) {
        const { calls, fake } = recorder(accepting('bearer', () => okJson({ status: 'error', message: 'x' }, { status })));
        const learned: string[] = [];
        const c = createText2faClient({ baseUrl: 'https://x.test', token: TOKEN, fetch: fake, onAuthForm: (f) => learned.push(f) });
        await c.accountDetails().catch(() => undefined);
        await c.accountDetails().catch(() => undefined);
        expect(learned, String(status)).toEqual(remembered ? ['bearer'] : []);
        expect(calls.map(form), String(status)).toEqual(remembered ? ['raw', 'bearer', 'bearer'] : ['raw', 'bearer', 'raw', 'bearer']);
      }
    });

    it('a throwing observer does not fail the request', async () => {
      const { fake } = recorder(accepting('bearer'));
      const c = createText2faClient({ baseUrl: 'https://x.test', token: TOKEN, fetch: fake, onAuthForm: () => { throw new Error('observer bug'); } });
      expect((await c.accountDetails()).balance).toBe(1);
    });

    it('against the simulator: raw refused, Bearer accepted, one purchase', async () => {
      await ctl('auth', { accepts: 'bearer' });
      const learned: string[] = [];
      const c = client({ onAuthForm: (f) => learned.push(f) });
      expectFreshOrder(await buyS1(c), 's1');
      expect(learned).toEqual(['bearer']);
      expect(((await ctl('counters')) as { purchases: number }).purchases).toBe(1);
      await failure(client({ token: 'not-a-real-token' }).accountDetails(), 'unauthorized');
    });
  });

  it('a rental answer without a duration keeps the one asked for', async () => {
    const { fake } = recorder(() => okJson({ data: { id: 3, phone: '2125550100' } }));
    const c = createText2faClient({ baseUrl: 'https://x.test', token: TOKEN, fetch: fake });
    expect(await c.requestRentalNumber({ serviceKey: 'k', duration: 14 })).toMatchObject({ orderId: '3', duration: 14, status: 'active' });
  });

  it('uses globalThis.fetch by default, called with its own this', async () => {
    const { calls, fake } = recorder(canonical);
    const guarded = function (this: unknown, input: RequestInfo | URL, init?: RequestInit) {
      if (this !== undefined && this !== globalThis) throw new TypeError('Illegal invocation');
      return fake(input, init);
    };
    vi.stubGlobal('fetch', guarded);
    try {
      await createText2faClient({ baseUrl: 'https://x.test/api/v1', token: TOKEN }).accountDetails();
    } finally {
      vi.unstubAllGlobals();
    }
    expect(calls).toHaveLength(1);
  });

  it('onServerTime gets the Date header with the injected clock; bad dates and throwing observers are harmless', async () => {
    const date = 'Wed, 01 Jan 2031 00:00:00 GMT';
    const seen: Array<[number, number]> = [];
    let header = date;
    const { fake } = recorder(() => okJson({ data: { balance: '1' } }, { headers: { Date: header } }));
    const c = createText2faClient({ baseUrl: 'https://x.test', token: TOKEN, fetch: fake, now: () => 1234, onServerTime: (s, l) => seen.push([s, l]) });
    await c.accountDetails();
    expect(seen).toEqual([[Date.parse(date), 1234]]);
    header = 'not a date';
    await c.accountDetails();
    expect(seen).toHaveLength(1);
    const throwing = createText2faClient({
      baseUrl: 'https://x.test',
      token: TOKEN,
      fetch: recorder(() => okJson({ data: { balance: '1' } }, { headers: { Date: date } })).fake,
      onServerTime: () => {
        throw new Error('observer bug');
      },
    });
    expect((await throwing.accountDetails()).balance).toBe(1);
  });

  it('timeout through the abort signal, clamped to 15 s', async () => {
    expect(clampTimeout(undefined)).toBe(MAX_TIMEOUT_MS);
    expect(clampTimeout(60_000)).toBe(15_000);
    expect(clampTimeout(0)).toBe(15_000);
    expect(clampTimeout(-1)).toBe(15_000);
    expect(clampTimeout(500)).toBe(500);

    const hanging: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    const c = createText2faClient({ baseUrl: 'https://x.test', token: TOKEN, fetch: hanging, timeoutMs: 30 });
    await failure(c.accountDetails(), 'timeout');

    // A body that stalls after the headers is also cut off by the timeout.
    const stallingBody: typeof fetch = async (_input, init) =>
      new Response(
        new ReadableStream({
          start(controller) {
            init?.signal?.addEventListener('abort', () => controller.error(new DOMException('aborted', 'AbortError')));
          },
        }),
      );
    await failure(createText2faClient({ baseUrl: 'https://x.test', token: TOKEN, fetch: stallingBody, timeoutMs: 30 }).accountDetails(), 'timeout');
  });

  it('an HTML page under 200, a wrong top-level type and a list without ids are malformed', async () => {
    const bodies = ['<html><body>Login</body></html>', '"done"', '[{"number":"1"}]'];
    for (const body of bodies) {
      const { fake } = recorder(() => new Response(body, { status: 200 }));
      const err = await failure(createText2faClient({ baseUrl: 'https://x.test', token: TOKEN, fetch: fake }).reservedListS1(), 'malformed');
      expect(err.bodySnippet).toBe(body);
    }
  });

  it('a non-listed status is http; fetch resolving to garbage is network, not a crash', async () => {
    const { fake } = recorder(() => new Response('{"message":"Forbidden for this plan"}', { status: 403 }));
    const err = await failure(createText2faClient({ baseUrl: 'https://x.test', token: TOKEN, fetch: fake }).accountDetails(), 'http');
    expect(err.message).toContain('Forbidden for this plan');
    const garbage = (async () => ({ status: 200 })) as unknown as typeof fetch;
    await failure(createText2faClient({ baseUrl: 'https://x.test', token: TOKEN, fetch: garbage }).accountDetails(), 'network');
  });

  it('a token echoed by the server, or in a fetch error, is redacted everywhere', async () => {
    tokens.add(TOKEN);
    const echo = recorder(
      (r) => new Response(JSON.stringify({ status: 'error', message: `Token ${r.headers.authorization} is not valid`, token: r.headers.authorization }), { status: 401 }),
    );
    const err = await failure(createText2faClient({ baseUrl: 'https://x.test', token: TOKEN, fetch: echo.fake }).accountDetails(), 'unauthorized');
    expect(err.bodySnippet).toContain('[redacted]');
    const html = recorder(() => new Response(`<html>${TOKEN}</html>`, { status: 200 }));
    await failure(createText2faClient({ baseUrl: 'https://x.test', token: TOKEN, fetch: html.fake }).accountDetails(), 'malformed');
    const e200 = recorder(() => okJson({ status: 'error', message: `Invalid API key ${encodeURIComponent(TOKEN)}` }));
    await failure(createText2faClient({ baseUrl: 'https://x.test', token: TOKEN, fetch: e200.fake }).accountDetails(), 'unauthorized');
    const throwing: typeof fetch = async () => {
      throw new TypeError(`Headers.append: "${TOKEN}" is an invalid header value.`);
    };
    await failure(createText2faClient({ baseUrl: 'https://x.test', token: TOKEN, fetch: throwing }).accountDetails(), 'network');
    const badChars = createText2faClient({ baseUrl: 'https://x.test', token: 'tok\nFAKE', fetch: throwing });
    tokens.add('tok\nFAKE');
    await failure(badChars.accountDetails(), 'unauthorized');
  });
});

describe('errors after the fact', () => {
  it('covered every error kind', () => {
    const kinds = new Set(seenErrors.map((e) => e.kind));
    const all: Text2faErrorKind[] = [
      'unauthorized', 'insufficient_balance', 'not_found', 'conflict', 'validation', 'rate_limited',
      'unavailable', 'server', 'http', 'network', 'timeout', 'malformed',
    ];
    expect(all.filter((k) => !kinds.has(k))).toEqual([]);
  });

  it('no token appears in any error message, stack, JSON, snippet or description', () => {
    expect(seenErrors.length).toBeGreaterThan(30);
    for (const err of seenErrors) {
      const surfaces = [err.message, err.stack ?? '', JSON.stringify(err), JSON.stringify(err.toJSON()), describeError(err), String(err)];
      for (const token of tokens) {
        for (const surface of surfaces) expect(surface.includes(token), `${err.kind} at ${err.endpoint} leaks a token`).toBe(false);
      }
    }
  });

  it('every error survives a round trip through JSON', () => {
    for (const err of seenErrors) {
      const revived = Text2faError.fromJSON(JSON.parse(JSON.stringify(err)));
      expect(revived.toJSON()).toEqual(err.toJSON());
    }
  });
});
