/**
 * Switchable response shapes. The real service publishes no response bodies,
 * so the client must survive many plausible ones; each variant here is one
 * such plausibility, applied on top of the canonical body so that a client
 * test can prove its normaliser copes with it. Variants combine, except that
 * at most one envelope variant and at most one alias set may be active.
 */
import type { EndpointName } from './endpoint-names';
import { ORDER_LIST_ENDPOINTS } from './endpoint-names';
import { isJsonObject, type Json, type JsonObject } from './json';

export const SHAPE_VARIANTS = [
  'no-envelope',
  'envelope-result',
  'envelope-results',
  'envelope-response',
  'success-flag',
  'swap-types',
  'aliases-a',
  'aliases-b',
  'aliases-c',
  'sms-only',
  'lists-without-codes',
  'unknown-status',
  'guide',
] as const;

export type ShapeVariant = (typeof SHAPE_VARIANTS)[number];

const ENVELOPE_VARIANTS: readonly ShapeVariant[] = ['no-envelope', 'envelope-result', 'envelope-results', 'envelope-response'];
// `guide` renames the order id, so it is an alias set too.
const ALIAS_VARIANTS: readonly ShapeVariant[] = ['aliases-a', 'aliases-b', 'aliases-c', 'guide'];

/** Status words nobody's client knows, for `unknown-status`. */
export const UNKNOWN_STATUS_WORDS: Readonly<Record<string, string>> = {
  pending: 'waiting_for_sms',
  received: 'sms_received',
  completed: 'finished',
  expired: 'timed_out',
  rejected: 'refunded',
  active: 'in_use',
  cancelled: 'terminated',
};

/** Checks a requested set of variants; returns an error message, or null when it is usable. */
export function validateVariants(variants: readonly string[]): string | null {
  const unknown = variants.filter((variant) => !(SHAPE_VARIANTS as readonly string[]).includes(variant));
  if (unknown.length > 0) return `unknown shape variant(s): ${unknown.join(', ')}; known: ${SHAPE_VARIANTS.join(', ')}`;
  const envelopes = variants.filter((variant) => (ENVELOPE_VARIANTS as readonly string[]).includes(variant));
  if (new Set(envelopes).size > 1) return `at most one envelope variant at a time, got ${envelopes.join(', ')}`;
  const aliases = variants.filter((variant) => (ALIAS_VARIANTS as readonly string[]).includes(variant));
  if (new Set(aliases).size > 1) return `at most one alias variant at a time, got ${aliases.join(', ')}`;
  return null;
}

/** Where a key is renamed to, and how its value is rewritten, in one alias set. */
type Rename = { to: string; value?: (value: Json) => Json };

const isoToSeconds = (value: Json): Json => (typeof value === 'string' ? Math.floor(Date.parse(value) / 1000) : value);
const isoToMillis = (value: Json): Json => (typeof value === 'string' ? Date.parse(value) : value);

function aliasTable(variant: ShapeVariant, endpoint: EndpointName): Record<string, Rename> {
  switch (variant) {
    case 'aliases-a':
      return {
        order_id: { to: 'id' },
        number: { to: 'phone' },
        code: { to: 'otp' },
        sms: { to: 'message' },
        expires_at: { to: 'expiry', value: isoToSeconds },
      };
    case 'aliases-b':
      return {
        order_id: { to: 'orderId' },
        number: { to: 'phone_number' },
        code: { to: 'sms_code' },
        sms: { to: 'text' },
        message: { to: 'text' },
        expires_at: { to: 'end_time', value: isoToMillis },
      };
    case 'aliases-c':
      return {
        number: { to: 'mdn' },
        code: { to: 'pin' },
        sms: { to: endpoint.endsWith('-s1') ? 'full_sms' : 'body' },
        message: { to: 'body' },
        expires_at: { to: 'expiration' },
      };
    case 'guide':
      return { order_id: { to: 'number_id' } };
    default:
      return {};
  }
}

const ID_KEYS = new Set(['order_id', 'id']);
const MONEY_KEYS = new Set(['price', 'balance', 'refund', 'price_per_day']);

/** A rental message object, recognised by its timestamp key. */
function isMessage(object: JsonObject): boolean {
  return 'received_at' in object && 'message' in object;
}

function mapObject(object: JsonObject, fn: (key: string, value: Json) => [string, Json] | null): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(object)) {
    const mapped = fn(key, value);
    if (mapped) out[mapped[0]] = mapped[1];
  }
  return out;
}

