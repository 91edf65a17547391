/**
 * The Text2FA simulator over real HTTP: canonical shapes of all 21
 * endpoints, business rules, the control API, every shape variant and every
 * fault. One simulator on an ephemeral loopback port, reset before each test.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { extractCode } from '../../simulator/codes';
import {
  DEMO_TOKEN,
  ENDPOINT_NAMES,
  FAULT_KINDS,
  SHAPE_VARIANTS,
  startSimulator,
  type Simulator,
} from '../../simulator/server';

// Response bodies are arbitrary JSON; the assertions below are what type them.
type Body = any;

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: Body;
}

let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
});

afterAll(async () => {
  await sim.close();
});

beforeEach(async () => {
  await ctl('POST', '/reset');
});

async function answer(res: Response): Promise<Answer> {
  const text = await res.text();
  let body: Body = undefined;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, text, body };
}

interface CallOptions {
  token?: string | null;
  json?: boolean;
  signal?: AbortSignal;
}

/** GET an endpoint with query params. */
async function get(name: string, params: Record<string, string | number> = {}, opts: CallOptions = {}): Promise<Answer> {
  const query = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = opts.token === undefined ? DEMO_TOKEN : opts.token;
  if (token !== null) headers.Authorization = token;
  return answer(await fetch(`${sim.baseUrl}/${name}${query ? `?${query}` : ''}`, { headers, signal: opts.signal ?? null }));
}

/** POST an endpoint with a form body (or JSON with `json: true`). */
async function post(name: string, params: Record<string, string | number> = {}, opts: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = opts.token === undefined ? DEMO_TOKEN : opts.token;
  if (token !== null) headers.Authorization = token;
  let body: string | URLSearchParams;
  if (opts.json) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(params);
  } else {
    body = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
  }
  return answer(await fetch(`${sim.baseUrl}/${name}`, { method: 'POST', headers, body, signal: opts.signal ?? null }));
}

/** Calls the control API. */
async function ctl(method: string, path: string, body?: unknown): Promise<Answer> {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { 'Content-Type': 'application/json' };
  }
  return answer(await fetch(`${sim.url}/__sim${path}`, init));
}

async function advance(ms: number): Promise<void> {
  const res = await ctl('POST', '/clock', { advanceMs: ms });
  expect(res.status).toBe(200);
}

async function sms(target: { order_id?: number; number?: string }, text: string, extra: Record<string, string> = {}) {
  return ctl('POST', '/sms', { ...target, text, ...extra });
}

async function shape(...variants: string[]): Promise<void> {
  const res = await ctl('POST', '/shape', { variants });
  expect(res.status).toBe(200);
}

async function fault(spec: Record<string, unknown>): Promise<void> {
  const res = await ctl('POST', '/faults', spec);
  expect(res.status).toBe(200);
}

async function balance(token = DEMO_TOKEN): Promise<string> {
  return (await get('account-details', {}, { token })).body.data.balance;
}

async function counters(): Promise<Body> {
  return (await ctl('GET', '/counters')).body;
}

/** Service keys by pool and name, read once through the API itself. */
const keys: Record<'s1' | 's2' | 'rental', Record<string, string>> = { s1: {}, s2: {}, rental: {} };

beforeAll(async () => {
  const lists = {
    s1: await get('services-s1'),
    s2: await get('services-s2'),
    rental: await get('rental-service-list'),
  };
  for (const pool of ['s1', 's2', 'rental'] as const) {
    for (const row of lists[pool].body.data) keys[pool][row.name] = row.service_key;
  }
});

function key(pool: 's1' | 's2' | 'rental', name: string): string {
  const value = keys[pool][name];
  if (!value) throw new Error(`no ${pool} service named ${name}`);
  return value;
}

async function buyS1(name = 'Google', extra: Record<string, string | number> = {}): Promise<Body> {
  const res = await post('request-number-s1', { service_key: key('s1', name), ...extra });
  expect(res.status).toBe(200);
  return res.body.data;
}

async function buyS2(name = 'Google', extra: Record<string, string | number> = {}): Promise<Body> {
  const res = await post('request-number-s2', { key: key('s2', name), service_key: key('s2', name), ...extra });
  expect(res.status).toBe(200);
  return res.body.data;
}

async function buyRental(name = 'Telegram', duration = 7): Promise<Body> {
  const res = await post('request-rental-number', { service_key: key('rental', name), duration });
  expect(res.status).toBe(200);
  return res.body.data;
}

