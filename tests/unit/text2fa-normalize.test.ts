import { describe, expect, it } from 'vitest';
import {
  Text2faError,
  createText2faError,
  describeError,
  interpretResponse,
  isAwaitingCode,
  isRetryable,
  isText2faError,
  isText2faErrorJSON,
  normalizeAccount,
  normalizeOrder,
  normalizeOrderList,
  normalizeRefund,
  normalizeRegions,
  normalizeRenew,
  normalizeRentalMessages,
  normalizeRentalServices,
  normalizeServices,
  normalizeStatus,
  parseBody,
  parseRetryAfter,
  redactSecret,
  ShapeError,
  toNumber,
  toTimestamp,
  type RawResponse,
  type RemoteOrder,
} from '../../utils/text2fa';
import { unwrapEnvelope, bodySignalsFailure, findList } from '../../utils/text2fa/normalize';
import { kindFromMessage, conflictReasonFromMessage, readErrorDetails } from '../../utils/text2fa/response';

const TOKEN = 't2fa_secret_TOKEN_42';
const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);
const ISO = '2025-01-01T12:20:00.000Z';
const ISO_MS = Date.parse(ISO);

/** Runs a body through the whole pure pipeline, as the client does. */
function interpret<T>(body: unknown, decode: (p: unknown) => T, status = 200, extra: Partial<RawResponse> = {}): T {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return interpretResponse({ endpoint: 'number-details-s1', status, body: text, ...extra }, decode, { now: NOW, token: TOKEN });
}

function interpretError(body: unknown, status = 200, extra: Partial<RawResponse> = {}): Text2faError {
  try {
    interpret(body, (p) => normalizeOrder(p, 's1'), status, extra);
  } catch (err) {
    if (err instanceof Text2faError) return err;
    throw new Error(`expected a Text2faError, got ${String(err)}`);
  }
  throw new Error('expected an error, got a result');
}

const canonicalOrder = {
  order_id: 6,
  number: '2055550123',
  service: 'Google',
  price: '0.60',
  status: 'pending',
  created_at: '2025-01-01T12:00:00.000Z',
  expires_at: ISO,
  code: null,
  sms: null,
};

describe('scalars', () => {
  it.each([
    [0.75, 0.75],
    ['0.75', 0.75],
    [' 12 ', 12],
    ['$1.50', 1.5],
    ['12.', 12],
    ['.5', 0.5],
    ['-3', -3],
    ['1e2', 100],
    ['', null],
    ['abc', null],
    ['1,234.50', null],
    [NaN, null],
    [Infinity, null],
    [null, null],
    [true, null],
    [{}, null],
  ])('toNumber(%j) = %j', (input, expected) => {
    expect(toNumber(input)).toBe(expected);
  });

  it.each([
    ['ISO with zone', ISO, ISO_MS],
    ['ISO without zone is UTC', '2025-01-01T12:20:00', ISO_MS],
    ['SQL-style date-time is UTC', '2025-01-01 12:20:00', ISO_MS],
    ['ISO with offset', '2025-01-01T13:20:00+01:00', ISO_MS],
    ['unix seconds', ISO_MS / 1000, ISO_MS],
    ['unix seconds as string', String(ISO_MS / 1000), ISO_MS],
    ['unix milliseconds', ISO_MS, ISO_MS],
    ['unix milliseconds as string', String(ISO_MS), ISO_MS],
    ['unix microseconds', ISO_MS * 1000, ISO_MS],
    ['fractional seconds', ISO_MS / 1000 + 0.5, ISO_MS + 500],
    ['zero', 0, null],
    ['negative', -5, null],
    ['garbage', 'soon', null],
    ['empty', '', null],
    ['null', null, null],
    ['object', {}, null],
  ])('toTimestamp: %s', (_name, input, expected) => {
    expect(toTimestamp(input)).toBe(expected);
  });

  it.each([
    ['pending', 'pending'],
    ['PENDING', 'pending'],
    [' waiting ', 'pending'],
    ['received', 'received'],
    ['sms_received', 'received'],
    ['SMS Received', 'received'],
    ['success', 'received'],
    ['rejected', 'rejected'],
    ['expired', 'expired'],
    ['completed', 'completed'],
    ['finished', 'completed'],
    ['active', 'active'],
    ['cancelled', 'cancelled'],
    ['canceled', 'cancelled'],
  ] as const)('normalizeStatus(%j) is %s', (word, status) => {
    expect(normalizeStatus(word)).toEqual({ status, rawStatus: word.trim() });
  });

  it.each([['in_use'], ['timed_out'], ['refunded'], ['terminated'], ['Ожидание']])(
    'unknown status %j is kept verbatim',
    (word) => {
      expect(normalizeStatus(word)).toEqual({ status: 'unknown', rawStatus: word });
    },
  );

  it('a missing or non-string status is unknown with the value as text', () => {
    expect(normalizeStatus(undefined)).toEqual({ status: 'unknown', rawStatus: '' });
    expect(normalizeStatus(null)).toEqual({ status: 'unknown', rawStatus: '' });
    expect(normalizeStatus(3)).toEqual({ status: 'unknown', rawStatus: '3' });
    // A prototype key must not be mistaken for a known word.
    expect(normalizeStatus('constructor')).toEqual({ status: 'unknown', rawStatus: 'constructor' });
  });
});

