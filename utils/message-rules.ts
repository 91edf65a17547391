/**
 * Who may send each message of the protocol (`messaging.ts`), what its
 * payload must look like, and the background's router that applies both.
 * Kept apart from the protocol's sending side, which every page and the
 * content script import: these checks run in the background only (and the
 * settings check in the options page), and a content script on every page
 * should not carry them.
 */
import { isAreaCodeList, isPremium, MAX_RENTAL_DAYS } from './input-rules';
import {
  isExtensionPage,
  isOwnContentScript,
  isRecord,
  type Envelope,
  type ErrorInfo,
  type MessageType,
  type Reply,
  type RequestOf,
  type ResponseOf,
  type SenderInfo,
  type SelfIdentity,
  type SettingsPatch,
} from './messaging';
import type { Pool } from './text2fa/types';

type Validator<T> = (payload: unknown) => payload is T;

const isEmpty = (payload: unknown): payload is Record<string, never> =>
  isRecord(payload) && Object.keys(payload).length === 0;

/** A non-empty string of bounded length: nothing legitimate is longer. */
function isShortString(value: unknown, max = 4096): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= max;
}

const isId = (value: unknown): value is string => isShortString(value, 200);
const isPool = (value: unknown): value is Pool => value === 's1' || value === 's2' || value === 'rental';
const isPositiveInt = (value: unknown, max: number): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= max;
const isMoney = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;

/** Accepts exactly the listed keys (optional ones may be absent), each passing its check. */
function shape<T>(checks: Record<string, (v: unknown) => boolean>, optional: readonly string[] = []): Validator<T> {
  return (payload): payload is T => {
    if (!isRecord(payload)) return false;
    for (const key of Object.keys(payload)) if (!Object.hasOwn(checks, key)) return false;
    return Object.entries(checks).every(([key, check]) =>
      Object.hasOwn(payload, key) ? check(payload[key]) : optional.includes(key),
    );
  };
}

const byId = shape<{ id: string }>({ id: isId });
const isTabId = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;
const isBool = (value: unknown): value is boolean => typeof value === 'boolean';
const isNullableMinutes = (v: unknown) => v === null || isPositiveInt(v, 24 * 60);

/** Every settings field, each with the values it may take. */
export const isSettingsPatch = shape<SettingsPatch>(
  {
    autofill: isBool,
    fillPhone: isBool,
    autoSubmitSites: (v) => Array.isArray(v) && v.length <= 500 && v.every((x) => isShortString(x, 253)),
    autoRejectMinutes: isNullableMinutes,
    spendingLimit24h: (v) => v === null || (isMoney(v) && v <= 100_000),
    confirmBeforeBuying: isBool,
    notifications: isBool,
    maxRequestsPerMinute: (v) => isPositiveInt(v, 600),
    defaults: shape(
      {
        pool: isPool,
        state: (v) => v === null || isShortString(v, 20),
        premium: (v) => v === null || isPremium(v),
        areas: isAreaCodeList,
        rentalDays: (v) => isPositiveInt(v, 365),
      },
      ['pool', 'state', 'premium', 'areas', 'rentalDays'],
    ),
  },
  ['autofill', 'fillPhone', 'autoSubmitSites', 'autoRejectMinutes', 'spendingLimit24h', 'confirmBeforeBuying', 'notifications', 'maxRequestsPerMinute', 'defaults'],
);