/** Waits for a condition checked over HTTP; generous deadline for a slow shared machine. */
async function eventually(check: () => Promise<boolean>, deadlineMs = 8000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;
const MONEY = /^\d+\.\d{2}$/;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe('extractCode', () => {
  it('takes the first 4-8 digit run and joins split codes', () => {
    expect(extractCode('G-482913 is your Google verification code.')).toBe('482913');
    expect(extractCode('Your code is 123-456')).toBe('123456');
    expect(extractCode('Code 123 456, ref 99887766')).toBe('123456');
    expect(extractCode('Use 1234 5678 to sign in')).toBe('12345678');
    expect(extractCode('Telegram code 67890')).toBe('67890');
    expect(extractCode('Welcome! Reply STOP to opt out.')).toBeNull();
    expect(extractCode('Only 12 34 here')).toBeNull();
  });
});

describe('HTTP basics', () => {
  it('serves account-details in the canonical shape with Date and JSON content type', async () => {
    const res = await get('account-details');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(Number.isNaN(Date.parse(res.headers.get('date') ?? ''))).toBe(false);
    expect(res.body).toEqual({
      status: 'success',
      data: { name: 'Demo User', email: 'demo@text2fa.test', balance: '50.00', currency: 'USD' },
    });
  });

  it('rejects a missing, unknown or Bearer-prefixed token with 401 JSON', async () => {
    for (const token of [null, 'nope', `Bearer ${DEMO_TOKEN}`]) {
      const res = await get('account-details', {}, { token });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(res.body.status).toBe('error');
      expect(typeof res.body.message).toBe('string');
    }
    const purchase = await post('request-number-s1', { service_key: key('s1', 'Google') }, { token: 'nope' });
    expect(purchase.status).toBe(401);
    expect((await counters()).purchases).toBe(0);
  });

  it('auth "bearer" accepts only "Bearer <token>"; "raw" (the default, and after a reset) only the raw token', async () => {
    expect((await ctl('GET', '/auth')).body).toEqual({ accepts: 'raw', known: ['raw', 'bearer'] });
    expect((await ctl('POST', '/auth', { accepts: 'bearer' })).body).toEqual({ accepts: 'bearer' });
    expect((await get('account-details', {}, { token: `Bearer ${DEMO_TOKEN}` })).status).toBe(200);
    expect((await get('account-details', {}, { token: `bearer   ${DEMO_TOKEN}` })).status).toBe(200);
    const raw = await get('account-details');
    expect(raw.status).toBe(401);
    expect(raw.body.message).toMatch(/Bearer <token>/);
    expect((await get('account-details', {}, { token: 'Bearer nope' })).status).toBe(401);
    expect((await post('request-number-s1', { service_key: key('s1', 'Google') })).status).toBe(401);
    expect((await counters()).purchases).toBe(0);
    expect((await ctl('GET', '/state')).body.auth).toBe('bearer');

    expect((await ctl('POST', '/auth', { accepts: 'both' })).status).toBe(400);
    await ctl('POST', '/reset');
    expect((await get('account-details')).status).toBe(200);
    expect((await get('account-details', {}, { token: `Bearer ${DEMO_TOKEN}` })).status).toBe(401);
  });

  it('answers unknown paths with 404 JSON and wrong methods with 405 JSON', async () => {
    const unknown = await get('no-such-endpoint');
    expect(unknown.status).toBe(404);
    expect(unknown.body.status).toBe('error');
    const outside = answer(await fetch(`${sim.url}/elsewhere`));
    expect((await outside).status).toBe(404);

    const wrong = await post('account-details');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
    expect(wrong.body.status).toBe('error');
    const wrongGet = await get('request-number-s1');
    expect(wrongGet.status).toBe(405);
    expect(wrongGet.headers.get('allow')).toBe('POST');
  });

  it('follows the simulated clock in the Date header', async () => {
    const before = Date.parse((await get('account-details')).headers.get('date') ?? '');
    await advance(3 * DAY);
    const after = Date.parse((await get('account-details')).headers.get('date') ?? '');
    expect(after - before).toBeGreaterThanOrEqual(3 * DAY - 1000);
  });

  it('accepts JSON bodies as well as forms', async () => {
    const res = await post('request-number-s1', { service_key: key('s1', 'Google') }, { json: true });
    expect(res.status).toBe(200);
    const bad = await answer(
      await fetch(`${sim.baseUrl}/request-number-s1`, {
        method: 'POST',
        headers: { Authorization: DEMO_TOKEN, 'Content-Type': 'application/json' },
        body: '{"service_key":',
      }),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.status).toBe('error');
  });
});

describe('catalogue', () => {
  it('lists at least 40 S1 services with stable six-character keys, prices and stock', async () => {
    const res = await get('services-s1');
    expect(res.status).toBe(200);
    const rows: Body[] = res.body.data;
    expect(rows.length).toBeGreaterThanOrEqual(40);
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(['available', 'name', 'price', 'service_key']);
      expect(row.service_key).toMatch(/^[a-z0-9]{6}$/);
      expect(row.price).toMatch(MONEY);
      expect(Number.isInteger(row.available)).toBe(true);
    }
    const names = rows.map((row) => row.name);
    for (const name of ['Google', 'WhatsApp', 'Telegram', 'X (Twitter)', 'Cash App', 'OpenAI', 'Etsy', 'Yelp']) {
      expect(names).toContain(name);
    }
    expect(new Set(rows.map((row) => row.service_key)).size).toBe(rows.length);
    expect(rows.some((row) => row.available === 0)).toBe(true);

    // Keys are derived from names, so a second simulator agrees with the first.
    const other = await startSimulator({ port: 0 });
    try {
      const again = await answer(await fetch(`${other.baseUrl}/services-s1`, { headers: { Authorization: other.demoToken } }));
      expect(again.body.data.map((row: Body) => row.service_key)).toEqual(rows.map((row) => row.service_key));
    } finally {
      await other.close();
    }
  });

  it('gives S2 services their own keys and prices', async () => {
    const res = await get('services-s2');
    const rows: Body[] = res.body.data;
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) {
      expect(row.service_key).toMatch(/^[a-z0-9]{6}$/);
      expect(row.price).toMatch(MONEY);
    }
    expect(key('s2', 'Google')).not.toBe(key('s1', 'Google'));
    expect(rows.some((row) => row.available === 0)).toBe(true);
  });

  it('lists rental services with durations, price for the shortest and price per day', async () => {
    const rows: Body[] = (await get('rental-service-list')).body.data;
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(['available', 'durations', 'name', 'price', 'price_per_day', 'service_key']);
      expect(row.durations.length).toBeGreaterThan(0);
      const shortest = Math.min(...row.durations);
      expect(Math.round(Number(row.price_per_day) * 100) * shortest).toBe(Math.round(Number(row.price) * 100));
    }
  });

  it('lists all 50 states plus DC, and the rental regions', async () => {
    const states: Body[] = (await get('us-states')).body.data;
    expect(states).toHaveLength(51);
    expect(states).toContainEqual({ code: 'AL', name: 'Alabama' });
    expect(states).toContainEqual({ code: 'DC', name: 'District of Columbia' });
    const regions: Body[] = (await get('rental-states')).body.data;
    expect(regions.length).toBeGreaterThanOrEqual(3);
    expect(regions).toContainEqual({ code: 'NY', name: 'New York' });
  });
});