describe('envelopes and success flags', () => {
  const envelopes: Array<[string, unknown]> = [
    ['data', { status: 'success', data: canonicalOrder }],
    ['result', { status: 'success', result: canonicalOrder }],
    ['results', { status: 'success', results: canonicalOrder }],
    ['response', { status: 'success', response: canonicalOrder }],
    ['no envelope', canonicalOrder],
    ['success flag', { success: true, data: canonicalOrder }],
    ['success flag without envelope', { success: true, ...canonicalOrder }],
    ['"success" as a string', { success: 'true', data: canonicalOrder }],
    ['nested envelope', { response: { status: 'success', data: canonicalOrder } }],
    ['ok flag', { ok: true, result: canonicalOrder }],
  ];

  it.each(envelopes)('reads an order inside: %s', (_name, body) => {
    const order = interpret(body, (p) => normalizeOrder(p, 's1'));
    expect(order).toMatchObject({ orderId: '6', number: '2055550123', status: 'pending', price: 0.6, expiresAt: ISO_MS });
  });

  it('a top-level "status": "success" without envelope is the envelope word, not the order status', () => {
    const { status: _s, ...rest } = canonicalOrder;
    const order = interpret({ status: 'success', ...rest }, (p) => normalizeOrder(p, 's1'));
    expect(order.status).toBe('unknown');
    expect(order.rawStatus).toBe('');
  });

  const lists: Array<[string, unknown]> = [
    ['top-level list', [canonicalOrder]],
    ['list in data', { status: 'success', data: [canonicalOrder] }],
    ['list in results', { status: 'success', results: [canonicalOrder] }],
    ['list in response', { success: true, response: [canonicalOrder] }],
    ['paginated list', { status: 'success', data: { current_page: 1, data: [canonicalOrder] } }],
    ['named list', { status: 'success', data: { orders: [canonicalOrder] } }],
    ['single order instead of a list', { status: 'success', data: canonicalOrder }],
    ['object keyed by id', { status: 'success', data: { '6': { ...canonicalOrder, order_id: undefined } } }],
  ];

  it.each(lists)('reads an order list: %s', (_name, body) => {
    const list = interpret(body, (p) => normalizeOrderList(p, 's1'));
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ orderId: '6', number: '2055550123', pool: 's1' });
  });

  it.each([
    ['empty list', { status: 'success', data: [] }],
    ['null data', { status: 'success', data: null }],
    ['empty object', { status: 'success', data: {} }],
  ])('an empty list: %s', (_name, body) => {
    expect(interpret(body, (p) => normalizeOrderList(p, 's1'))).toEqual([]);
  });

  it.each([
    ['status error', { status: 'error', message: 'x' }, true],
    ['status ERROR', { status: 'ERROR', message: 'x' }, true],
    ['status false', { status: false }, true],
    ['success false', { success: false, message: 'x' }, true],
    ['success "false"', { success: 'false' }, true],
    ['success 0', { success: 0 }, true],
    ['ok false', { ok: false }, true],
    ['error true', { error: true }, true],
    ['bare error string', { error: 'Invalid key' }, true],
    ['status failed without an order', { status: 'failed', message: 'x' }, true],
    ['status failed on an order is an order state', { status: 'failed', order_id: 5 }, false],
    ['status success', { status: 'success', data: {} }, false],
    ['error null', { error: null, data: {} }, false],
    ['error string beside data', { error: '', data: {} }, false],
    ['a list', [], false],
    ['a string', 'OK', false],
  ])('bodySignalsFailure: %s', (_name, body, failed) => {
    expect(bodySignalsFailure(body)).toBe(failed);
  });

  it('unwrapEnvelope leaves lists and scalars alone', () => {
    expect(unwrapEnvelope([1])).toEqual([1]);
    expect(unwrapEnvelope(null)).toBeNull();
    expect(findList({ data: { items: [1, 2] } })).toEqual([1, 2]);
    expect(findList({ a: 1 })).toBeNull();
  });
});