/** Who may send each message, and what its payload must look like. */
const RULES: { [K in MessageType]: { from: 'page' | 'content'; valid: Validator<RequestOf<K>> } } = {
  'session.get': { from: 'page', valid: isEmpty },
  'session.setToken': { from: 'page', valid: isEmpty },
  'session.signOut': { from: 'page', valid: isEmpty },
  'account.refresh': { from: 'page', valid: isEmpty },
  'dev.setApiBaseUrl': {
    from: 'page',
    valid: (p): p is { url: string } => isRecord(p) && isShortString(p.url, 2048) && Object.keys(p).length === 1,
  },
  'orders.buy': {
    from: 'page',
    valid: shape<BuyRequest>(
      {
        intentId: isId,
        pool: isPool,
        serviceKey: isId,
        serviceName: (v) => isShortString(v, 200),
        expectedPrice: (v) => v === null || isMoney(v),
        premium: isPremium,
        state: (v) => isShortString(v, 20),
        areas: isAreaCodeList,
        duration: (v) => isPositiveInt(v, 365),
        tabId: (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0,
        another: (v) => typeof v === 'boolean',
      },
      ['premium', 'state', 'areas', 'duration', 'tabId', 'another'],
    ),
  },
  'orders.reject': { from: 'page', valid: byId },
  'orders.cancel': { from: 'page', valid: byId },
  'orders.renew': { from: 'page', valid: shape({ id: isId, days: (v) => isPositiveInt(v, MAX_RENTAL_DAYS) }) },
  'orders.reuse': { from: 'page', valid: shape({ id: isId, intentId: isId }) },
  'orders.seen': { from: 'page', valid: byId },
  'orders.sync': { from: 'page', valid: shape({ force: isBool }, ['force']) },
  'orders.refreshRentals': { from: 'page', valid: isEmpty },
  'catalog.services': {
    from: 'page',
    valid: shape({ pool: isPool, refresh: (v) => typeof v === 'boolean' }, ['refresh']),
  },
  'catalog.regions': { from: 'page', valid: shape({ kind: (v) => v === 'us' || v === 'rental' }) },
  'site.info': { from: 'page', valid: shape({ tabId: isTabId }) },
  'site.normalize': { from: 'page', valid: shape({ text: (v) => isShortString(v, 2048) }) },
  'site.setChoice': {
    from: 'page',
    // A choice is kept under its own kind: one naming another kind than `pool` would be filed wrongly.
    valid: (v): v is RequestOf<'site.setChoice'> =>
      shape({
        siteKey: (k) => isShortString(k, 253),
        pool: isPool,
        choice: (c) => c === null || shape({ pool: isPool, serviceKey: isId, serviceName: (n) => isShortString(n, 200) })(c),
      })(v) && isRecord(v) && (v.choice === null || (isRecord(v.choice) && v.choice.pool === v.pool)),
  },
  'settings.update': { from: 'page', valid: shape({ patch: isSettingsPatch }) },
  'history.clear': { from: 'page', valid: isEmpty },
  'data.export': { from: 'page', valid: isEmpty },
  // The bundle itself is checked whole by the import, which explains what is wrong with it.
  'data.import': { from: 'page', valid: shape({ bundle: (v) => isRecord(v) }) },
  'fill.request': {
    from: 'page',
    valid: shape({ tabId: isTabId, kind: (v) => v === 'code' || v === 'phone', frameId: isTabId }, ['frameId']),
  },
  'shortcut.take': { from: 'page', valid: isEmpty },
  'ui.dismissPinHint': { from: 'page', valid: isEmpty },
  'problems.clear': { from: 'page', valid: isEmpty },
  'content.query': {
    from: 'content',
    valid: shape({ purpose: (v) => v === 'auto' || v === 'code' || v === 'phone', claim: (v) => isShortString(v, 40) }, ['purpose', 'claim']),
  },
  'content.filled': {
    from: 'content',
    valid: shape({ kind: (v) => v === 'code' || v === 'phone', value: (v) => isShortString(v, 40), problem: (v) => isShortString(v, 300) }, ['problem']),
  },
};

/** Whether `value` is shaped like one of our messages (whatever its payload). */
export function isEnvelope(value: unknown): value is Envelope {
  return isRecord(value) && value.t2fa === 1 && typeof value.type === 'string' && Object.hasOwn(RULES, value.type);
}

export type Handlers = {
  [K in MessageType]: (payload: RequestOf<K>, sender: SenderInfo) => Promise<ResponseOf<K>>;
};

/** Turns any thrown value into something a UI can show. */
export type ErrorDescriber = (error: unknown) => ErrorInfo;

/**
 * Makes the background's `runtime.onMessage` listener. It answers every
 * envelope (refusing the ones that fail the rules) and ignores anything
 * else, so other listeners still get their messages.
 */
export function createMessageRouter(options: {
  self: SelfIdentity;
  handlers: Handlers;
  describeError: ErrorDescriber;
}): (message: unknown, sender: SenderInfo) => Promise<Reply<unknown>> | undefined {
  const { self, handlers, describeError } = options;
  return (message, sender) => {
    if (!isEnvelope(message)) return undefined;
    const rule = RULES[message.type];
    const trusted = rule.from === 'page' ? isExtensionPage(sender, self) : isOwnContentScript(sender, self);
    if (!trusted) {
      return Promise.resolve({
        ok: false,
        error: { kind: 'forbidden', message: `"${message.type}" is not accepted from this sender.` },
      });
    }
    if (!(rule.valid as Validator<unknown>)(message.payload)) {
      return Promise.resolve({
        ok: false,
        error: { kind: 'bad_message', message: `"${message.type}" arrived with an invalid payload.` },
      });
    }
    const handler = handlers[message.type] as (payload: unknown, sender: SenderInfo) => Promise<unknown>;
    return handler(message.payload, sender).then(
      (data): Reply<unknown> => ({ ok: true, data }),
      (error: unknown): Reply<unknown> => ({ ok: false, error: describeError(error) }),
    );
  };
}