describe('S1 numbers', () => {
  it('sells a number in the canonical shape, charging the balance and using stock', async () => {
    const stockBefore = (await get('services-s1')).body.data.find((row: Body) => row.name === 'Google').available;
    const res = await post('request-number-s1', { service_key: key('s1', 'Google') });
    expect(res.status).toBe(200);
    const order = res.body.data;
    expect(Object.keys(order).sort()).toEqual(['created_at', 'expires_at', 'number', 'order_id', 'price', 'service', 'status']);
    expect(Number.isInteger(order.order_id)).toBe(true);
    expect(order.number).toMatch(/^[2-9]\d{2}555\d{4}$/);
    expect(order).toMatchObject({ service: 'Google', price: '0.50', status: 'pending' });
    expect(order.created_at).toMatch(ISO);
    expect(Date.parse(order.expires_at) - Date.parse(order.created_at)).toBe(20 * MINUTE);
    expect(await balance()).toBe('49.50');
    const stockAfter = (await get('services-s1')).body.data.find((row: Body) => row.name === 'Google').available;
    expect(stockAfter).toBe(stockBefore - 1);

    const second = await buyS1('Google');
    expect(second.order_id).toBeGreaterThan(order.order_id);
    expect(second.number).not.toBe(order.number);
  });

  it('adds the premium to the price and honours the state', async () => {
    const order = await buyS1('Google', { request_premium: '0.25', state: 'NY' });
    expect(order.price).toBe('0.75');
    expect(['212', '718', '917']).toContain(order.number.slice(0, 3));
    expect(await balance()).toBe('49.25');
  });

  it('reports details, codes derived from the SMS, and a resent code replacing the first', async () => {
    const order = await buyS1();
    let details = await get('number-details-s1', { order_id: order.order_id });
    expect(details.status).toBe(200);
    expect(details.body.data).toMatchObject({ order_id: order.order_id, number: order.number, status: 'pending', code: null, sms: null });

    const delivered = await sms({ order_id: order.order_id }, 'G-482913 is your Google verification code.');
    expect(delivered.status).toBe(200);
    expect(delivered.body).toMatchObject({ order_id: order.order_id, status: 'received', code: '482913' });

    details = await get('number-details-s1', { order_id: order.order_id });
    expect(details.body.data).toMatchObject({ status: 'received', code: '482913', sms: 'G-482913 is your Google verification code.' });

    await sms({ order_id: order.order_id }, 'Your new code is 555-111', { code: '999000' });
    details = await get('number-details-s1', { order_id: order.order_id });
    expect(details.body.data).toMatchObject({ code: '999000', sms: 'Your new code is 555-111' });
  });

  it('lists live orders with status, code and sms, and drops finished ones', async () => {
    const a = await buyS1('Google');
    const b = await buyS1('WhatsApp');
    await sms({ order_id: b.order_id }, 'WhatsApp code 123-456');
    let rows: Body[] = (await get('reserved-list-s1')).body.data;
    expect(rows.map((row) => row.order_id).sort()).toEqual([a.order_id, b.order_id].sort());
    const rowB = rows.find((row) => row.order_id === b.order_id);
    expect(rowB).toMatchObject({ status: 'received', code: '123456', sms: 'WhatsApp code 123-456', number: b.number });

    await advance(MINUTE + 1000);
    expect((await post('reject-number-s1', { order_id: a.order_id })).status).toBe(200);
    rows = (await get('reserved-list-s1')).body.data;
    expect(rows.map((row) => row.order_id)).toEqual([b.order_id]);
  });

  it('refuses a reject during the first minute, then refunds it in full', async () => {
    const order = await buyS1('Google', { request_premium: '0.10' });
    expect(await balance()).toBe('49.40');
    const early = await post('reject-number-s1', { order_id: order.order_id });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ status: 'error', reason: 'too_early' });
    expect(early.headers.get('retry-after')).toMatch(/^\d+$/);

    await advance(61_000);
    const res = await post('reject-number-s1', { order_id: order.order_id });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ order_id: order.order_id, status: 'rejected', refund: '0.60', balance: '50.00' });
    expect(await balance()).toBe('50.00');
    expect((await get('number-details-s1', { order_id: order.order_id })).body.data.status).toBe('rejected');

    const again = await post('reject-number-s1', { order_id: order.order_id });
    expect(again.status).toBe(409);
    expect(again.body.reason).toBe('not_active');
  });

  it('refuses a reject once a code arrived', async () => {
    const order = await buyS1();
    await sms({ order_id: order.order_id }, 'Your code: 4821');
    await advance(2 * MINUTE);
    const res = await post('reject-number-s1', { order_id: order.order_id });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ status: 'error', reason: 'code_received' });
    expect(await balance()).toBe('49.50');
  });

  it('expires a pending order and completes a received one when the clock passes 20 minutes', async () => {
    const waiting = await buyS1('Google');
    const done = await buyS1('Telegram');
    await sms({ order_id: done.order_id }, 'Telegram code 67890');
    await advance(20 * MINUTE + 1000);
    expect((await get('number-details-s1', { order_id: waiting.order_id })).body.data.status).toBe('expired');
    expect((await get('number-details-s1', { order_id: done.order_id })).body.data).toMatchObject({
      status: 'completed',
      code: '67890',
    });
    expect((await get('reserved-list-s1')).body.data).toEqual([]);
    const reject = await post('reject-number-s1', { order_id: waiting.order_id });
    expect(reject.status).toBe(409);
    expect(reject.body.reason).toBe('not_active');
    // An expired number no longer receives anything.
    expect((await sms({ order_id: waiting.order_id }, 'late 1234')).status).toBe(409);
  });

  it('reuses a number after its code arrived, charging again, and refuses while it is pending or held', async () => {
    const order = await buyS1('Google');
    const pending = await post('reuse-number-s1', { order_id: order.order_id });
    expect(pending.status).toBe(409);
    expect(pending.body.reason).toBe('still_pending');

    await sms({ order_id: order.order_id }, 'code 1111');
    const res = await post('reuse-number-s1', { order_id: order.order_id });
    expect(res.status).toBe(200);
    const reused = res.body.data;
    expect(reused).toMatchObject({ number: order.number, service: 'Google', status: 'pending', price: '0.50' });
    expect(reused.order_id).toBeGreaterThan(order.order_id);
    expect(await balance()).toBe('49.00');
    expect((await counters()).purchases).toBe(2);

    const held = await post('reuse-number-s1', { order_id: order.order_id });
    expect(held.status).toBe(409);
    expect(held.body.reason).toBe('number_in_use');

    // An SMS to the shared number goes to the newest live order.
    const byNumber = await sms({ number: order.number }, 'code 2222');
    expect(byNumber.body.order_id).toBe(reused.order_id);

    const rejected = await buyS1('WhatsApp');
    await advance(2 * MINUTE);
    await post('reject-number-s1', { order_id: rejected.order_id });
    const noReuse = await post('reuse-number-s1', { order_id: rejected.order_id });
    expect(noReuse.status).toBe(409);
    expect(noReuse.body.reason).toBe('rejected');
  });

  it('hides orders of other accounts and other pools behind 404', async () => {
    const mine = await buyS1();
    const created = await ctl('POST', '/accounts', { token: 't2fa_other_account', balance: 5 });
    expect(created.body.token).toBe('t2fa_other_account');
    const theirs = await get('number-details-s1', { order_id: mine.order_id }, { token: 't2fa_other_account' });
    expect(theirs.status).toBe(404);
    expect(theirs.body.status).toBe('error');
    expect((await get('number-details-s1', { order_id: 999999 })).status).toBe(404);
    expect((await get('number-details-s2', { order_id: mine.order_id })).status).toBe(404);
    expect((await post('reject-number-s1', { order_id: 999999 })).status).toBe(404);
    expect((await get('reserved-list-s1', {}, { token: 't2fa_other_account' })).body.data).toEqual([]);
  });

  it('answers 402 without charging or ordering when the balance is short', async () => {
    await ctl('POST', '/balance', { token: DEMO_TOKEN, balance: '0.10' });
    const res = await post('request-number-s1', { service_key: key('s1', 'Google') });
    expect(res.status).toBe(402);
    expect(res.body.status).toBe('error');
    expect(await balance()).toBe('0.10');
    expect((await counters()).purchases).toBe(0);
    expect((await get('reserved-list-s1')).body.data).toEqual([]);
  });

  it('answers 503 for a sold-out service', async () => {
    const soldOut = (await get('services-s1')).body.data.find((row: Body) => row.available === 0);
    const res = await post('request-number-s1', { service_key: soldOut.service_key });
    expect(res.status).toBe(503);
    expect(res.body.status).toBe('error');
    expect(await balance()).toBe('50.00');
  });

  it('validates parameters with 422 and per-field errors', async () => {
    const cases: Array<[string, 'GET' | 'POST', Record<string, string | number>, string]> = [
      ['request-number-s1', 'POST', {}, 'service_key'],
      ['request-number-s1', 'POST', { service_key: 'zzzzzz' }, 'service_key'],
      ['request-number-s1', 'POST', { service_key: key('s2', 'Google') }, 'service_key'],
      ['request-number-s1', 'POST', { service_key: key('s1', 'Google'), state: 'XX' }, 'state'],
      ['request-number-s1', 'POST', { service_key: key('s1', 'Google'), request_premium: '-1' }, 'request_premium'],
      ['request-number-s1', 'POST', { service_key: key('s1', 'Google'), request_premium: 'lots' }, 'request_premium'],
      ['number-details-s1', 'GET', { order_id: 'abc' }, 'order_id'],
      ['number-details-s1', 'GET', {}, 'order_id'],
      ['reject-number-s1', 'POST', { order_id: '1.5' }, 'order_id'],
      ['reuse-number-s1', 'POST', {}, 'order_id'],
      ['request-number-s2', 'POST', {}, 'service_key'],
      ['request-number-s2', 'POST', { key: key('s2', 'Google'), service_key: key('s2', 'Telegram') }, 'service_key'],
      ['request-number-s2', 'POST', { key: key('s2', 'Google'), areas: '61' }, 'areas'],
      ['request-number-s2', 'POST', { key: key('s2', 'Google'), areas: '610,abc' }, 'areas'],
      ['request-rental-number', 'POST', { service_key: key('rental', 'Telegram') }, 'duration'],
      ['request-rental-number', 'POST', { service_key: key('rental', 'Telegram'), duration: 5 }, 'duration'],
      ['request-rental-number', 'POST', { service_key: key('rental', 'Telegram'), duration: 7, state: 'AK' }, 'state'],
      ['request-rental-number', 'POST', { duration: 7 }, 'service_key'],
      ['renew-rental', 'POST', { order_id: 1001, additional_days: 0 }, 'additional_days'],
      ['renew-rental', 'POST', { order_id: 1001, additional_days: 'two' }, 'additional_days'],
      ['rental-message', 'GET', { order_id: '-3' }, 'order_id'],
      ['cancel-rental', 'POST', {}, 'order_id'],
    ];
    for (const [name, method, params, field] of cases) {
      const res = method === 'GET' ? await get(name, params) : await post(name, params);
      expect(res.status, `${name} ${JSON.stringify(params)}`).toBe(422);
      expect(res.body.status).toBe('error');
      expect(typeof res.body.message).toBe('string');
      expect(res.body.errors[field], `${name} ${JSON.stringify(params)}`).toEqual([expect.any(String)]);
    }
    expect(await balance()).toBe('50.00');
    expect((await counters()).purchases).toBe(0);
  });
});