describe('HTTP 200 carrying an error', () => {
  it.each([
    ['insufficient balance', { status: 'error', message: 'Insufficient balance' }, 'insufficient_balance'],
    ['invalid token', { success: false, message: 'Invalid API token' }, 'unauthorized'],
    ['order not found', { status: 'error', message: 'Order not found' }, 'not_found'],
    ['no numbers', { status: 'error', message: 'No numbers available for Google' }, 'unavailable'],
    ['rate limit', { status: 'error', message: 'Too many requests' }, 'rate_limited'],
    ['too early', { status: 'error', message: 'Too early to reject, wait 60 seconds' }, 'conflict'],
    ['embedded status code', { status: 'error', code: 402, message: 'Nope' }, 'insufficient_balance'],
    ['embedded status_code', { success: false, status_code: '404', message: 'Nope' }, 'not_found'],
    ['reason word', { status: 'error', reason: 'code_received', message: 'Nope' }, 'conflict'],
    ['field errors', { status: 'error', errors: { service_key: ['Unknown service.'] } }, 'validation'],
    ['bare error', { error: 'Service temporarily unavailable' }, 'unavailable'],
    ['unexplained', { status: 'error', message: 'Something odd' }, 'server'],
    ['no message at all', { status: 'error' }, 'server'],
  ] as const)('%s → %s', (_name, body, kind) => {
    const err = interpretError(body, 200);
    expect(err.kind).toBe(kind);
    expect(err.status).toBe(200);
    expect(err.endpoint).toBe('number-details-s1');
    expect(err.message.length).toBeGreaterThan(10);
  });

  it('keeps the server words of an unexplained error in the message', () => {
    const err = interpretError({ status: 'error', message: 'Something odd' });
    expect(err.serverMessage).toBe('Something odd');
    expect(err.message).toContain('Something odd');
  });

  it('a 409-like message infers the conflict reason', () => {
    expect(interpretError({ status: 'error', message: 'SMS already received for this order' }).reason).toBe('code_received');
    expect(interpretError({ status: 'error', message: 'Too early to reject' }).reason).toBe('too_early');
  });
});

describe('HTTP statuses', () => {
  it.each([
    [401, 'unauthorized'],
    [402, 'insufficient_balance'],
    [404, 'not_found'],
    [409, 'conflict'],
    [422, 'validation'],
    [429, 'rate_limited'],
    [503, 'unavailable'],
    [500, 'server'],
    [502, 'server'],
    [504, 'server'],
    [400, 'http'],
    [403, 'http'],
    [418, 'http'],
    [301, 'http'],
  ] as const)('%i → %s, with JSON, HTML or an empty body', (status, kind) => {
    for (const body of [{ status: 'error', message: 'x' }, '<html><body>Bad gateway</body></html>', '']) {
      const err = interpretError(body, status);
      expect(err.kind).toBe(kind);
      expect(err.status).toBe(status);
    }
  });

  it('409 reason from the body, from the message, or unknown', () => {
    expect(interpretError({ status: 'error', reason: 'too_early', message: 'x' }, 409).reason).toBe('too_early');
    expect(interpretError({ status: 'error', reason: 'code_received', message: 'x' }, 409).reason).toBe('code_received');
    expect(interpretError({ message: 'An SMS has already arrived on this number' }, 409).reason).toBe('code_received');
    expect(interpretError({ message: 'A number can be rejected 60 seconds after purchase; try again in 12 s.' }, 409).reason).toBe('too_early');
    const unknown = interpretError({ status: 'error', reason: 'not_active', message: 'This number has expired.' }, 409);
    expect(unknown.reason).toBe('unknown');
    expect(unknown.message).toContain('This number has expired.');
  });

  it('422 keeps field errors and shows them', () => {
    const err = interpretError({ status: 'error', message: 'Invalid', errors: { duration: ['Pick 7, 14 or 30 days'], state: 'Unknown state' } }, 422);
    expect(err.fieldErrors).toEqual({ duration: ['Pick 7, 14 or 30 days'], state: ['Unknown state'] });
    expect(err.message).toContain('Pick 7, 14 or 30 days.');
    expect(err.message).toContain('Unknown state.');
  });

  it('400 with field errors is a validation error', () => {
    expect(interpretError({ errors: { order_id: ['required'] } }, 400).kind).toBe('validation');
  });

  it.each([
    ['delta seconds', '7', 7000],
    ['fractional delta', '1.5', 1500],
    ['HTTP-date', new Date(NOW + 30_000).toUTCString(), 30_000],
    ['HTTP-date in the past', new Date(NOW - 30_000).toUTCString(), 0],
  ])('429 Retry-After as %s', (_name, header, ms) => {
    const err = interpretError({ status: 'error', message: 'slow down' }, 429, { retryAfter: header });
    expect(err.retryAfterMs).toBe(ms);
    expect(err.message).toMatch(/Try again in \d+ seconds?\./);
  });

  it('429 without a usable Retry-After falls back to the body, then to nothing', () => {
    expect(interpretError({ message: 'x', retry_after: 3 }, 429).retryAfterMs).toBe(3000);
    expect(interpretError({ message: 'x' }, 429, { retryAfter: 'tomorrow-ish' }).retryAfterMs).toBeUndefined();
  });

  it.each([
    [null, undefined],
    ['', undefined],
    ['0', 0],
    ['120', 120_000],
    ['nonsense', undefined],
  ])('parseRetryAfter(%j)', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });

  it('503 speaks of stock only on purchase endpoints', () => {
    const buy = (() => {
      try {
        interpretResponse({ endpoint: 'request-number-s1', status: 503, body: '{"message":"none"}' }, () => null, { now: NOW });
      } catch (e) {
        return e as Text2faError;
      }
      throw new Error('no error');
    })();
    expect(buy.message).toMatch(/No numbers are available/);
    expect(interpretError({ message: 'down' }, 503).message).toMatch(/temporarily unavailable/);
  });

  it('204 No Content is a success for actions', () => {
    const result = interpretResponse({ endpoint: 'reject-number-s1', status: 204, body: '' }, (p) => normalizeRefund(p, '7', 'rejected'), { now: NOW });
    expect(result).toEqual({ orderId: '7', status: 'rejected', rawStatus: '', refund: null, balance: null });
  });
});

