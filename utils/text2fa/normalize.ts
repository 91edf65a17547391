/**
 * Pure functions that turn whatever the Text2FA API sends into the project's
 * own types. The real response shapes are unpublished, so every reader here
 * accepts envelopes or none, aliases for field names, and numbers written as
 * strings (and the reverse). Anything that cannot be read throws a
 * `ShapeError`; `response.ts` turns that into a typed `malformed` error
 * carrying the body, so no raw shape and no `undefined` leaks out.
 */
import { extractOtpCode } from '../otp';
import type {
  Account,
  KnownOrderStatus,
  OrderStatus,
  Pool,
  RefundResult,
  Region,
  RemoteOrder,
  RenewResult,
  RentalService,
  Service,
} from './types';

/** Thrown by the readers when a payload cannot be interpreted; the message says what was missing. */
export class ShapeError extends Error {
  override readonly name = 'ShapeError';
}

/** A JSON object. */
export type JsonRecord = Record<string, unknown>;

/** Field-name aliases, most canonical first. Exported so tests and docs list the same names. */
export const ALIASES = {
  // `number_id` is what a third-party guide to the service calls the order (June 2025).
  orderId: ['order_id', 'orderId', 'orderID', 'number_id', 'numberId', 'id'],
  number: ['number', 'phone', 'phone_number', 'phoneNumber', 'mdn', 'msisdn'],
  code: ['code', 'otp', 'sms_code', 'smsCode', 'pin', 'verification_code'],
  sms: ['sms', 'message', 'text', 'full_sms', 'fullSms', 'body', 'sms_text'],
  expiresAt: ['expires_at', 'expiresAt', 'expiry', 'end_time', 'endTime', 'expiration', 'expire_at', 'expires'],
  createdAt: ['created_at', 'createdAt', 'created', 'start_time', 'startTime'],
  service: ['service', 'service_name', 'serviceName', 'name'],
  price: ['price', 'cost', 'amount'],
  status: ['status', 'order_status', 'orderStatus'],
  duration: ['duration', 'days', 'duration_days', 'rental_days'],
  serviceKey: ['service_key', 'serviceKey', 'key', 'code', 'slug', 'id'],
  serviceName: ['name', 'service_name', 'serviceName', 'title', 'service'],
  available: ['available', 'stock', 'count', 'quantity', 'qty', 'available_numbers'],
  pricePerDay: ['price_per_day', 'pricePerDay', 'daily_price', 'per_day'],
  durations: ['durations', 'duration_options', 'available_durations', 'days'],
  regionCode: ['code', 'abbr', 'abbreviation', 'state_code', 'short', 'iso', 'key', 'value', 'id'],
  regionName: ['name', 'state', 'label', 'title', 'full_name', 'country'],
  balance: ['balance', 'credit', 'credits', 'wallet_balance', 'funds'],
  accountName: ['name', 'username', 'user_name', 'full_name', 'fullName'],
  email: ['email', 'mail', 'email_address'],
  currency: ['currency', 'currency_code'],
  refund: ['refund', 'refunded', 'refund_amount', 'refundAmount', 'amount'],
  messages: ['messages', 'sms', 'sms_list', 'items', 'list', 'inbox', 'data', 'results'],
  messageId: ['id', 'message_id', 'messageId', 'sms_id'],
  messageFrom: ['from', 'sender', 'from_number', 'source', 'originator'],
  messageText: ['message', 'text', 'sms', 'full_sms', 'body', 'content', 'sms_text'],
  receivedAt: ['received_at', 'receivedAt', 'created_at', 'date', 'time', 'timestamp', 'sent_at'],
} as const satisfies Record<string, readonly string[]>;

/** Envelope keys, in the order they are looked for. */
export const ENVELOPE_KEYS = ['data', 'result', 'results', 'response'] as const;

/** Keys under which a list may sit inside an (unwrapped) object. */
const LIST_KEYS = ['data', 'results', 'result', 'items', 'list', 'orders', 'numbers', 'services', 'states', 'rentals', 'records'];

// ---------------------------------------------------------------------------
// Scalars