describe('S2 numbers', () => {
  it('accepts key, service_key or both, and honours area codes', async () => {
    const byKey = await post('request-number-s2', { key: key('s2', 'Google') });
    expect(byKey.status).toBe(200);
    expect(byKey.body.data).toMatchObject({ service: 'Google', price: '0.45', status: 'pending' });
    const byServiceKey = await post('request-number-s2', { service_key: key('s2', 'Telegram') });
    expect(byServiceKey.status).toBe(200);
    const withAreas = await buyS2('WhatsApp', { areas: '610, 484' });
    expect(['610', '484']).toContain(withAreas.number.slice(0, 3));
    expect(withAreas.number).toMatch(/^\d{3}555\d{4}$/);
    const json = await post('request-number-s2', { key: key('s2', 'Google'), areas: '215' }, { json: true });
    expect(json.body.data.number.slice(0, 3)).toBe('215');
    expect(await balance()).toBe('47.85');
  });

  it('serves details, lists, rejects and 503 for S2', async () => {
    const order = await buyS2('Google');
    await sms({ order_id: order.order_id }, 'Your code is 246 810');
    const details = await get('number-details-s2', { order_id: order.order_id });
    expect(details.body.data).toMatchObject({ status: 'received', code: '246810', sms: 'Your code is 246 810' });
    expect((await get('reserved-list-s2')).body.data).toHaveLength(1);
    expect((await get('reserved-list-s1')).body.data).toHaveLength(0);

    const other = await buyS2('Telegram');
    expect((await post('reject-number-s2', { order_id: other.order_id })).body.reason).toBe('too_early');
    await advance(90_000);
    const rejected = await post('reject-number-s2', { order_id: other.order_id });
    expect(rejected.body.data).toMatchObject({ order_id: other.order_id, status: 'rejected', refund: '0.55' });
    expect((await post('reject-number-s2', { order_id: order.order_id })).body.reason).toBe('code_received');
    // An S2 order is not an S1 order.
    expect((await post('reject-number-s1', { order_id: order.order_id })).status).toBe(404);

    const soldOut = (await get('services-s2')).body.data.find((row: Body) => row.available === 0);
    expect((await post('request-number-s2', { key: soldOut.service_key })).status).toBe(503);
  });
});

