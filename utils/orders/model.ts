/**
 * One model for S1, S2 and rental orders, and the pure transitions between
 * their phases. The engine (`engine.ts`) decides *when* to call the API; this
 * module decides *what an answer means* for an order, so every transition is
 * testable with plain values.
 *
 *   purchasing ──answer──▶ waiting ──SMS──▶ received ──lifetime ends──▶ completed
 *       │                    │  └──reject──▶ rejected (refund)
 *       │ (definitely        └──lifetime ends──▶ expired
 *       │  not bought)
 *       ▼                  rental: active ──cancel──▶ cancelled (refund)
 *     failed                        └──lifetime ends──▶ expired
 */
import type { OrderStatus, Pool, RemoteOrder, RentalMessage } from '../text2fa/types';

export type OrderPhase =
  /** The intent is saved; the purchase request is in flight, or its answer was lost and must be reconciled. */
  | 'purchasing'
  /** S1/S2: the number is ours, no SMS yet. */
  | 'waiting'
  /** S1/S2: a code arrived; the number stays live (a code may be resent) until it expires. */
  | 'received'
  /** Rental: live, collecting messages. */
  | 'active'
  | 'expired'
  | 'rejected'
  | 'cancelled'
  | 'completed'
  /** The purchase did not happen: nothing was paid. */
  | 'failed';

/** Phases in which the order may still change on the server, so it is polled. */
export const LIVE_PHASES: ReadonlySet<OrderPhase> = new Set(['purchasing', 'waiting', 'received', 'active']);

/** Where the number was asked for: codes go there and nowhere else. */
export interface OrderSite {
  url: string;
  /** Registrable domain (with aliases collapsed), the unit codes are bound to. */
  siteKey: string | null;
  tabId: number | null;
  frameId: number | null;
}

export interface ReceivedCode {
  code: string;
  sms: string | null;
  /** When the extension first saw it (epoch ms, local clock). */
  seenAt: number;
}

export interface StoredMessage {
  id: string;
  from: string | null;
  text: string;
  code: string | null;
  receivedAt: number | null;
  seenAt: number;
}

/** What was asked for, kept so an uncertain purchase can be recognised in the server's lists. */
export interface PurchaseRequest {
  pool: Pool;
  serviceKey: string;
  serviceName: string;
  premium?: number;
  state?: string;
  areas?: string[];
  duration?: number;
}

/**
 * A second paid order Text2FA made for one purchase of ours (the browser or the
 * network sent the request twice). It is refunded as soon as Text2FA allows,
 * and the user is told once.
 */
export interface TwinInfo {
  /** The local id of the purchase it duplicates. */
  of: string;
  foundAt: number;
  /** When the user was told (notification and popup): once it was refunded, or could not be. */
  reportedAt: number | null;
  /** When the user dismissed the popup's notice about it. */
  dismissedAt: number | null;
}

export interface OrderError {
  kind: string;
  message: string;
  at: number;
}

export interface Order {
  /** Local id: the purchase intent id, or `remote:<pool>:<orderId>` for orders imported from the account. */
  id: string;
  /** Fingerprint of the token the order was bought with. */
  accountId: string;
  pool: Pool;
  serviceKey: string | null;
  serviceName: string;
  orderId: string | null;
  number: string | null;
  price: number | null;
  phase: OrderPhase;
  /** The server's status word as last seen (shown when it is not one we know). */
  remoteStatus: string;
  createdAt: number;
  updatedAt: number;
  /** Expiry on the local clock (already corrected for server clock skew). */
  expiresAt: number | null;
  /** Newest last. */
  codes: ReceivedCode[];
  messages: StoredMessage[];
  refund: number | null;
  site: OrderSite | null;
  request: PurchaseRequest | null;
  /** True when this order was bought elsewhere (the dashboard) and imported. */
  imported: boolean;
  /** The code the user has not looked at yet (drives the badge); cleared when shown or filled. */
  unseenCode: string | null;
  /** The last problem with this order, for the UI. */
  error: OrderError | null;
  /** When the user was warned that the order is about to expire (warn once). */
  expiryWarnedAt: number | null;
  /** A reject the server refused as too early: the engine tries again at this time. */
  rejectRetryAt: number | null;
  /** When the page's phone field got this number (it is filled once). */
  phoneFilledAt: number | null;
  /**
   * The code a page of the order's sign-up was filled with: spent, it is never filled again unasked
   * (a reload, a second sign-up in the same tab, a restart). A newer code of the order is not spent.
   */
  filledCode: string | null;
  /** Why the page's phone field could not take this number (the page kept another number or country), or null. */
  phoneFillProblem: string | null;
  /** When the purchase request was sent, on the server's clock (null for imports and older orders). */
  sentAt: number | null;
  /** When the pool's list was last searched for twins of this purchase (null: still to do). */
  twinsCheckedAt: number | null;
  /** Set when this order is an unwanted duplicate of one of our purchases. */
  twin: TwinInfo | null;
}