/** True for a plain JSON object (not an array, not null). */
export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A finite number from a number or a numeric string (`"0.75"`, `" 12 "`,
 * `"$1.50"`); null otherwise. Thousands separators are not guessed at, since
 * `1,234` and `1,5` mean different things in different locales.
 */
export function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const s = value.trim().replace(/^\$\s*/, '');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

/** An identifier as a string: integers and non-empty strings qualify; null otherwise. */
export function toId(value: unknown): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (typeof value === 'string') {
    const s = value.trim();
    return s === '' ? null : s;
  }
  return null;
}

/** A trimmed non-empty string from a string or a number; null otherwise. */
export function toText(value: unknown): string | null {
  if (typeof value === 'string') {
    const s = value.trim();
    return s === '' ? null : s;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

// Below this a number is taken as seconds, at or above it as milliseconds:
// 1e11 s is the year 5138, 1e11 ms is 1973, so real timestamps never collide.
const SECONDS_LIMIT = 1e11;
// At or above this a number is microseconds (1e14 ms is the year 5138).
const MICROS_LIMIT = 1e14;

/**
 * Epoch milliseconds from an ISO 8601 string (a missing zone means UTC, as
 * the API speaks UTC), unix seconds or unix milliseconds (told apart by
 * magnitude), as numbers or numeric strings. Zero, negative and unparseable
 * values give null.
 */
export function toTimestamp(value: unknown): number | null {
  const n = toNumber(value);
  if (n !== null) {
    if (n <= 0) return null;
    if (n < SECONDS_LIMIT) return Math.round(n * 1000);
    if (n < MICROS_LIMIT) return Math.round(n);
    return Math.round(n / 1000);
  }
  if (typeof value !== 'string') return null;
  let s = value.trim();
  if (s === '') return null;
  // Date.parse reads a zone-less date-time as local time; the API's times are UTC.
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s)) s = s.replace(' ', 'T') + 'Z';
  const t = Date.parse(s);
  return Number.isFinite(t) && t > 0 ? t : null;
}

const STATUS_WORDS: Record<string, KnownOrderStatus> = {
  pending: 'pending',
  waiting: 'pending',
  wait: 'pending',
  waiting_sms: 'pending',
  waiting_for_sms: 'pending',
  awaiting_sms: 'pending',
  received: 'received',
  sms_received: 'received',
  code_received: 'received',
  success: 'received',
  successful: 'received',
  rejected: 'rejected',
  expired: 'expired',
  completed: 'completed',
  complete: 'completed',
  finished: 'completed',
  active: 'active',
  cancelled: 'cancelled',
  canceled: 'cancelled',
};

/**
 * A status word mapped to a known status (case, spaces and hyphens ignored);
 * anything else is `unknown`, with the word kept verbatim in `rawStatus`.
 */
export function normalizeStatus(value: unknown): { status: OrderStatus; rawStatus: string } {
  const raw = typeof value === 'string' ? value.trim() : toText(value) ?? '';
  const key = raw.toLowerCase().replace(/[\s-]+/g, '_');
  const known = Object.prototype.hasOwnProperty.call(STATUS_WORDS, key) ? STATUS_WORDS[key] : undefined;
  return { status: known ?? 'unknown', rawStatus: raw };
}

/**
 * True while an order may still receive its code: `pending`, or a status word
 * the client does not know, until the order's expiry has passed (an order
 * without a known expiry counts as not expired). `now` should be server time
 * (see `onServerTime`), since expiry is the server's.
 */
export function isAwaitingCode(order: Pick<RemoteOrder, 'status' | 'expiresAt'>, now: number): boolean {
  if (order.status !== 'pending' && order.status !== 'unknown') return false;
  return order.expiresAt === null || order.expiresAt > now;
}

// ---------------------------------------------------------------------------
// Field access

/**
 * The first alias present with a non-null value, or, when only nulls are
 * present, `{ present: true, value: null }`.
 */
export function pick(record: JsonRecord, aliases: readonly string[]): { present: boolean; value: unknown } {
  let present = false;
  for (const key of aliases) {
    if (!Object.prototype.hasOwnProperty.call(record, key)) continue;
    const value = record[key];
    if (value === undefined) continue;
    present = true;
    if (value !== null) return { present, value };
  }
  return { present, value: null };
}

