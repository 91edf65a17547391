/**
 * Orders and how they look from outside. An order stores only facts (when it
 * was made, when it ends, what arrived, whether it was rejected or
 * cancelled); its status is computed from the simulated clock on every read,
 * so moving the clock is all it takes to expire it.
 */
import type { Pool } from './catalogue';
import { iso } from './clock';
import type { JsonObject } from './json';
import { formatCents } from './money';

/** S1 and S2 numbers are held for 20 minutes. */
export const SHORT_LIFETIME_MS = 20 * 60 * 1000;
/** S1/S2 numbers cannot be rejected during their first minute. */
export const REJECT_LOCK_MS = 60 * 1000;
export const DAY_MS = 24 * 60 * 60 * 1000;

export type ShortStatus = 'pending' | 'received' | 'completed' | 'expired' | 'rejected';
export type RentalStatus = 'active' | 'expired' | 'cancelled';
export type CanonicalStatus = ShortStatus | RentalStatus;

export interface RentalMessageRecord {
  id: number;
  from: string;
  text: string;
  code: string | null;
  receivedAt: number;
}

export interface Order {
  id: number;
  pool: Pool;
  /** Token of the owning account. */
  token: string;
  serviceKey: string;
  serviceName: string;
  number: string;
  /** What the purchase cost, premium included. */
  priceCents: number;
  /** Everything paid for this order so far (rentals add renewals). */
  paidCents: number;
  createdAt: number;
  expiresAt: number;
  /** S1/S2 only. */
  rejectedAt: number | null;
  /** Rentals only. */
  cancelledAt: number | null;
  /** Rental length in days as bought (renewals extend `expiresAt`, not this). */
  duration: number | null;
  /** Rentals: the daily rate renewals and partial refunds are computed from. */
  pricePerDayCents: number | null;
  /** Latest SMS of an S1/S2 order; a resent code replaces it. */
  sms: string | null;
  code: string | null;
  /** Rental inbox, oldest first. */
  messages: RentalMessageRecord[];
  /** The order this one reused the number of (reuse-number-s1). */
  reusedFrom: number | null;
}

/** The order's status at simulated time `now`. */
export function statusAt(order: Order, now: number): CanonicalStatus {
  if (order.pool === 'rental') {
    if (order.cancelledAt !== null) return 'cancelled';
    return now >= order.expiresAt ? 'expired' : 'active';
  }
  if (order.rejectedAt !== null) return 'rejected';
  const arrived = order.sms !== null;
  if (now >= order.expiresAt) return arrived ? 'completed' : 'expired';
  return arrived ? 'received' : 'pending';
}

/** Live orders hold their number: no one else can be given it. */
export function isLive(order: Order, now: number): boolean {
  const status = statusAt(order, now);
  return status === 'pending' || status === 'received' || status === 'active';
}

function latestMessage(order: Order): RentalMessageRecord | undefined {
  return order.messages[order.messages.length - 1];
}

/** The canonical answer to a purchase (request-*, reuse-number-s1). */
export function purchaseView(order: Order, now: number): JsonObject {
  const view: JsonObject = {
    order_id: order.id,
    number: order.number,
    service: order.serviceName,
    price: formatCents(order.priceCents),
    status: statusAt(order, now),
    created_at: iso(order.createdAt),
    expires_at: iso(order.expiresAt),
  };
  if (order.duration !== null) view.duration = order.duration;
  return view;
}

/**
 * The canonical order as number-details and the lists give it. Rentals show
 * their latest message as `code`/`sms`, so a list row is useful on its own.
 */
export function detailView(order: Order, now: number): JsonObject {
  const view = purchaseView(order, now);
  if (order.pool === 'rental') {
    const last = latestMessage(order);
    view.code = last?.code ?? null;
    view.sms = last?.text ?? null;
  } else {
    view.code = order.code;
    view.sms = order.sms;
  }
  return view;
}

/** One rental message in the canonical shape. */
export function messageView(message: RentalMessageRecord): JsonObject {
  return {
    id: message.id,
    from: message.from,
    message: message.text,
    code: message.code,
    received_at: iso(message.receivedAt),
  };
}

/** Everything about an order, for the control API (never served under /api/v1). */
export function debugView(order: Order, now: number): JsonObject {
  return {
    ...detailView(order, now),
    pool: order.pool,
    token: order.token,
    service_key: order.serviceKey,
    paid: formatCents(order.paidCents),
    reused_from: order.reusedFrom,
    messages: order.messages.map(messageView),
  };
}