describe('rentals', () => {
  it('rents a number for the chosen duration, in the chosen region', async () => {
    const res = await post('request-rental-number', { service_key: key('rental', 'Telegram'), duration: 14, state: 'TX' });
    expect(res.status).toBe(200);
    const order = res.body.data;
    expect(Object.keys(order).sort()).toEqual([
      'created_at',
      'duration',
      'expires_at',
      'number',
      'order_id',
      'price',
      'service',
      'status',
    ]);
    expect(order).toMatchObject({ service: 'Telegram', duration: 14, status: 'active', price: '4.20' });
    expect(['214', '512', '713']).toContain(order.number.slice(0, 3));
    expect(Date.parse(order.expires_at) - Date.parse(order.created_at)).toBe(14 * DAY);
    expect(await balance()).toBe('45.80');
    expect((await counters()).purchases).toBe(1);
  });

  it('collects several messages with increasing ids and shows the latest in lists', async () => {
    const order = await buyRental('Telegram', 7);
    let inbox = await get('rental-message', { order_id: order.order_id });
    expect(inbox.body.data).toEqual({ order_id: order.order_id, number: order.number, messages: [] });

    await sms({ order_id: order.order_id }, 'Telegram code 11111', { from: '42777' });
    await sms({ number: order.number }, 'Your login code is 222-333');
    inbox = await get('rental-message', { order_id: order.order_id });
    const messages: Body[] = inbox.body.data.messages;
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatchObject({ from: '42777', message: 'Telegram code 11111', code: '11111' });
    expect(messages[0].received_at).toMatch(ISO);
    expect(messages[1]).toMatchObject({ message: 'Your login code is 222-333', code: '222333' });
    expect(messages[1].id).toBeGreaterThan(messages[0].id);

    const listed = (await get('active-rental-numbers')).body.data;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ order_id: order.order_id, status: 'active', code: '222333', duration: 7 });
    expect((await get('rental-reserve-list')).body.data).toHaveLength(1);
  });

  it('renews at the daily rate and extends the expiry', async () => {
    const order = await buyRental('Telegram', 7);
    const res = await post('renew-rental', { order_id: order.order_id, additional_days: 3 });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      order_id: order.order_id,
      expires_at: new Date(Date.parse(order.expires_at) + 3 * DAY).toISOString(),
      price: '0.90',
      balance: '47.00',
    });
    await ctl('POST', '/balance', { token: DEMO_TOKEN, balance: '0.50' });
    expect((await post('renew-rental', { order_id: order.order_id, additional_days: 30 })).status).toBe(402);
  });

  it('cancels with a full refund in the first hour before any message', async () => {
    const order = await buyRental('Telegram', 7);
    await post('renew-rental', { order_id: order.order_id, additional_days: 1 });
    const res = await post('cancel-rental', { order_id: order.order_id });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ order_id: order.order_id, status: 'cancelled', refund: '2.40', balance: '50.00' });
    expect((await get('rental-reserve-list')).body.data).toEqual([]);
    expect((await get('active-rental-numbers')).body.data).toEqual([]);
    expect((await post('cancel-rental', { order_id: order.order_id })).body.reason).toBe('not_active');
    expect((await post('renew-rental', { order_id: order.order_id, additional_days: 1 })).status).toBe(409);
  });

  it('refunds only unused whole days once a message arrived', async () => {
    const order = await buyRental('Telegram', 7);
    await sms({ order_id: order.order_id }, 'code 5555');
    await advance(2 * DAY + 3 * 60 * MINUTE);
    const res = await post('cancel-rental', { order_id: order.order_id });
    // 7 days bought, 2 days 3 hours used: 4 whole days left at 0.30.
    expect(res.body.data).toMatchObject({ status: 'cancelled', refund: '1.20', balance: '49.10' });
  });

  it('expires with the clock: gone from active, still reserved, no renew', async () => {
    const order = await buyRental('Telegram', 7);
    await advance(7 * DAY + 1000);
    expect((await get('active-rental-numbers')).body.data).toEqual([]);
    const reserved = (await get('rental-reserve-list')).body.data;
    expect(reserved).toHaveLength(1);
    expect(reserved[0].status).toBe('expired');
    const renew = await post('renew-rental', { order_id: order.order_id, additional_days: 7 });
    expect(renew.status).toBe(409);
    expect(renew.body.reason).toBe('not_active');
    expect((await get('rental-message', { order_id: order.order_id })).status).toBe(200);
    expect((await get('rental-message', { order_id: 424242 })).status).toBe(404);
  });

  it('answers 503 for a sold-out rental', async () => {
    const soldOut = (await get('rental-service-list')).body.data.find((row: Body) => row.available === 0);
    const res = await post('request-rental-number', { service_key: soldOut.service_key, duration: soldOut.durations[0] });
    expect(res.status).toBe(503);
  });
});