/** True when any alias is present, even with a null value. */
export function has(record: JsonRecord, aliases: readonly string[]): boolean {
  return pick(record, aliases).present;
}

/** The first alias's value as a number (see `toNumber`). */
export function pickNumber(record: JsonRecord, aliases: readonly string[]): number | null {
  return toNumber(pick(record, aliases).value);
}

/** The first alias's value as trimmed text (see `toText`). */
export function pickText(record: JsonRecord, aliases: readonly string[]): string | null {
  return toText(pick(record, aliases).value);
}

/** The first alias's value as epoch milliseconds (see `toTimestamp`). */
export function pickTime(record: JsonRecord, aliases: readonly string[]): number | null {
  return toTimestamp(pick(record, aliases).value);
}

/** SMS text from a string, or the latest of a list of messages, or a message object. */
export function smsText(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() === '' ? null : value;
  if (Array.isArray(value)) {
    for (let i = value.length - 1; i >= 0; i--) {
      const t = smsText(value[i]);
      if (t !== null) return t;
    }
    return null;
  }
  if (isRecord(value)) return smsText(pick(value, ALIASES.messageText).value);
  return null;
}

/** The code field, or the code found in the SMS text when the field is missing or empty. */
export function codeOf(record: JsonRecord, sms: string | null): string | null {
  const direct = toText(pick(record, ALIASES.code).value);
  if (direct !== null) return direct;
  return sms !== null ? extractOtpCode(sms) : null;
}

// ---------------------------------------------------------------------------
// Envelopes

const SUCCESS_WORDS = new Set(['success', 'ok', 'true']);
const ERROR_WORDS = new Set(['error', 'fail', 'failed', 'failure', 'false']);

/**
 * What a 2xx body's own flags say: `failed` when it carries `"status":
 * "error"`, `"success": false` and the like, which must become errors even
 * under HTTP 200.
 */
export function bodySignalsFailure(body: unknown): boolean {
  if (!isRecord(body)) return false;
  const status = body.status;
  if (status === false) return true;
  if (typeof status === 'string') {
    const word = status.trim().toLowerCase();
    if (word === 'error') return true;
    // Without an envelope an order's own status sits at the top level, and
    // "failed" may be an order state, so only an order-less body counts.
    if (ERROR_WORDS.has(word) && !has(body, ALIASES.orderId)) return true;
  }
  for (const flag of ['success', 'ok'] as const) {
    if (!(flag in body)) continue;
    const v = body[flag];
    if (v === false || v === 0 || (typeof v === 'string' && ERROR_WORDS.has(v.trim().toLowerCase())) || v === '0') {
      return true;
    }
  }
  if (body.error === true) return true;
  // A bare `{"error": "..."}` with nothing that says success is a failure too.
  const hasSuccessMarker =
    (typeof status === 'string' && SUCCESS_WORDS.has(status.trim().toLowerCase())) ||
    body.success === true ||
    body.ok === true;
  if (!hasSuccessMarker && !ENVELOPE_KEYS.some((k) => k in body)) {
    const e = body.error;
    if ((typeof e === 'string' && e.trim() !== '') || (isRecord(e) && Object.keys(e).length > 0)) return true;
  }
  return false;
}

/**
 * The payload inside an envelope (`data`, `result`, `results`, `response`),
 * one level of nested envelope included. Without an envelope the body itself
 * is the payload, minus the top-level success markers (a top-level
 * `"status": "success"` is the envelope's word, not the order's).
 */
export function unwrapEnvelope(body: unknown): unknown {
  if (!isRecord(body)) return body;
  for (const key of ENVELOPE_KEYS) {
    if (!(key in body) || body[key] === undefined) continue;
    const inner = body[key];
    // `{"response": {"status": "success", "data": ...}}`: unwrap once more,
    // but only when the inner object is itself nothing but an envelope.
    if (isRecord(inner) && isPureEnvelope(inner)) return unwrapEnvelope(inner);
    return inner;
  }
  return stripMarkers(body);
}

