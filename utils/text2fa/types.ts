/**
 * The project's own types for everything the Text2FA API returns.
 *
 * The real service publishes no response shapes, so the client normalises
 * whatever it receives into these types (see `normalize.ts`); nothing raw
 * leaks past `utils/text2fa/`. Money is a plain number in the account's
 * currency units (0.75 means 75 cents), times are epoch milliseconds, and
 * order ids are strings (the simulator sends integers, but a string id from
 * the real service must not break anything).
 */

import type { UnreadableAnswer } from './problems';

/** The three kinds of number Text2FA sells. */
export type Pool = 's1' | 's2' | 'rental';

/** Status words the client understands; anything else is kept verbatim in `rawStatus`. */
export type KnownOrderStatus =
  | 'pending'
  | 'received'
  | 'rejected'
  | 'expired'
  | 'completed'
  | 'active'
  | 'cancelled';

/** A normalised status: a known word, or `unknown` with the server's word in `rawStatus`. */
export type OrderStatus = KnownOrderStatus | 'unknown';

export interface Account {
  name: string;
  email: string;
  balance: number;
  currency: string;
}

export interface Service {
  pool: Pool;
  /** The `service_key` to send when ordering. */
  key: string;
  name: string;
  /** Price of one number (S1/S2) or of the shortest duration (rental). */
  price: number | null;
  /** Numbers in stock; null when the service did not say. */
  available: number | null;
}

export interface RentalService extends Service {
  pool: 'rental';
  /** Durations in days the service can be rented for (empty when unknown). */
  durations: number[];
  pricePerDay: number | null;
}

/** A US state (S1) or a state/country (rentals). */
export interface Region {
  code: string;
  name: string;
}

/**
 * One order as the API describes it: from a purchase, a details call or a list.
 * `hasDetail` is false when the source carried neither status nor code nor SMS
 * (some list endpoints of the real service may not), so the caller knows it
 * must ask the per-order endpoint.
 */
export interface RemoteOrder {
  pool: Pool;
  orderId: string;
  number: string;
  service: string | null;
  price: number | null;
  status: OrderStatus;
  /** The server's status word as sent (empty when absent). */
  rawStatus: string;
  createdAt: number | null;
  expiresAt: number | null;
  /** The code: the response's code field, or extracted from `sms` when that is missing. */
  code: string | null;
  sms: string | null;
  /** Rental length in days, for rentals. */
  duration: number | null;
  hasDetail: boolean;
}

export interface RentalMessage {
  id: string;
  from: string | null;
  text: string;
  code: string | null;
  receivedAt: number | null;
}

export interface RentalMessages {
  orderId: string;
  number: string | null;
  messages: RentalMessage[];
}

/** Answer to reject-number-s1/-s2 and cancel-rental. */
export interface RefundResult {
  orderId: string;
  status: OrderStatus;
  rawStatus: string;
  refund: number | null;
  balance: number | null;
}

/** Answer to renew-rental. */
export interface RenewResult {
  orderId: string;
  expiresAt: number | null;
  price: number | null;
  balance: number | null;
}

export interface RequestNumberS1Params {
  serviceKey: string;
  /** Premium bid on top of the price, optional. */
  premium?: number;
  /** US state code such as `AL`, optional. */
  state?: string;
}

export interface RequestNumberS2Params {
  serviceKey: string;
  /** US area codes such as `['610']`, optional. */
  areas?: string[];
}

export interface RequestRentalParams {
  serviceKey: string;
  /** Days. */
  duration: number;
  /** A rental state code; sent only when the user picked one (not a documented parameter). */
  state?: string;
}

/** Every failure the client reports, as a word a UI can switch on. */
export type Text2faErrorKind =
  | 'unauthorized' // 401: bad or missing token
  | 'insufficient_balance' // 402
  | 'not_found' // 404: unknown order
  | 'conflict' // 409: not allowed now (see `reason`)
  | 'validation' // 422 (see `fieldErrors`)
  | 'rate_limited' // 429 (see `retryAfterMs`)
  | 'unavailable' // 503: no numbers available
  | 'server' // other 5xx
  | 'http' // any other non-2xx
  | 'network' // the request never got an answer
  | 'timeout' // no answer within the client's timeout
  | 'malformed'; // an answer the client cannot interpret (see `status`, `bodySnippet`)