/** Applies the per-object rules bottom-up through a whole response body. */
function transformTree(value: Json, rules: (object: JsonObject) => JsonObject): Json {
  if (Array.isArray(value)) return value.map((item) => transformTree(item, rules));
  if (isJsonObject(value)) {
    const inner = mapObject(value, (key, child) => [key, transformTree(child, rules)]);
    return rules(inner);
  }
  return value;
}

/**
 * Rewrites canonical `data` of one endpoint for the active variants; the
 * result is still the payload, the envelope is added by `shapeSuccess`.
 */
export function shapeData(data: Json, endpoint: EndpointName, variants: ReadonlySet<ShapeVariant>): Json {
  let out = variants.has('guide') && endpoint === 'rental-message' ? latestMessageOnly(data) : data;
  if (variants.has('lists-without-codes') && ORDER_LIST_ENDPOINTS.has(endpoint) && Array.isArray(out)) {
    out = out.map((row) =>
      isJsonObject(row) ? mapObject(row, (key, value) => (key === 'status' || key === 'code' || key === 'sms' ? null : [key, value])) : row,
    );
  }
  const aliasVariant = ALIAS_VARIANTS.find((variant) => variants.has(variant));
  const aliases = aliasVariant ? aliasTable(aliasVariant, endpoint) : {};
  return transformTree(out, (object) => {
    let current = object;
    if (variants.has('guide') && isMessage(current)) {
      // The guide's message has no id and no code: `{from, message, received_at}`.
      current = mapObject(current, (key, value) => (key === 'id' || key === 'code' ? null : [key, value]));
    }
    if ((variants.has('sms-only') || variants.has('guide')) && ('sms' in current || isMessage(current))) {
      current = mapObject(current, (key, value) => (key === 'code' ? null : [key, value]));
    }
    if (variants.has('unknown-status')) {
      current = mapObject(current, (key, value) =>
        key === 'status' && typeof value === 'string' ? [key, UNKNOWN_STATUS_WORDS[value] ?? value] : [key, value],
      );
    }
    if (variants.has('swap-types')) {
      current = mapObject(current, (key, value) => {
        if (ID_KEYS.has(key) && typeof value === 'number') return [key, String(value)];
        if (MONEY_KEYS.has(key) && typeof value === 'string') return [key, Number(value)];
        if (key === 'available' && typeof value === 'number') return [key, String(value)];
        return [key, value];
      });
    }
    if (aliasVariant) {
      current = mapObject(current, (key, value) => {
        const rename = aliases[key];
        return rename ? [rename.to, rename.value ? rename.value(value) : value] : [key, value];
      });
    }
    return current;
  });
}

/**
 * rental-message in the guide's style: the answer is its webhook payload, one
 * message spread over the top level (`{number_id, number, from, message,
 * received_at}`), the latest one only. An inbox without messages keeps its
 * canonical form.
 */
function latestMessageOnly(data: Json): Json {
  if (!isJsonObject(data) || !Array.isArray(data.messages)) return data;
  const latest = data.messages[data.messages.length - 1];
  if (!isJsonObject(latest)) return data;
  return { order_id: data.order_id ?? null, number: data.number ?? null, ...latest };
}

/** The full success body: shaped data inside the chosen envelope (or none). */
export function shapeSuccess(data: Json, endpoint: EndpointName, variants: ReadonlySet<ShapeVariant>): Json {
  const shaped = shapeData(data, endpoint, variants);
  if (variants.has('no-envelope')) return shaped;
  const key = variants.has('envelope-result')
    ? 'result'
    : variants.has('envelope-results')
      ? 'results'
      : variants.has('envelope-response')
        ? 'response'
        : 'data';
  return variants.has('success-flag') ? { success: true, [key]: shaped } : { status: 'success', [key]: shaped };
}

/**
 * The error body. Canonical is `{"status":"error","message",...}`; under
 * `success-flag` it is `{"success":false,...}`, and under `no-envelope` the
 * bare Laravel-style `{"message",...}` with no status marker at all.
 */
export function shapeError(
  message: string,
  extra: JsonObject,
  variants: ReadonlySet<ShapeVariant>,
): JsonObject {
  if (variants.has('no-envelope')) return { message, ...extra };
  if (variants.has('success-flag')) return { success: false, message, ...extra };
  return { status: 'error', message, ...extra };
}