describe('control API', () => {
  it('delivers SMS by number, newest live order first, and reports misses', async () => {
    const order = await buyS1();
    const formatted = `+1 (${order.number.slice(0, 3)}) ${order.number.slice(3, 6)}-${order.number.slice(6)}`;
    const res = await sms({ number: formatted }, 'Code 8642');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ order_id: order.order_id, code: '8642', status: 'received' });
    expect((await sms({ number: '2015550000' }, 'x 1234')).status).toBe(404);
    expect((await sms({ order_id: 987654 }, 'x 1234')).status).toBe(404);
    expect((await ctl('POST', '/sms', { order_id: order.order_id })).status).toBe(400);

    // code: null is an SMS that carries no code at all, digits in the text notwithstanding.
    const bare = await buyS1('Telegram');
    const noCode = await ctl('POST', '/sms', { order_id: bare.order_id, text: 'Ref 12345: welcome', code: null });
    expect(noCode.body).toMatchObject({ status: 'received', code: null, sms: 'Ref 12345: welcome' });
  });

  it('describes itself at /__sim/ and lists state', async () => {
    const help = await ctl('GET', '');
    expect(help.status).toBe(200);
    expect(help.body.endpoints).toHaveLength(21);
    expect(help.body.control).toContain('POST /__sim/sms');
    await buyS1();
    const state = (await ctl('GET', '/state')).body;
    expect(state.orders).toHaveLength(1);
    expect(state.orders[0]).toMatchObject({ pool: 's1', token: DEMO_TOKEN, status: 'pending', paid: '0.50' });
  });

  it('creates accounts with given or random tokens and sets balances', async () => {
    const random = await ctl('POST', '/accounts', { balance: 3, name: 'Ann', email: 'ann@example.test' });
    expect(random.status).toBe(200);
    expect(random.body.token).toMatch(/^\S{16,}$/);
    const details = await get('account-details', {}, { token: random.body.token });
    expect(details.body.data).toEqual({ name: 'Ann', email: 'ann@example.test', balance: '3.00', currency: 'USD' });
    expect((await ctl('POST', '/accounts', { token: random.body.token })).status).toBe(409);
    expect((await ctl('POST', '/balance', { token: random.body.token, balance: 12.5 })).status).toBe(200);
    expect(await balance(random.body.token)).toBe('12.50');
    expect((await ctl('POST', '/balance', { token: 'missing', balance: 1 })).status).toBe(404);
  });

  it('counts requests per endpoint and purchases, but not control calls', async () => {
    await buyS1();
    await get('account-details');
    await get('account-details');
    await post('request-number-s1', {});
    await get('no-such-endpoint');
    const snapshot = await counters();
    expect(Object.keys(snapshot.requests).sort()).toEqual([...ENDPOINT_NAMES].sort());
    expect(snapshot.requests['account-details']).toBe(2);
    expect(snapshot.requests['request-number-s1']).toBe(2);
    expect(snapshot.requests['services-s2']).toBe(0);
    expect(snapshot.total).toBe(4);
    expect(snapshot.purchases).toBe(1);
    const cleared = await ctl('POST', '/counters/reset');
    expect(cleared.body).toMatchObject({ purchases: 0, total: 0 });
    expect((await counters()).total).toBe(0);
  });

  it('resets orders, accounts, balance, clock, shape and faults', async () => {
    await buyS1();
    await ctl('POST', '/accounts', { token: 't2fa_temp' });
    await advance(DAY);
    await shape('no-envelope');
    await fault({ fault: '500', count: 5 });
    const reset = await ctl('POST', '/reset');
    expect(reset.status).toBe(200);
    const state = (await ctl('GET', '/state')).body;
    expect(state.orders).toEqual([]);
    expect(state.accounts.map((account: Body) => account.token)).toEqual([DEMO_TOKEN]);
    expect(state.faults).toEqual([]);
    expect(state.shape).toEqual([]);
    expect(state.offsetMs).toBe(0);
    const details = await get('account-details');
    expect(details.status).toBe(200);
    expect(details.body.data.balance).toBe('50.00');
    expect((await counters()).purchases).toBe(0);
    expect((await buyS1()).order_id).toBe(1001);
  });

  it('rejects bad control input', async () => {
    expect((await ctl('POST', '/clock', { advanceMs: -5 })).status).toBe(400);
    expect((await ctl('POST', '/shape', { variants: ['nonsense'] })).status).toBe(400);
    expect((await ctl('POST', '/shape', { variants: ['aliases-a', 'aliases-b'] })).status).toBe(400);
    expect((await ctl('POST', '/shape', { variants: ['no-envelope', 'envelope-result'] })).status).toBe(400);
    expect((await ctl('POST', '/faults', { fault: 'explode' })).status).toBe(400);
    expect((await ctl('POST', '/faults', { fault: '500', endpoint: 'nowhere' })).status).toBe(400);
    expect((await ctl('GET', '/nowhere')).status).toBe(404);
    expect((await ctl('GET', '/reset')).status).toBe(405);
  });

  it('uses a custom demo balance and refuses a bad one', async () => {
    const rich = await startSimulator({ port: 0, demoBalance: 7.25 });
    try {
      const res = await answer(await fetch(`${rich.baseUrl}/account-details`, { headers: { Authorization: rich.demoToken } }));
      expect(res.body.data.balance).toBe('7.25');
    } finally {
      await rich.close();
    }
    await expect(startSimulator({ port: 0, demoBalance: -1 })).rejects.toThrow(RangeError);
  });
});