/** Whether the engine should keep asking the server about this order. */
export function isLive(order: Order): boolean {
  return LIVE_PHASES.has(order.phase);
}

/**
 * A number still live at Text2FA but queued to be rejected (a reject Text2FA found too early, or a twin
 * awaiting its refund): it is never offered, filled or reused; it only waits for its refund.
 */
export function isQueuedForReject(order: Pick<Order, 'phase' | 'rejectRetryAt'>): boolean {
  return order.rejectRetryAt !== null && (order.phase === 'waiting' || order.phase === 'received');
}

/** The newest code of an order, if any: its SMS code, or for a rental its newest message with a code. */
export function latestCode(order: Order): ReceivedCode | null {
  const fromSms = order.codes.at(-1) ?? null;
  const message = order.messages.findLast((m) => m.code !== null);
  if (!message?.code || (fromSms && fromSms.seenAt >= message.seenAt)) return fromSms;
  return { code: message.code, sms: message.text, seenAt: message.seenAt };
}

/** The server's status mapped onto our phases, for the order's pool. */
export function phaseFromStatus(pool: Pool, status: OrderStatus, hasCode: boolean): OrderPhase | null {
  switch (status) {
    case 'pending':
      return pool === 'rental' ? 'active' : hasCode ? 'received' : 'waiting';
    case 'received':
      return pool === 'rental' ? 'active' : 'received';
    case 'active':
      return pool === 'rental' ? 'active' : hasCode ? 'received' : 'waiting';
    case 'rejected':
      return 'rejected';
    case 'cancelled':
      return pool === 'rental' ? 'cancelled' : 'rejected';
    case 'expired':
      return 'expired';
    case 'completed':
      return 'completed';
    case 'unknown':
      return null;
  }
}

/** Wall-clock correction: add this to a server time to get local time. */
export type ClockSkewMs = number;

export interface ApplyResult {
  order: Order;
  /** A code newer than any the order had (the engine delivers it). */
  newCode: ReceivedCode | null;
  /** Rental messages not seen before (the engine delivers each). */
  newMessages: StoredMessage[];
}

/**
 * What a reject of an S1/S2 number refunded: the amount Text2FA's answer named,
 * else the price in full (a reject always refunds in full; its answer may name
 * no amount, or be lost).
 */
export function rejectRefund(order: Pick<Order, 'price'>, stated: number | null): number | null {
  return stated ?? order.price;
}

/**
 * Folds what the server says about an order into it. A code equal to the
 * newest one is not new; a different code is a resend and becomes the newest.
 * Unknown status words are kept verbatim and leave the phase unchanged, so an
 * order still counts as pending until it expires.
 */
export function applyRemote(order: Order, remote: RemoteOrder, now: number, skewMs: ClockSkewMs): ApplyResult {
  const next: Order = { ...order, updatedAt: now };
  if (remote.number) next.number = remote.number;
  if (remote.price !== null) next.price = remote.price;
  if (remote.service && !next.serviceName) next.serviceName = remote.service;
  if (remote.expiresAt !== null) next.expiresAt = remote.expiresAt + skewMs;
  if (remote.rawStatus) next.remoteStatus = remote.rawStatus;

  let newCode: ReceivedCode | null = null;
  const code = remote.code;
  if (code && latestCode(order)?.code !== code) {
    newCode = { code, sms: remote.sms, seenAt: now };
    next.codes = [...order.codes, newCode];
    next.unseenCode = code;
  }

  if (remote.hasDetail) {
    const phase = phaseFromStatus(order.pool, remote.status, next.codes.length > 0);
    // The server never takes a finished order back to life; ignore a stale answer that would.
    if (phase !== null && !(isFinal(order.phase) && LIVE_PHASES.has(phase))) next.phase = phase;
    if (newCode && next.phase === 'waiting') next.phase = 'received';
  }
  if (next.phase === 'purchasing') next.phase = order.pool === 'rental' ? 'active' : newCode ? 'received' : 'waiting';
  // Rejected where no answer of ours said so (the reject's answer was lost, or the dashboard rejected it). A rental's
  // refund depends on the days left, so it stays unknown (rentals are cancelled, never rejected).
  if (next.phase === 'rejected' && order.phase !== 'rejected' && next.refund === null) next.refund = rejectRefund(next, null);
  return { order: next, newCode, newMessages: [] };
}