describe('malformed answers', () => {
  it.each([
    ['empty body', '', /empty/],
    ['whitespace body', '  \n ', /empty/],
    ['HTML page', '<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>', /web page/],
    ['truncated JSON', '{"status":"success","data":{"order_id":6,"num', /not valid JSON/],
    ['plain text', 'OK', /not valid JSON/],
    ['no order id', { status: 'success', data: { number: '2055550123', status: 'pending' } }, /no order id/],
    ['a number at top level', 42, /got a number/],
    ['a string payload', { status: 'success', data: 'done' }, /got a string/],
    ['a list where an order belongs', { status: 'success', data: [1, 2] }, /got a list/],
    ['null order', { status: 'success', data: null }, /got null/],
  ])('%s → malformed', (_name, body, detail) => {
    const err = interpretError(body, 200);
    expect(err.kind).toBe('malformed');
    expect(err.status).toBe(200);
    expect(err.message).toMatch(detail);
    expect(err.bodySnippet).toBe((typeof body === 'string' ? body : JSON.stringify(body)).slice(0, 300));
  });

  it('keeps only the first 300 characters of the body', () => {
    const body = '<html>' + 'x'.repeat(1000);
    expect(interpretError(body).bodySnippet).toHaveLength(300);
  });

  it('a reader that crashes becomes malformed, not a crash', () => {
    let err: unknown;
    try {
      interpret({ status: 'success', data: {} }, () => {
        throw new TypeError('boom');
      });
    } catch (e) {
      err = e;
    }
    expect(isText2faError(err) && err.kind).toBe('malformed');
  });

  it.each([
    ['orders: item without id', () => normalizeOrderList([{ number: '1' }], 's1')],
    ['orders: scalar', () => normalizeOrderList('x', 's1')],
    ['orders: list of strings', () => normalizeOrderList(['x'], 's1')],
    ['account: no balance', () => normalizeAccount({ name: 'A' })],
    ['account: list', () => normalizeAccount([1, 2])],
    ['services: number', () => normalizeServices(3, 's1')],
    ['services: item without key', () => normalizeServices([{ name: 'Google' }], 's1')],
    ['regions: number', () => normalizeRegions(3)],
    ['regions: empty objects', () => normalizeRegions([{}])],
    ['messages: number', () => normalizeRentalMessages(3, '1')],
    ['messages: unrelated object', () => normalizeRentalMessages({ foo: 1 }, '1')],
    ['refund: list', () => normalizeRefund([], '1', 'rejected')],
    ['renew: number', () => normalizeRenew(5, '1')],
    ['purchase without number', () => normalizeOrder({ order_id: 1 }, 's1', { requireNumber: true })],
    ['details about nothing', () => normalizeOrder({ service: 'Google' }, 's1', { fallbackOrderId: '1' })],
  ])('%s throws a ShapeError', (_name, fn) => {
    expect(fn).toThrow(ShapeError);
  });

  it('parseBody tells the problems apart', () => {
    expect(parseBody('')).toMatchObject({ ok: false, problem: 'empty' });
    expect(parseBody('<html>')).toMatchObject({ ok: false, problem: 'html' });
    expect(parseBody('{"a":')).toMatchObject({ ok: false, problem: 'invalid_json' });
    expect(parseBody('\uFEFF{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
  });
});

describe('orders: aliases, types and codes', () => {
  const expected: Partial<RemoteOrder> = {
    pool: 's1',
    orderId: '6',
    number: '2055550123',
    code: '481516',
    sms: 'Your code is 481516',
    expiresAt: ISO_MS,
  };

  it.each([
    ['canonical', { order_id: 6, number: '2055550123', code: '481516', sms: 'Your code is 481516', expires_at: ISO }],
    ['aliases-a', { id: 6, phone: '2055550123', otp: '481516', message: 'Your code is 481516', expiry: ISO_MS / 1000 }],
    ['aliases-b', { orderId: 6, phone_number: '2055550123', sms_code: '481516', text: 'Your code is 481516', end_time: ISO_MS }],
    ['aliases-c', { order_id: '6', mdn: 2055550123, pin: 481516, full_sms: 'Your code is 481516', expiration: ISO }],
    ['body + orderID', { orderID: '6', number: '2055550123', code: '481516', body: 'Your code is 481516', expires_at: String(ISO_MS / 1000) }],
    ['nested order', { order: { order_id: 6, number: '2055550123', code: '481516', sms: 'Your code is 481516', expires_at: ISO } }],
  ])('%s', (_name, rec) => {
    expect(normalizeOrder(rec, 's1')).toMatchObject(expected);
  });

  it.each([
    ['order_id', { order_id: 1 }],
    ['id', { id: 1 }],
    ['orderId', { orderId: 1 }],
    ['number_id (the guide)', { number_id: 1 }],
  ])('order id alias %s', (_name, rec) => {
    expect(normalizeOrder({ ...rec, number: 'n' }, 's1').orderId).toBe('1');
  });

  it("the guide's number_id wherever orders appear: purchases, lists, keyed lists, refunds, renewals, inboxes", () => {
    const guideOrder = { number_id: 6, number: '2055550123', status: 'pending', created_at: ISO, expires_at: ISO };
    expect(interpret({ status: 'success', data: guideOrder }, (p) => normalizeOrder(p, 's1', { requireNumber: true }))).toMatchObject({
      orderId: '6',
      number: '2055550123',
    });
    expect(normalizeOrderList([guideOrder, { ...guideOrder, number_id: '7' }], 's1').map((o) => o.orderId)).toEqual(['6', '7']);
    expect(normalizeOrderList(guideOrder, 's1').map((o) => o.orderId)).toEqual(['6']);
    expect(normalizeOrderList({ orders: [guideOrder] }, 'rental').map((o) => o.orderId)).toEqual(['6']);
    expect(normalizeRefund({ number_id: 8, status: 'rejected', refund: '0.50' }, '6', 'rejected').orderId).toBe('8');
    expect(normalizeRenew({ number_id: 8, expires_at: ISO }, '6').orderId).toBe('8');
    expect(normalizeRentalMessages({ number_id: 8, number: '2055550123', messages: [] }, '6').orderId).toBe('8');
    // An order-less body saying "failed" is an error; an order saying it is not.
    expect(bodySignalsFailure({ number_id: 6, status: 'failed' })).toBe(false);
  });

  it('an SMS given as one message object {from, message, received_at} (no code) gives its text and code', () => {
    const order = normalizeOrder({ number_id: 6, status: 'received', message: { from: 'Google', message: 'G-551177 is your code', received_at: ISO } }, 's1');
    expect(order).toMatchObject({ orderId: '6', sms: 'G-551177 is your code', code: '551177', hasDetail: true });
  });

  it.each(['number', 'phone', 'phone_number', 'mdn'])('phone alias %s', (key) => {
    expect(normalizeOrder({ order_id: 1, [key]: '2055550100' }, 's1').number).toBe('2055550100');
  });

  it.each(['code', 'otp', 'sms_code', 'pin'])('code alias %s', (key) => {
    expect(normalizeOrder({ order_id: 1, [key]: '9876' }, 's1').code).toBe('9876');
  });

  it.each(['sms', 'message', 'text', 'full_sms', 'body'])('SMS alias %s', (key) => {
    expect(normalizeOrder({ order_id: 1, [key]: 'hello', code: null }, 's1').sms).toBe('hello');
  });

  it.each(['expires_at', 'expiry', 'end_time', 'expiration'])('expiry alias %s (ISO, s, ms)', (key) => {
    for (const value of [ISO, ISO_MS / 1000, ISO_MS]) {
      expect(normalizeOrder({ order_id: 1, [key]: value }, 's1').expiresAt).toBe(ISO_MS);
    }
  });

  it.each(['created_at', 'created', 'start_time'])('created alias %s', (key) => {
    expect(normalizeOrder({ order_id: 1, [key]: ISO }, 's1').createdAt).toBe(ISO_MS);
  });

  it.each(['service', 'service_name', 'name'])('service alias %s', (key) => {
    expect(normalizeOrder({ order_id: 1, [key]: 'Google' }, 's1').service).toBe('Google');
  });

  it('service as an object', () => {
    expect(normalizeOrder({ order_id: 1, service: { key: 'abc', name: 'Google' } }, 's1').service).toBe('Google');
  });

  it.each(['price', 'cost', 'amount'])('price alias %s, as string or number', (key) => {
    expect(normalizeOrder({ order_id: 1, [key]: '0.60' }, 's1').price).toBe(0.6);
    expect(normalizeOrder({ order_id: 1, [key]: 0.6 }, 's1').price).toBe(0.6);
  });

  it('ids as numbers or strings, phone as a number', () => {
    const a = normalizeOrder({ order_id: 1001, number: 2055550123 }, 's1');
    const b = normalizeOrder({ order_id: '1001', number: '2055550123' }, 's1');
    expect(a.orderId).toBe('1001');
    expect(a).toEqual(b);
  });

  it.each([
    ['plain', 'Your Google verification code is 123456', '123456'],
    ['G- prefix', 'G-482913 is your Google verification code.', '482913'],
  ])('code extracted from the SMS when missing: %s', (_name, sms, code) => {
    expect(normalizeOrder({ order_id: 1, sms }, 's1').code).toBe(code);
    expect(normalizeOrder({ order_id: 1, sms, code: null }, 's1').code).toBe(code);
    expect(normalizeOrder({ order_id: 1, sms, code: '' }, 's1').code).toBe(code);
  });

  it('an explicit code wins over the SMS text', () => {
    expect(normalizeOrder({ order_id: 1, sms: 'Your code is 123456', code: '654321' }, 's1').code).toBe('654321');
  });

  it('an SMS without a code gives null, not undefined', () => {
    const order = normalizeOrder({ order_id: 1, sms: 'Welcome aboard!' }, 's1');
    expect(order.code).toBeNull();
    expect(order.sms).toBe('Welcome aboard!');
  });

  it('an SMS given as a list of messages uses the latest', () => {
    expect(normalizeOrder({ order_id: 1, sms: [{ text: 'code 1111' }, { text: 'code 2222' }] }, 's1')).toMatchObject({
      sms: 'code 2222',
      code: '2222',
    });
  });

  it('hasDetail is false only when none of status, code and SMS is carried', () => {
    expect(normalizeOrder({ order_id: 1, number: 'n' }, 's1').hasDetail).toBe(false);
    expect(normalizeOrder({ order_id: 1, number: 'n', status: 'pending' }, 's1').hasDetail).toBe(true);
    expect(normalizeOrder({ order_id: 1, number: 'n', code: null }, 's1').hasDetail).toBe(true);
    expect(normalizeOrder({ order_id: 1, number: 'n', otp: null }, 's1').hasDetail).toBe(true);
    expect(normalizeOrder({ order_id: 1, number: 'n', message: null }, 's1').hasDetail).toBe(true);
  });

  it('unknown status words are kept verbatim', () => {
    const order = normalizeOrder({ order_id: 1, status: 'in_use' }, 'rental');
    expect(order.status).toBe('unknown');
    expect(order.rawStatus).toBe('in_use');
  });

  it('a purchase without status is pending; details without one are unknown', () => {
    expect(normalizeOrder({ order_id: 1, number: 'n' }, 's1', { defaultStatus: 'pending' }).status).toBe('pending');
    expect(normalizeOrder({ order_id: 1, number: 'n' }, 's1').status).toBe('unknown');
  });

  it('details without an id use the id asked about', () => {
    expect(normalizeOrder({ number: 'n', status: 'pending' }, 's1', { fallbackOrderId: '77' }).orderId).toBe('77');
  });

  it('no field is ever undefined', () => {
    const order = normalizeOrder({ id: 1 }, 's2');
    for (const [key, value] of Object.entries(order)) expect(value, key).not.toBeUndefined();
    expect(order).toEqual({
      pool: 's2',
      orderId: '1',
      number: '',
      service: null,
      price: null,
      status: 'unknown',
      rawStatus: '',
      createdAt: null,
      expiresAt: null,
      code: null,
      sms: null,
      duration: null,
      hasDetail: false,
    });
  });
});

describe('other readers', () => {
  it.each([
    ['canonical', { name: 'Demo', email: 'd@x', balance: '12.50', currency: 'USD' }],
    ['balance as a number, lower-case currency', { name: 'Demo', email: 'd@x', balance: 12.5, currency: 'usd' }],
    ['aliases', { username: 'Demo', mail: 'd@x', credit: '12.5' }],
    ['nested user', { user: { name: 'Demo', email: 'd@x', balance: '12.50' } }],
  ])('account: %s', (_name, payload) => {
    expect(normalizeAccount(payload)).toEqual({ name: 'Demo', email: 'd@x', balance: 12.5, currency: 'USD' });
  });

  it.each([
    ['canonical', [{ service_key: 'ee1fdp', name: 'Google', price: '0.50', available: 120 }]],
    ['swapped types', [{ service_key: 'ee1fdp', name: 'Google', price: 0.5, available: '120' }]],
    ['aliases', [{ key: 'ee1fdp', service_name: 'Google', cost: '0.5', stock: 120 }]],
    ['keyed object', { ee1fdp: { name: 'Google', price: '0.50', available: 120 } }],
    ['named list', { services: [{ service_key: 'ee1fdp', name: 'Google', price: '0.50', count: 120 }] }],
    ['keyed object under a list key', { services: { ee1fdp: { name: 'Google', price: '0.50', available: 120 } } }],
  ])('services: %s', (_name, payload) => {
    expect(normalizeServices(payload, 's1')).toEqual([{ pool: 's1', key: 'ee1fdp', name: 'Google', price: 0.5, available: 120 }]);
  });

  it('services: key-to-name map, missing price and stock are null', () => {
    expect(normalizeServices({ ab12cd: 'Telegram' }, 's2')).toEqual([
      { pool: 's2', key: 'ab12cd', name: 'Telegram', price: null, available: null },
    ]);
  });

  it.each([
    ['canonical', { service_key: 'k', name: 'Google', price: '2.10', price_per_day: '0.30', durations: [7, 14, 30] }],
    ['strings, derived price', { service_key: 'k', name: 'Google', price_per_day: 0.3, durations: ['30', '7', '14', '7'] }],
    ['comma list', { service_key: 'k', name: 'Google', price: 2.1, daily_price: '0.3', durations: '7,14,30' }],
    ['objects', { service_key: 'k', name: 'Google', price: 2.1, price_per_day: 0.3, durations: [{ days: 7 }, { days: 14 }, { days: 30 }] }],
  ])('rental services: %s', (_name, item) => {
    expect(normalizeRentalServices([item])).toEqual([
      { pool: 'rental', key: 'k', name: 'Google', price: 2.1, available: null, durations: [7, 14, 30], pricePerDay: 0.3 },
    ]);
  });

  it.each([
    ['canonical', [{ code: 'AL', name: 'Alabama' }]],
    ['aliases', [{ abbr: 'AL', state: 'Alabama' }]],
    ['map', { AL: 'Alabama' }],
    ['named list', { states: [{ state_code: 'AL', name: 'Alabama' }] }],
  ])('regions: %s', (_name, payload) => {
    expect(normalizeRegions(payload)).toEqual([{ code: 'AL', name: 'Alabama' }]);
  });

  it('regions: bare codes', () => {
    expect(normalizeRegions(['AL'])).toEqual([{ code: 'AL', name: 'AL' }]);
  });

  it.each([
    [
      'canonical',
      { order_id: 9, number: '2125550100', messages: [{ id: 1, from: 'Google', message: 'G-123456 is your code', code: '123456', received_at: ISO }] },
    ],
    [
      'aliases and extracted code',
      { id: '9', phone: '2125550100', sms: [{ message_id: '1', sender: 'Google', text: 'G-123456 is your code', date: ISO_MS / 1000 }] },
    ],
  ])('rental messages: %s', (_name, payload) => {
    expect(normalizeRentalMessages(payload, '9')).toEqual({
      orderId: '9',
      number: '2125550100',
      messages: [{ id: '1', from: 'Google', text: 'G-123456 is your code', code: '123456', receivedAt: ISO_MS }],
    });
  });

  describe("the guide's single message object {from, message, received_at}, with no code and no id", () => {
    const guideMessage = { from: 'Google', message: 'G-123456 is your code', received_at: ISO };
    const read = { id: expect.stringMatching(/^m[0-9a-z]+$/), from: 'Google', text: 'G-123456 is your code', code: '123456', receivedAt: ISO_MS };

    it('spread over the top level, as its webhook payload, with number_id or order_id', () => {
      for (const idKey of ['number_id', 'order_id']) {
        expect(normalizeRentalMessages({ [idKey]: 9, number: '2125550100', ...guideMessage }, '1')).toEqual({
          orderId: '9',
          number: '2125550100',
          messages: [read],
        });
      }
      expect(normalizeRentalMessages(guideMessage, '9')).toEqual({ orderId: '9', number: null, messages: [read] });
    });

    it('under "messages" as one object instead of a list, or as a map keyed by message id', () => {
      expect(normalizeRentalMessages({ order_id: 9, messages: guideMessage }, '9').messages).toEqual([read]);
      expect(normalizeRentalMessages({ order_id: 9, messages: { 17: guideMessage } }, '9').messages).toEqual([{ ...read, id: '17' }]);
      expect(normalizeRentalMessages({ order_id: 9, messages: {} }, '9').messages).toEqual([]);
    });

    it('in a list: an id made from the message itself, the same whatever its place in the list', () => {
      const later = { from: 'Google', message: 'G-654321 is your code', received_at: ISO_MS + 60_000 };
      const oldestFirst = normalizeRentalMessages({ order_id: 9, messages: [guideMessage, later] }, '9').messages;
      const newestFirst = normalizeRentalMessages({ order_id: 9, messages: [later, guideMessage] }, '9').messages;
      expect(oldestFirst.map((m) => m.code)).toEqual(['123456', '654321']);
      expect(new Set(oldestFirst.map((m) => m.id)).size).toBe(2);
      expect(newestFirst.map((m) => m.id)).toEqual([oldestFirst[1]!.id, oldestFirst[0]!.id]);
      // Only the latest, one poll after another: each message keeps its own id.
      expect(normalizeRentalMessages({ order_id: 9, ...later }, '9').messages[0]!.id).toBe(oldestFirst[1]!.id);
      // The same text resent without a time stays two messages.
      const resent = normalizeRentalMessages({ order_id: 9, messages: [{ message: 'code 4321', from: 'X' }, { message: 'code 4321', from: 'X' }] }, '9');
      expect(new Set(resent.messages.map((m) => m.id)).size).toBe(2);
    });

    it('a server sentence in "message" without sender or time is not taken for an SMS', () => {
      expect(normalizeRentalMessages({ order_id: 9, message: 'No messages yet' }, '9').messages).toEqual([]);
    });
  });

  it('rental messages: bare list, empty inbox, strings', () => {
    expect(normalizeRentalMessages([], '9')).toEqual({ orderId: '9', number: null, messages: [] });
    expect(normalizeRentalMessages({ order_id: 9, number: 'n' }, '9').messages).toEqual([]);
    expect(normalizeRentalMessages({ order_id: 9, messages: null }, '9').messages).toEqual([]);
    expect(normalizeRentalMessages(['code 4321'], '9').messages).toEqual([
      { id: '0', from: null, text: 'code 4321', code: '4321', receivedAt: null },
    ]);
  });

  it('refunds and renewals, with types swapped and fields missing', () => {
    expect(normalizeRefund({ order_id: 6, status: 'rejected', refund: '0.60', balance: 12 }, '6', 'rejected')).toEqual({
      orderId: '6',
      status: 'rejected',
      rawStatus: 'rejected',
      refund: 0.6,
      balance: 12,
    });
    expect(normalizeRefund(null, '6', 'cancelled')).toMatchObject({ orderId: '6', status: 'cancelled' });
    expect(normalizeRefund({ status: 'refunded' }, '6', 'rejected')).toMatchObject({ status: 'unknown', rawStatus: 'refunded' });
    expect(normalizeRenew({ orderId: '6', expiry: ISO_MS / 1000, cost: '2.10', balance: '10' }, '6')).toEqual({
      orderId: '6',
      expiresAt: ISO_MS,
      price: 2.1,
      balance: 10,
    });
    expect(normalizeRenew(true, '6')).toEqual({ orderId: '6', expiresAt: null, price: null, balance: null });
  });
});

describe('errors', () => {
  it('redacts the token in raw, URL-encoded and JSON-escaped forms', () => {
    const token = 'a b/"c';
    const text = `raw ${token} url ${encodeURIComponent(token)} json ${JSON.stringify(token)} form a+b%2F%22c`;
    const out = redactSecret(text, token);
    expect(out).not.toContain(token);
    expect(out).not.toContain(encodeURIComponent(token));
    expect(out).not.toContain('a+b%2F%22c');
    expect(redactSecret('nothing', '')).toBe('nothing');
  });

  it('never keeps the token in message, stack, snippet, server message or JSON', () => {
    const body = JSON.stringify({ status: 'error', message: `Token ${TOKEN} is invalid`, errors: { token: [`bad ${TOKEN}`] } });
    for (const status of [200, 401, 422, 500]) {
      const err = interpretError(body, status);
      const all = [err.message, err.stack ?? '', JSON.stringify(err), err.bodySnippet ?? '', err.serverMessage ?? ''].join('\n');
      expect(all).not.toContain(TOKEN);
    }
    const made = createText2faError({ kind: 'http', status: 400, message: `x ${TOKEN}`, endpoint: 'e', bodySnippet: TOKEN }, TOKEN);
    expect(made.stack).not.toContain(TOKEN);
    expect(JSON.stringify(made)).not.toContain(TOKEN);
  });

  it('round-trips through JSON and structured clone', () => {
    const err = interpretError({ status: 'error', message: 'Invalid', errors: { duration: ['Bad'] } }, 422);
    const json = JSON.parse(JSON.stringify(err)) as unknown;
    expect(isText2faErrorJSON(json)).toBe(true);
    const revived = Text2faError.fromJSON(json);
    expect(revived).toBeInstanceOf(Text2faError);
    expect(revived.toJSON()).toEqual(err.toJSON());
    expect(structuredClone(err.toJSON())).toEqual(err.toJSON());
    expect(describeError(json)).toBe(err.message);
  });

  it('fromJSON survives garbage', () => {
    expect(Text2faError.fromJSON(null).kind).toBe('malformed');
    const odd = Text2faError.fromJSON({ kind: 'nope', status: 'x', message: 5, fieldErrors: { a: 'b', c: [1, 'd'] } });
    expect(odd.kind).toBe('http');
    expect(odd.status).toBeNull();
    expect(odd.message.length).toBeGreaterThan(0);
    expect(odd.fieldErrors).toEqual({ a: ['b'], c: ['d'] });
  });

  it('describeError and isRetryable', () => {
    expect(describeError(new Error(`secret ${TOKEN}`))).not.toContain(TOKEN);
    expect(describeError('x')).toMatch(/Something went wrong/);
    expect(describeError(Object.assign(new Error('a'), { name: 'AbortError' }))).toMatch(/cancelled/);
    const of = (kind: Text2faError['kind']) => new Text2faError({ kind, status: null, message: 'm', endpoint: 'e' });
    expect(['network', 'timeout', 'rate_limited', 'server'].map((k) => isRetryable(of(k as Text2faError['kind'])))).toEqual([true, true, true, true]);
    expect(['unauthorized', 'validation', 'malformed', 'conflict', 'unavailable'].map((k) => isRetryable(of(k as Text2faError['kind'])))).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(isRetryable(new Error('x'))).toBe(false);
    expect(isRetryable(of('timeout').toJSON())).toBe(true);
  });

  it('message and reason helpers', () => {
    expect(kindFromMessage(undefined)).toBeNull();
    expect(kindFromMessage('Number cannot be rejected now')).toBe('conflict');
    expect(conflictReasonFromMessage('wait 30 seconds')).toBe('too_early');
    expect(conflictReasonFromMessage('no')).toBe('unknown');
    expect(readErrorDetails({ error: { message: 'nested' } }).message).toBe('nested');
    expect(readErrorDetails('x')).toEqual({});
  });
});

describe('isAwaitingCode', () => {
  it.each([
    ['pending, not expired', 'pending', NOW + 1, true],
    ['pending, expired', 'pending', NOW - 1, false],
    ['pending, no expiry', 'pending', null, true],
    ['unknown word, not expired', 'unknown', NOW + 1, true],
    ['unknown word, expired', 'unknown', NOW, false],
    ['received', 'received', NOW + 1, false],
    ['rejected', 'rejected', NOW + 1, false],
  ] as const)('%s', (_name, status, expiresAt, expected) => {
    expect(isAwaitingCode({ status, expiresAt }, NOW)).toBe(expected);
  });
});