describe('shape variants', () => {
  /** An S1 order with an SMS and a rental with a message, to look at in each shape. */
  async function fixtures(): Promise<{ s1: Body; rental: Body }> {
    const s1 = await buyS1('Google');
    await sms({ order_id: s1.order_id }, 'G-123456 is your code');
    const rental = await buyRental('Telegram', 7);
    await sms({ order_id: rental.order_id }, 'Telegram code 77777');
    return { s1, rental };
  }

  it('knows every documented variant', () => {
    expect([...SHAPE_VARIANTS].sort()).toEqual(
      [
        'aliases-a',
        'aliases-b',
        'aliases-c',
        'envelope-response',
        'envelope-result',
        'envelope-results',
        'lists-without-codes',
        'no-envelope',
        'sms-only',
        'success-flag',
        'swap-types',
        'unknown-status',
        'guide',
      ].sort(),
    );
  });

  it('no-envelope: data at the top level, lists bare, errors without a status marker', async () => {
    await shape('no-envelope');
    expect((await get('account-details')).body).toEqual({
      name: 'Demo User',
      email: 'demo@text2fa.test',
      balance: '50.00',
      currency: 'USD',
    });
    const states = (await get('us-states')).body;
    expect(Array.isArray(states)).toBe(true);
    expect(states).toHaveLength(51);
    const order = (await post('request-number-s1', { service_key: key('s1', 'Google') })).body;
    expect(order).toMatchObject({ service: 'Google', status: 'pending' });
    const error = await get('account-details', {}, { token: 'nope' });
    expect(error.status).toBe(401);
    expect(error.body.status).toBeUndefined();
    expect(typeof error.body.message).toBe('string');
  });

  it.each(['result', 'results', 'response'])('envelope-%s: data under that key', async (name) => {
    await shape(`envelope-${name}`);
    const body = (await get('account-details')).body;
    expect(body.status).toBe('success');
    expect(body.data).toBeUndefined();
    expect(body[name]).toMatchObject({ balance: '50.00' });
    expect(Array.isArray((await get('services-s1')).body[name])).toBe(true);
  });

  it('success-flag: success true instead of status, false on errors', async () => {
    await shape('success-flag');
    const body = (await get('account-details')).body;
    expect(body.success).toBe(true);
    expect(body.status).toBeUndefined();
    expect(body.data.balance).toBe('50.00');
    const error = (await get('number-details-s1', { order_id: 5 })).body;
    expect(error).toMatchObject({ success: false });
    expect(error.status).toBeUndefined();
  });

  it('swap-types: ids as strings, money as numbers, stock as strings', async () => {
    const { s1 } = await fixtures();
    await shape('swap-types');
    const details = (await get('number-details-s1', { order_id: s1.order_id })).body.data;
    expect(details.order_id).toBe(String(s1.order_id));
    expect(details.price).toBe(0.5);
    expect((await get('account-details')).body.data.balance).toBe(47.4);
    const service = (await get('services-s1')).body.data[0];
    expect(typeof service.available).toBe('string');
    expect(typeof service.price).toBe('number');
    const rental = (await get('rental-service-list')).body.data[0];
    expect(typeof rental.price_per_day).toBe('number');
  });

  it('aliases-a: id, phone, otp, message, expiry in unix seconds', async () => {
    const { s1, rental } = await fixtures();
    await shape('aliases-a');
    const details = (await get('number-details-s1', { order_id: s1.order_id })).body.data;
    expect(details).toMatchObject({ id: s1.order_id, phone: s1.number, otp: '123456', message: 'G-123456 is your code' });
    expect(details.expiry).toBe(Math.floor(Date.parse(s1.expires_at) / 1000));
    for (const gone of ['order_id', 'number', 'code', 'sms', 'expires_at']) expect(details).not.toHaveProperty(gone);
    const inbox = (await get('rental-message', { order_id: rental.order_id })).body.data;
    expect(inbox).toMatchObject({ id: rental.order_id, phone: rental.number });
    expect(inbox.messages[0]).toMatchObject({ message: 'Telegram code 77777', otp: '77777' });
  });

  it('aliases-b: orderId, phone_number, sms_code, text, end_time in unix milliseconds', async () => {
    const { s1, rental } = await fixtures();
    await shape('aliases-b');
    const rows = (await get('reserved-list-s1')).body.data;
    expect(rows[0]).toMatchObject({ orderId: s1.order_id, phone_number: s1.number, sms_code: '123456', text: 'G-123456 is your code' });
    expect(rows[0].end_time).toBe(Date.parse(s1.expires_at));
    const inbox = (await get('rental-message', { order_id: rental.order_id })).body.data;
    expect(inbox.messages[0]).toMatchObject({ text: 'Telegram code 77777', sms_code: '77777' });
    const bought = (await post('request-number-s2', { key: key('s2', 'Google') })).body.data;
    expect(Object.keys(bought).sort()).toEqual(['created_at', 'end_time', 'orderId', 'phone_number', 'price', 'service', 'status']);
  });

  it('aliases-c: mdn, pin, full_sms on S1, body elsewhere, expiration as ISO', async () => {
    const { s1, rental } = await fixtures();
    await shape('aliases-c');
    const details = (await get('number-details-s1', { order_id: s1.order_id })).body.data;
    expect(details).toMatchObject({ order_id: s1.order_id, mdn: s1.number, pin: '123456', full_sms: 'G-123456 is your code' });
    expect(details.expiration).toBe(s1.expires_at);
    const listed = (await get('active-rental-numbers')).body.data[0];
    expect(listed).toMatchObject({ mdn: rental.number, pin: '77777', body: 'Telegram code 77777' });
    const inbox = (await get('rental-message', { order_id: rental.order_id })).body.data;
    expect(inbox.messages[0]).toMatchObject({ body: 'Telegram code 77777', pin: '77777' });
  });

  it('sms-only: no code field where the SMS text is present', async () => {
    const { s1, rental } = await fixtures();
    await shape('sms-only');
    const details = (await get('number-details-s1', { order_id: s1.order_id })).body.data;
    expect(details.sms).toBe('G-123456 is your code');
    expect(details).not.toHaveProperty('code');
    const inbox = (await get('rental-message', { order_id: rental.order_id })).body.data;
    expect(inbox.messages[0]).not.toHaveProperty('code');
    expect(inbox.messages[0].message).toBe('Telegram code 77777');
  });

  it('lists-without-codes: list rows lose status, code and sms; details keep them', async () => {
    const { s1 } = await fixtures();
    await shape('lists-without-codes');
    for (const name of ['reserved-list-s1', 'rental-reserve-list', 'active-rental-numbers']) {
      const rows: Body[] = (await get(name)).body.data;
      expect(rows).toHaveLength(1);
      for (const gone of ['status', 'code', 'sms']) expect(rows[0]).not.toHaveProperty(gone);
      expect(rows[0]).toHaveProperty('order_id');
    }
    expect((await get('number-details-s1', { order_id: s1.order_id })).body.data).toMatchObject({ status: 'received', code: '123456' });
  });

  it('unknown-status: unfamiliar status words', async () => {
    const { s1, rental } = await fixtures();
    const pending = await buyS1('Telegram');
    await shape('unknown-status');
    expect((await get('number-details-s1', { order_id: pending.order_id })).body.data.status).toBe('waiting_for_sms');
    expect((await get('number-details-s1', { order_id: s1.order_id })).body.data.status).toBe('sms_received');
    const rentalRow = (await get('active-rental-numbers')).body.data[0];
    expect(rentalRow.order_id).toBe(rental.order_id);
    expect(['active', 'pending', 'received']).not.toContain(rentalRow.status);
  });

  it("guide: number_id everywhere, messages {from, message, received_at} without id or code, rental-message as one message", async () => {
    const { s1, rental } = await fixtures();
    await shape('guide');
    const details = (await get('number-details-s1', { order_id: s1.order_id })).body.data;
    expect(details).toMatchObject({ number_id: s1.order_id, number: s1.number, sms: 'G-123456 is your code', status: 'received' });
    for (const gone of ['order_id', 'code']) expect(details).not.toHaveProperty(gone);
    expect((await get('reserved-list-s1')).body.data[0]).toMatchObject({ number_id: s1.order_id });
    expect((await get('active-rental-numbers')).body.data[0]).toMatchObject({ number_id: rental.order_id, sms: 'Telegram code 77777' });
    const bought = (await post('request-number-s1', { service_key: key('s1', 'Google') })).body.data;
    expect(Object.keys(bought).sort()).toEqual(['created_at', 'expires_at', 'number', 'number_id', 'price', 'service', 'status']);

    await sms({ order_id: rental.order_id }, 'Telegram code 88888', { from: '+1 555 0100' });
    const inbox = (await get('rental-message', { order_id: rental.order_id })).body.data;
    expect(Object.keys(inbox).sort()).toEqual(['from', 'message', 'number', 'number_id', 'received_at']);
    expect(inbox).toMatchObject({ number_id: rental.order_id, number: rental.number, from: '+1 555 0100', message: 'Telegram code 88888' });
    expect(inbox.received_at).toMatch(ISO);

    const fresh = await buyRental('Telegram', 7);
    const empty = (await get('rental-message', { order_id: fresh.number_id })).body.data;
    expect(empty).toEqual({ number_id: fresh.number_id, number: fresh.number, messages: [] });
    const refund = (await post('cancel-rental', { order_id: fresh.number_id })).body.data;
    expect(refund).toMatchObject({ number_id: fresh.number_id, status: 'cancelled' });
    expect(refund).not.toHaveProperty('order_id');
  });

  it('guide is an alias set: it does not combine with another', async () => {
    const res = await ctl('POST', '/shape', { variants: ['guide', 'aliases-a'] });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/one alias variant/);
  });

  it('combines variants', async () => {
    const { s1 } = await fixtures();
    await shape('envelope-result', 'success-flag', 'swap-types', 'aliases-b');
    const body = (await get('number-details-s1', { order_id: s1.order_id })).body;
    expect(body.success).toBe(true);
    expect(body.result).toMatchObject({ orderId: String(s1.order_id), price: 0.5, sms_code: '123456' });
    await shape();
    expect((await get('number-details-s1', { order_id: s1.order_id })).body.data.order_id).toBe(s1.order_id);
  });
});