/** Adds the rental messages not stored yet (by id, or by text and time when ids are missing). */
export function applyMessages(order: Order, messages: RentalMessage[], now: number): ApplyResult {
  const known = new Set(order.messages.map(messageKey));
  const fresh: StoredMessage[] = [];
  for (const message of messages) {
    const stored: StoredMessage = { ...message, seenAt: now };
    const key = messageKey(stored);
    if (known.has(key)) continue;
    known.add(key);
    fresh.push(stored);
  }
  if (fresh.length === 0) return { order, newCode: null, newMessages: [] };
  const withCode = [...fresh].reverse().find((m) => m.code !== null);
  return {
    order: {
      ...order,
      messages: [...order.messages, ...fresh],
      updatedAt: now,
      unseenCode: withCode?.code ?? order.unseenCode,
    },
    newCode: null,
    newMessages: fresh,
  };
}

function messageKey(message: Pick<StoredMessage, 'id' | 'text' | 'receivedAt'>): string {
  return message.id ? `id:${message.id}` : `text:${message.receivedAt ?? ''}:${message.text}`;
}

/** Phases after which nothing about the order changes again. */
export function isFinal(phase: OrderPhase): boolean {
  return phase === 'expired' || phase === 'rejected' || phase === 'cancelled' || phase === 'completed' || phase === 'failed';
}

/**
 * Ends live orders whose lifetime is over on the local clock: with a code
 * they are completed, without one expired. Purchases in flight are left to
 * reconciliation.
 */
export function expireIfOver(order: Order, now: number): Order {
  if (order.expiresAt === null || now < order.expiresAt) return order;
  if (order.phase === 'waiting') return { ...order, phase: 'expired', updatedAt: now };
  if (order.phase === 'received') return { ...order, phase: 'completed', updatedAt: now };
  if (order.phase === 'active') return { ...order, phase: 'expired', updatedAt: now };
  return order;
}

/** A new order record for a purchase intent, saved before the request is sent. */
export function newIntent(options: {
  intentId: string;
  accountId: string;
  request: PurchaseRequest;
  site: OrderSite | null;
  now: number;
}): Order {
  const { intentId, accountId, request, site, now } = options;
  return {
    id: intentId,
    accountId,
    pool: request.pool,
    serviceKey: request.serviceKey,
    serviceName: request.serviceName,
    orderId: null,
    number: null,
    price: null,
    phase: 'purchasing',
    remoteStatus: '',
    createdAt: now,
    updatedAt: now,
    expiresAt: null,
    codes: [],
    messages: [],
    refund: null,
    site,
    request,
    imported: false,
    unseenCode: null,
    error: null,
    expiryWarnedAt: null,
    rejectRetryAt: null,
    phoneFilledAt: null,
    filledCode: null,
    phoneFillProblem: null,
    sentAt: null,
    twinsCheckedAt: null,
    twin: null,
  };
}

/** An order bought elsewhere (the Text2FA dashboard), found in the account's lists. */
export function importedOrder(accountId: string, remote: RemoteOrder, now: number, skewMs: ClockSkewMs): Order {
  const base: Order = {
    id: `remote:${remote.pool}:${remote.orderId}`,
    accountId,
    pool: remote.pool,
    serviceKey: null,
    serviceName: remote.service ?? 'Unknown service',
    orderId: remote.orderId,
    number: remote.number,
    price: remote.price,
    phase: remote.pool === 'rental' ? 'active' : 'waiting',
    remoteStatus: remote.rawStatus,
    createdAt: remote.createdAt !== null ? remote.createdAt + skewMs : now,
    updatedAt: now,
    expiresAt: null,
    codes: [],
    messages: [],
    refund: null,
    site: null,
    request: null,
    imported: true,
    unseenCode: null,
    error: null,
    expiryWarnedAt: null,
    rejectRetryAt: null,
    phoneFilledAt: null,
    filledCode: null,
    phoneFillProblem: null,
    sentAt: null,
    twinsCheckedAt: null,
    twin: null,
  };
  // A code that was already there when we imported the order is history, not news: no badge for it.
  return { ...applyRemote(base, remote, now, skewMs).order, unseenCode: null };
}