/** Why a 409 refused the action, when the server said. */
export type ConflictReason = 'code_received' | 'too_early' | 'unknown';

/** Hooks the client calls so the caller can learn about responses without wrapping fetch. */
export interface ClientObserver {
  /** Called with the server's `Date` header (epoch ms) and the local time it arrived. */
  onServerTime?(serverTimeMs: number, localTimeMs: number): void;
  /**
   * Called with each answer the client could not understand (a `malformed`
   * error, or a status word it does not know), token already removed, so the
   * user can report it. See `problems.ts`.
   */
  onUnreadable?(answer: UnreadableAnswer): void;
}

/**
 * How the token is written in the `Authorization` header: the raw token (the
 * official documentation) or `Bearer <token>` (a third-party guide).
 */
export type AuthForm = 'raw' | 'bearer';

export interface Text2faClientOptions extends ClientObserver {
  /** For example `https://app.text2fa.com/api/v1` (no trailing slash needed). */
  baseUrl: string;
  token: string;
  /**
   * The form to send the token in first; default `raw`. A 401 to it is
   * retried once in the other form.
   */
  authForm?: AuthForm;
  /**
   * Called when the other form was accepted after the first got a 401, so the
   * caller can remember it; this client uses it from then on.
   */
  onAuthForm?(form: AuthForm): void;
  fetch?: typeof fetch;
  /** Per-request timeout in ms; at most 15000, default 15000. */
  timeoutMs?: number;
  /** The local clock, for tests. */
  now?: () => number;
}

/** One typed method per documented endpoint, named after it. */
export interface Text2faClient {
  accountDetails(): Promise<Account>;

  servicesS1(): Promise<Service[]>;
  usStates(): Promise<Region[]>;
  requestNumberS1(params: RequestNumberS1Params): Promise<RemoteOrder>;
  reuseNumberS1(orderId: string): Promise<RemoteOrder>;
  rejectNumberS1(orderId: string): Promise<RefundResult>;
  numberDetailsS1(orderId: string): Promise<RemoteOrder>;
  reservedListS1(): Promise<RemoteOrder[]>;

  servicesS2(): Promise<Service[]>;
  requestNumberS2(params: RequestNumberS2Params): Promise<RemoteOrder>;
  rejectNumberS2(orderId: string): Promise<RefundResult>;
  numberDetailsS2(orderId: string): Promise<RemoteOrder>;
  reservedListS2(): Promise<RemoteOrder[]>;

  rentalServiceList(): Promise<RentalService[]>;
  rentalStates(): Promise<Region[]>;
  requestRentalNumber(params: RequestRentalParams): Promise<RemoteOrder>;
  rentalReserveList(): Promise<RemoteOrder[]>;
  rentalMessage(orderId: string): Promise<RentalMessages>;
  activeRentalNumbers(): Promise<RemoteOrder[]>;
  renewRental(orderId: string, additionalDays: number): Promise<RenewResult>;
  cancelRental(orderId: string): Promise<RefundResult>;
}

/** The documented endpoint paths (relative to the base URL), used as names in errors. */
export type Text2faEndpoint =
  | 'account-details'
  | 'services-s1'
  | 'us-states'
  | 'request-number-s1'
  | 'reuse-number-s1'
  | 'reject-number-s1'
  | 'number-details-s1'
  | 'reserved-list-s1'
  | 'services-s2'
  | 'request-number-s2'
  | 'reject-number-s2'
  | 'number-details-s2'
  | 'reserved-list-s2'
  | 'rental-service-list'
  | 'rental-states'
  | 'request-rental-number'
  | 'rental-reserve-list'
  | 'rental-message'
  | 'active-rental-numbers'
  | 'renew-rental'
  | 'cancel-rental';