const MARKER_KEYS = new Set(['success', 'ok', 'status', 'message', 'msg', 'code', 'error', 'errors']);

function isPureEnvelope(record: JsonRecord): boolean {
  const keys = Object.keys(record);
  return keys.some((k) => (ENVELOPE_KEYS as readonly string[]).includes(k)) &&
    keys.every((k) => (ENVELOPE_KEYS as readonly string[]).includes(k) || MARKER_KEYS.has(k));
}

function stripMarkers(body: JsonRecord): JsonRecord {
  const out: JsonRecord = { ...body };
  delete out.success;
  delete out.ok;
  if (typeof out.status === 'string' && SUCCESS_WORDS.has(out.status.trim().toLowerCase())) delete out.status;
  return out;
}

/**
 * A list from the payload: the payload itself, or an array under a common
 * key (also one level down, as in a paginated `{"data": {"data": [...]}}`).
 * Null when there is none.
 */
export function findList(payload: unknown, extraKeys: readonly string[] = []): unknown[] | null {
  if (Array.isArray(payload)) return payload;
  if (!isRecord(payload)) return null;
  const keys = [...extraKeys, ...LIST_KEYS];
  for (const key of keys) {
    const v = payload[key];
    if (Array.isArray(v)) return v;
  }
  for (const key of keys) {
    const v = payload[key];
    if (isRecord(v)) {
      const inner = findList(v, extraKeys);
      if (inner) return inner;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------
// Readers, one per response kind

/** Reads account-details. The balance is required: an account without one tells the user nothing. */
export function normalizeAccount(payload: unknown): Account {
  let rec = asRecord(payload, 'account');
  for (const key of ['account', 'user', 'profile']) {
    const inner = rec[key];
    if (!has(rec, ALIASES.balance) && isRecord(inner)) rec = inner;
  }
  const balance = pickNumber(rec, ALIASES.balance);
  if (balance === null) throw new ShapeError('the account carries no readable balance');
  return {
    name: pickText(rec, ALIASES.accountName) ?? '',
    email: pickText(rec, ALIASES.email) ?? '',
    balance,
    currency: (pickText(rec, ALIASES.currency) ?? 'USD').toUpperCase(),
  };
}

/** Reads services-s1 / services-s2: a list, or an object keyed by service key. */
export function normalizeServices(payload: unknown, pool: 's1' | 's2'): Service[] {
  return serviceEntries(payload).map(([rec, fallbackKey]) => readService(rec, fallbackKey, pool));
}

/** Reads rental-service-list; the price is that of the shortest duration when only a daily price is given. */
export function normalizeRentalServices(payload: unknown): RentalService[] {
  return serviceEntries(payload).map(([rec, fallbackKey]) => {
    const base = readService(rec, fallbackKey, 'rental');
    const durations = readDurations(pick(rec, ALIASES.durations).value);
    const pricePerDay = pickNumber(rec, ALIASES.pricePerDay);
    let price = base.price;
    const shortest = durations[0];
    if (price === null && pricePerDay !== null && shortest !== undefined) {
      price = Math.round(pricePerDay * shortest * 100) / 100;
    }
    return { ...base, pool: 'rental', price, durations, pricePerDay };
  });
}

function serviceEntries(payload: unknown): Array<[JsonRecord, string | null]> {
  // `{"services": {"ee1fdp": {...}}}`: a keyed map under a list key.
  if (isRecord(payload)) {
    const keys = Object.keys(payload);
    const only = keys.length === 1 ? keys[0] : undefined;
    const inner = only !== undefined ? payload[only] : undefined;
    if (only !== undefined && LIST_KEYS.includes(only) && isRecord(inner)) payload = inner;
  }
  const list = findList(payload);
  let entries: Array<[unknown, string | null]>;
  if (list) entries = list.map((item) => [item, null]);
  else if (isRecord(payload)) entries = Object.entries(payload).map(([k, v]) => [v, k]);
  else if (payload === null) entries = [];
  else throw new ShapeError(`expected a list of services, got ${describeType(payload)}`);
  return entries.map(([item, key]): [JsonRecord, string | null] => {
    if (isRecord(item)) return [item, key];
    // `{"ee1fdp": "Google"}`: a key-to-name map.
    const name = toText(item);
    if (key !== null && name !== null) return [{ name }, key];
    throw new ShapeError(`a service entry is ${describeType(item)}, not an object`);
  });
}

function readService(rec: JsonRecord, fallbackKey: string | null, pool: Service['pool']): Service {
  const key = toId(pick(rec, ALIASES.serviceKey).value) ?? fallbackKey;
  if (key === null) throw new ShapeError('a service carries no service key');
  const nameValue = pick(rec, ALIASES.serviceName).value;
  const name = toText(isRecord(nameValue) ? pick(nameValue, ['name', 'title']).value : nameValue) ?? key;
  const availableValue = pick(rec, ALIASES.available).value;
  const available = availableValue === false ? 0 : toNumber(availableValue);
  return { pool, key, name, price: pickNumber(rec, ALIASES.price), available };
}

function readDurations(value: unknown): number[] {
  let items: unknown[];
  if (Array.isArray(value)) items = value;
  else if (typeof value === 'string') items = value.split(/[,\s]+/);
  else if (typeof value === 'number') items = [value];
  else return [];
  const days = new Set<number>();
  for (const item of items) {
    const n = isRecord(item) ? pickNumber(item, ALIASES.duration) : toNumber(item);
    if (n !== null && Number.isInteger(n) && n > 0) days.add(n);
  }
  return [...days].sort((a, b) => a - b);
}

/** Reads us-states / rental-states: objects, bare codes, or a code-to-name map. */
export function normalizeRegions(payload: unknown): Region[] {
  const list = findList(payload, ['countries']);
  if (list) {
    return list.map((item) => {
      const plain = toText(item);
      if (plain !== null) return { code: plain, name: plain };
      if (!isRecord(item)) throw new ShapeError(`a region entry is ${describeType(item)}`);
      const code = pickText(item, ALIASES.regionCode);
      const name = pickText(item, ALIASES.regionName);
      if (code === null && name === null) throw new ShapeError('a region carries neither code nor name');
      return { code: code ?? name ?? '', name: name ?? code ?? '' };
    });
  }
  if (isRecord(payload)) {
    return Object.entries(payload).map(([code, v]) => {
      const name = isRecord(v) ? pickText(v, ALIASES.regionName) : toText(v);
      return { code, name: name ?? code };
    });
  }
  if (payload === null) return [];
  throw new ShapeError(`expected a list of regions, got ${describeType(payload)}`);
}

/** Options for `normalizeOrder`. */
export interface OrderReadOptions {
  /** An order without a phone number is malformed (purchases); otherwise `number` may be empty. */
  requireNumber?: boolean;
  /** The id the caller asked about, used when the payload omits it (details calls only). */
  fallbackOrderId?: string;
  /** Status when the payload gives none (a fresh purchase is pending by definition). */
  defaultStatus?: KnownOrderStatus;
}

/** Reads one order (purchase, details or list item). */
export function normalizeOrder(payload: unknown, pool: Pool, options: OrderReadOptions = {}): RemoteOrder {
  const rec = asOrderRecord(payload);
  const id = toId(pick(rec, ALIASES.orderId).value) ?? options.fallbackOrderId ?? null;
  if (id === null) throw new ShapeError('an order carries no order id');

  const numberValue = pick(rec, ALIASES.number).value;
  const number = toText(numberValue) ?? '';
  if (options.requireNumber && number === '') throw new ShapeError('the order carries no phone number');
  if (options.fallbackOrderId !== undefined && !has(rec, ALIASES.orderId) && number === '' && !has(rec, ALIASES.status)) {
    // Nothing ties this object to the order asked about.
    throw new ShapeError('the order details carry neither id, number nor status');
  }

  const statusField = pick(rec, ALIASES.status);
  const hasDetail = statusField.present || has(rec, ALIASES.code) || has(rec, ALIASES.sms);
  let { status, rawStatus } = normalizeStatus(statusField.value);
  if (!statusField.present || rawStatus === '') {
    if (options.defaultStatus) status = options.defaultStatus;
  }

  const sms = smsText(pick(rec, ALIASES.sms).value);
  const serviceValue = pick(rec, ALIASES.service).value;
  const service = toText(isRecord(serviceValue) ? pick(serviceValue, ['name', 'title', 'service_name']).value : serviceValue);
  return {
    pool,
    orderId: id,
    number,
    service,
    price: pickNumber(rec, ALIASES.price),
    status,
    rawStatus,
    createdAt: pickTime(rec, ALIASES.createdAt),
    expiresAt: pickTime(rec, ALIASES.expiresAt),
    code: codeOf(rec, sms),
    sms,
    duration: pickNumber(rec, ALIASES.duration),
    hasDetail,
  };
}

/** Reads a reserved/active list: a list, a single order, or an object keyed by order id. */
export function normalizeOrderList(payload: unknown, pool: Pool): RemoteOrder[] {
  if (payload === null) return [];
  const list = findList(payload);
  if (list) return list.map((item) => normalizeOrder(item, pool));
  if (isRecord(payload)) {
    if (Object.keys(payload).length === 0) return [];
    if (has(payload, ALIASES.orderId)) return [normalizeOrder(payload, pool)];
    const values = Object.entries(payload);
    if (values.every(([, v]) => isRecord(v))) {
      return values.map(([k, v]) => normalizeOrder({ order_id: k, ...(v as JsonRecord) }, pool));
    }
  }
  throw new ShapeError(`expected a list of orders, got ${describeType(payload)}`);
}

/**
 * Reads reject-number-s1/-s2 and cancel-rental. A 2xx success with no usable
 * body (`null`, `true`, a message) still means the action happened, so it
 * yields the asked-about id and `defaultStatus`.
 */
export function normalizeRefund(payload: unknown, orderId: string, defaultStatus: KnownOrderStatus): RefundResult {
  const rec = isRecord(payload) ? payload : refundFallback(payload);
  const statusField = pick(rec, ALIASES.status);
  const { status, rawStatus } = normalizeStatus(statusField.value);
  const useDefault = rawStatus === '';
  return {
    orderId: toId(pick(rec, ALIASES.orderId).value) ?? orderId,
    status: useDefault ? defaultStatus : status,
    rawStatus,
    refund: pickNumber(rec, ALIASES.refund),
    balance: pickNumber(rec, ['balance', 'new_balance', 'newBalance', 'remaining_balance']),
  };
}

/** Reads renew-rental; like `normalizeRefund`, a bare success still yields the asked-about id. */
export function normalizeRenew(payload: unknown, orderId: string): RenewResult {
  const rec = isRecord(payload) ? payload : refundFallback(payload);
  return {
    orderId: toId(pick(rec, ALIASES.orderId).value) ?? orderId,
    expiresAt: pickTime(rec, ALIASES.expiresAt),
    price: pickNumber(rec, ALIASES.price),
    balance: pickNumber(rec, ['balance', 'new_balance', 'newBalance', 'remaining_balance']),
  };
}

function refundFallback(payload: unknown): JsonRecord {
  if (payload === null || payload === true || typeof payload === 'string') return {};
  throw new ShapeError(`expected an object, got ${describeType(payload)}`);
}

function asRecord(payload: unknown, what: string): JsonRecord {
  if (isRecord(payload)) return payload;
  // A one-element list where an object was expected is unambiguous.
  if (Array.isArray(payload) && payload.length === 1 && isRecord(payload[0])) return payload[0];
  throw new ShapeError(`expected ${what} as an object, got ${describeType(payload)}`);
}

function asOrderRecord(payload: unknown): JsonRecord {
  const rec = asRecord(payload, 'an order');
  // `{"order": {...}}` or `{"number": {...}}`-style nesting.
  if (!has(rec, ALIASES.orderId)) {
    for (const key of ['order', 'activation', 'rental']) {
      const inner = rec[key];
      if (isRecord(inner)) return inner;
    }
  }
  return rec;
}

/** A short human word for a JSON value's type, for error details. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