describe('faults', () => {
  it('knows every documented fault', () => {
    expect([...FAULT_KINDS].sort()).toEqual(
      ['429', '500', '503', 'custom', 'drop', 'drop-after', 'empty', 'error-200', 'html', 'malformed', 'slow'].sort(),
    );
  });

  it('custom: the given body and status verbatim, once, without processing the request', async () => {
    const body = '{"status":"success","data":[{"number_id":"x","phone":"+1 (205) 555-0147"';
    await fault({ fault: 'custom', endpoint: 'request-number-s1', body });
    const answer = await post('request-number-s1', { service_key: key('s1', 'Google') });
    expect([answer.status, answer.text, answer.headers.get('content-type')]).toEqual([200, body, 'application/json']);
    expect((await counters()).purchases).toBe(0);
    await fault({ fault: 'custom', body: '<p>teapot</p>', status: 418 });
    expect((await get('account-details')).status).toBe(418);
    expect((await get('account-details')).status).toBe(200);
    for (const bad of [{ fault: 'custom' }, { fault: 'custom', body: 'x', status: 99 }, { fault: '500', body: 'x' }]) {
      expect((await ctl('POST', '/faults', bad)).status).toBe(400);
    }
  });

  it('429 with the default and a verbatim Retry-After, without processing the request', async () => {
    await fault({ fault: '429' });
    const limited = await post('request-number-s1', { service_key: key('s1', 'Google') });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(limited.body.status).toBe('error');
    expect((await counters()).purchases).toBe(0);

    const date = 'Wed, 21 Oct 2026 07:28:00 GMT';
    await fault({ fault: '429', retryAfter: date });
    const dated = await get('account-details');
    expect(dated.headers.get('retry-after')).toBe(date);
    expect((await get('account-details')).status).toBe(200);
  });

  it('500, 503 and error-200 answer JSON errors', async () => {
    await fault({ fault: '500' });
    const server = await get('account-details');
    expect(server.status).toBe(500);
    expect(server.body.status).toBe('error');

    await fault({ fault: '503' });
    const unavailable = await post('request-number-s1', { service_key: key('s1', 'Google') });
    expect(unavailable.status).toBe(503);
    expect(unavailable.body.message).toMatch(/no numbers available/i);

    await fault({ fault: 'error-200' });
    const hidden = await get('account-details');
    expect(hidden.status).toBe(200);
    expect(hidden.body).toMatchObject({ status: 'error', message: expect.any(String) });
    expect((await counters()).purchases).toBe(0);
  });

  it('malformed, html and empty answers', async () => {
    await fault({ fault: 'malformed' });
    const malformed = await get('account-details');
    expect(malformed.status).toBe(200);
    expect(malformed.text.length).toBeGreaterThan(0);
    expect(() => JSON.parse(malformed.text)).toThrow();

    await fault({ fault: 'html' });
    const html = await get('account-details');
    expect(html.status).toBe(502);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.text).toMatch(/<html>/);

    await fault({ fault: 'empty' });
    const empty = await get('account-details');
    expect(empty.status).toBe(200);
    expect(empty.text).toBe('');
  });

  it('matches the endpoint and the count', async () => {
    await fault({ fault: '500', endpoint: 'number-details-s1', count: 2 });
    expect((await get('account-details')).status).toBe(200);
    expect((await get('number-details-s1', { order_id: 1 })).status).toBe(500);
    expect((await get('number-details-s1', { order_id: 1 })).status).toBe(500);
    expect((await get('number-details-s1', { order_id: 1 })).status).toBe(404);

    await fault({ fault: '500', count: 3 });
    expect((await ctl('GET', '/faults')).body.queued).toHaveLength(1);
    expect((await ctl('DELETE', '/faults')).status).toBe(200);
    expect((await get('account-details')).status).toBe(200);
  });

  it('slow processes the request at once and answers later', async () => {
    await fault({ fault: 'slow', delayMs: 60_000 });
    const abort = new AbortController();
    let settled = false;
    const pending = post('request-number-s1', { service_key: key('s1', 'Google') }, { signal: abort.signal }).finally(() => {
      settled = true;
    });
    await eventually(async () => (await counters()).purchases === 1);
    expect(settled).toBe(false);
    expect(await balance()).toBe('49.50');
    abort.abort();
    await expect(pending).rejects.toThrow();

    await fault({ fault: 'slow', delayMs: 50 });
    const late = await post('request-number-s1', { service_key: key('s1', 'Telegram') });
    expect(late.status).toBe(200);
    expect(late.body.data).toMatchObject({ service: 'Telegram', status: 'pending' });
    expect((await counters()).purchases).toBe(2);
  });

  it('drop loses the request: nothing is bought', async () => {
    await fault({ fault: 'drop' });
    await expect(post('request-number-s1', { service_key: key('s1', 'Google') })).rejects.toThrow();
    const snapshot = await counters();
    expect(snapshot.requests['request-number-s1']).toBe(1);
    expect(snapshot.purchases).toBe(0);
    expect(await balance()).toBe('50.00');
    expect((await get('reserved-list-s1')).body.data).toEqual([]);
  });

  it('drop-after loses the answer: the purchase went through', async () => {
    await fault({ fault: 'drop-after' });
    await expect(post('request-number-s1', { service_key: key('s1', 'Google') })).rejects.toThrow();
    const snapshot = await counters();
    expect(snapshot.requests['request-number-s1']).toBe(1);
    expect(snapshot.purchases).toBe(1);
    expect(await balance()).toBe('49.50');
    const rows: Body[] = (await get('reserved-list-s1')).body.data;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ service: 'Google', status: 'pending' });
  });

  it('close() does not wait for a pending slow answer', async () => {
    const other = await startSimulator({ port: 0 });
    await fetch(`${other.url}/__sim/faults`, { method: 'POST', body: JSON.stringify({ fault: 'slow', delayMs: 60_000 }) });
    const pending = fetch(`${other.baseUrl}/account-details`, { headers: { Authorization: other.demoToken } });
    await eventually(async () => {
      const res = await fetch(`${other.url}/__sim/counters`);
      return ((await res.json()) as Body).total === 1;
    });
    await other.close();
    await expect(pending).rejects.toThrow();
  });
});
