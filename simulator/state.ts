/**
 * The simulated business: accounts and their balances, stock, orders and
 * the rules for buying, rejecting, reusing, renewing and cancelling. The HTTP
 * layer validates input and shapes output; everything that moves money or
 * changes an order happens here.
 */
import { randomBytes } from 'node:crypto';
import {
  ALL_AREA_CODES,
  CATALOGUE,
  type CatalogueService,
  type Pool,
  type Region,
  type RentalCatalogueService,
} from './catalogue';
import type { SimClock } from './clock';
import { extractCode } from './codes';
import type { Counters } from './counters';
import { ApiError, conflict, orderNotFound } from './errors';
import { formatCents } from './money';
import { DAY_MS, REJECT_LOCK_MS, SHORT_LIFETIME_MS, isLive, statusAt, type Order } from './orders';
import { createRng, shuffled, type Rng } from './random';

/** The funded demo account's token; fixed so that docs, scripts and tests can rely on it. */
export const DEMO_TOKEN = 't2fa_demo_0123456789abcdef';
export const DEMO_NAME = 'Demo User';
export const DEMO_EMAIL = 'demo@text2fa.test';
/** Demo balance when `startSimulator` is given none: 50.00 USD. */
export const DEFAULT_DEMO_BALANCE_CENTS = 5000;

/** A rental cancelled within this time, before any message, is refunded in full. */
export const RENTAL_GRACE_MS = 60 * 60 * 1000;

/** The first order id after a reset; ids then increase across all pools and accounts. */
const FIRST_ORDER_ID = 1001;
/** Fixed seed: after a reset the same purchases get the same numbers. */
const NUMBER_SEED = 0x2fa;
/** Only 555-0100..0199 is reserved for fiction, so numbers never reach a real subscriber. */
const FICTIONAL_SUFFIXES = Array.from({ length: 100 }, (_, i) => String(100 + i).padStart(4, '0'));

export interface AccountRecord {
  token: string;
  name: string;
  email: string;
  balanceCents: number;
}

/** Answer to reject-number-s1/-s2 and cancel-rental before shaping. */
export interface RefundOutcome {
  order: Order;
  refundCents: number;
  balanceCents: number;
}

/** Accounts, stock and orders of one simulator, and every rule that moves money. */
export class SimState {
  readonly accounts = new Map<string, AccountRecord>();
  /** Ascending by id. */
  readonly orders: Order[] = [];
  private readonly stock = new Map<string, number>();
  private nextOrderId = FIRST_ORDER_ID;
  private nextMessageId = 1;
  private rng: Rng = createRng(NUMBER_SEED);

  constructor(
    private readonly clock: SimClock,
    private readonly counters: Counters,
    private readonly demoBalanceCents: number,
  ) {
    this.reset();
  }

  /** Back to the state at start-up: the demo account only, full stock, no orders. */
  reset(): void {
    this.accounts.clear();
    this.orders.length = 0;
    this.stock.clear();
    for (const service of [...CATALOGUE.s1, ...CATALOGUE.s2, ...CATALOGUE.rental]) {
      this.stock.set(stockKey(service), service.initialStock);
    }
    this.nextOrderId = FIRST_ORDER_ID;
    this.nextMessageId = 1;
    this.rng = createRng(NUMBER_SEED);
    this.createAccount({ token: DEMO_TOKEN, name: DEMO_NAME, email: DEMO_EMAIL, balanceCents: this.demoBalanceCents });
  }

  /** Adds an account; a random `t2fa_…` token is made when none is given. */
  createAccount(input: { token?: string; name?: string; email?: string; balanceCents?: number }): AccountRecord {
    const token = input.token ?? `t2fa_${randomBytes(12).toString('hex')}`;
    const account: AccountRecord = {
      token,
      name: input.name ?? 'Test User',
      email: input.email ?? `${token.slice(-8)}@text2fa.test`,
      balanceCents: input.balanceCents ?? 0,
    };
    this.accounts.set(token, account);
    return account;
  }

  /** Current stock of a service. */
  stockOf(service: CatalogueService): number {
    return this.stock.get(stockKey(service)) ?? 0;
  }

  /** Any order by id, whoever owns it (control API). */
  findOrder(id: number): Order | undefined {
    return this.orders.find((order) => order.id === id);
  }

  /** The account's order in one pool; anything else (unknown, other account, other pool) is a 404. */
  ownOrder(account: AccountRecord, pool: Pool, id: number): Order {
    const order = this.findOrder(id);
    if (!order || order.token !== account.token || order.pool !== pool) throw orderNotFound(id);
    return order;
  }

  /** The account's orders of one pool, newest first. */
  ordersOf(account: AccountRecord, pool: Pool): Order[] {
    return this.orders.filter((order) => order.token === account.token && order.pool === pool).reverse();
  }

  /** The newest live order holding a phone number, of any account. */
  newestLiveByNumber(number: string): Order | undefined {
    const now = this.clock.now();
    for (let i = this.orders.length - 1; i >= 0; i--) {
      const order = this.orders[i];
      if (order && order.number === number && isLive(order, now)) return order;
    }
    return undefined;
  }

  /** An S1 number: price plus premium, from the state's area codes when one is given. */
  buyS1(account: AccountRecord, service: CatalogueService, premiumCents: number, region: Region | undefined): Order {
    return this.sell(account, service, {
      priceCents: service.priceCents + premiumCents,
      lifetimeMs: SHORT_LIFETIME_MS,
      areaCodes: region?.areaCodes ?? ALL_AREA_CODES,
      noNumberMessage: region ? `No ${service.name} numbers available in ${region.name} right now.` : undefined,
    });
  }

  /** An S2 number, from one of `areas` when any are given. */
  buyS2(account: AccountRecord, service: CatalogueService, areas: readonly string[]): Order {
    return this.sell(account, service, {
      priceCents: service.priceCents,
      lifetimeMs: SHORT_LIFETIME_MS,
      areaCodes: areas.length > 0 ? areas : ALL_AREA_CODES,
      noNumberMessage: areas.length > 0 ? `No ${service.name} numbers available in area codes ${areas.join(', ')}.` : undefined,
    });
  }

  /** A rental for `duration` days at the service's daily rate. */
  buyRental(account: AccountRecord, service: RentalCatalogueService, duration: number, region: Region | undefined): Order {
    const order = this.sell(account, service, {
      priceCents: service.pricePerDayCents * duration,
      lifetimeMs: duration * DAY_MS,
      areaCodes: region?.areaCodes ?? ALL_AREA_CODES,
      noNumberMessage: region ? `No ${service.name} rentals available in ${region.name} right now.` : undefined,
    });
    order.duration = duration;
    order.pricePerDayCents = service.pricePerDayCents;
    return order;
  }

  /**
   * A new S1 order on the number of an earlier one, charged at the service's
   * current price (no premium) and without touching stock. Allowed once the
   * earlier order received an SMS or ran out; refused while it still waits
   * (`still_pending`), after a reject (`rejected`), and while any other live
   * order holds the number (`number_in_use`, e.g. a reuse already running).
   */
  reuseS1(account: AccountRecord, orderId: number): Order {
    const original = this.ownOrder(account, 's1', orderId);
    const now = this.clock.now();
    const status = statusAt(original, now);
    if (status === 'pending') {
      throw conflict('still_pending', 'This number is still waiting for an SMS; wait for it or reject the number.');
    }
    if (status === 'rejected') throw conflict('rejected', 'A rejected number cannot be reused.');
    const holder = this.orders.find((order) => order !== original && order.number === original.number && isLive(order, now));
    if (holder) throw conflict('number_in_use', 'This number is in use by another order right now.');
    const service = CATALOGUE.find('s1', original.serviceKey);
    if (!service) throw new Error(`order ${original.id} refers to unknown service ${original.serviceKey}`);
    this.charge(account, service.priceCents);
    const order = this.record(account, service, original.number, service.priceCents, SHORT_LIFETIME_MS);
    order.reusedFrom = original.id;
    return order;
  }

  /**
   * Rejects an S1/S2 number for a full refund. Refused while it is in its
   * first minute (`too_early`), once an SMS arrived (`code_received`, even
   * if no code could be read from it) and when it is no longer live
   * (`not_active`: rejected or expired). The number goes back into stock.
   */
  reject(account: AccountRecord, pool: 's1' | 's2', orderId: number): RefundOutcome {
    const order = this.ownOrder(account, pool, orderId);
    const now = this.clock.now();
    const status = statusAt(order, now);
    if (order.sms !== null) throw conflict('code_received', 'An SMS has already arrived on this number; it cannot be rejected.');
    if (status === 'rejected') throw conflict('not_active', 'This number has already been rejected.');
    if (status === 'expired') throw conflict('not_active', 'This number has expired.');
    const lockLeft = order.createdAt + REJECT_LOCK_MS - now;
    if (lockLeft > 0) {
      const seconds = Math.ceil(lockLeft / 1000);
      throw conflict('too_early', `A number can be rejected 60 seconds after purchase; try again in ${seconds} s.`, seconds);
    }
    order.rejectedAt = now;
    return this.refund(account, order, order.paidCents);
  }

  /** Extends an active rental by whole days at its daily rate. */
  renew(account: AccountRecord, orderId: number, days: number): { order: Order; priceCents: number; balanceCents: number } {
    const order = this.ownOrder(account, 'rental', orderId);
    const status = statusAt(order, this.clock.now());
    if (status !== 'active') throw conflict('not_active', `This rental is ${status} and cannot be renewed.`);
    const priceCents = (order.pricePerDayCents ?? 0) * days;
    this.charge(account, priceCents);
    order.expiresAt += days * DAY_MS;
    order.paidCents += priceCents;
    return { order, priceCents, balanceCents: account.balanceCents };
  }

  /**
   * Cancels an active rental and releases its number. Refund: everything
   * paid when cancelled within the first hour and before any message
   * arrived; otherwise the unused whole days at the daily rate.
   */
  cancel(account: AccountRecord, orderId: number): RefundOutcome {
    const order = this.ownOrder(account, 'rental', orderId);
    const now = this.clock.now();
    const status = statusAt(order, now);
    if (status !== 'active') throw conflict('not_active', `This rental is ${status} and cannot be cancelled.`);
    const inGrace = now - order.createdAt < RENTAL_GRACE_MS && order.messages.length === 0;
    const unusedDays = Math.floor((order.expiresAt - now) / DAY_MS);
    const refundCents = inGrace ? order.paidCents : Math.min(order.paidCents, unusedDays * (order.pricePerDayCents ?? 0));
    order.cancelledAt = now;
    return this.refund(account, order, refundCents);
  }

  /**
   * Delivers an SMS. S1/S2 orders keep only the latest (a resent code
   * replaces the previous one); rentals collect every message. `code`
   * undefined derives the code from the text; null means the SMS carries none.
   */
  deliverSms(order: Order, input: { text: string; code?: string | null; from?: string }): void {
    const code = input.code === undefined ? extractCode(input.text) : input.code;
    if (order.pool === 'rental') {
      order.messages.push({
        id: this.nextMessageId++,
        from: input.from ?? order.serviceName,
        text: input.text,
        code,
        receivedAt: this.clock.now(),
      });
      return;
    }
    order.sms = input.text;
    order.code = code;
  }

  private sell(
    account: AccountRecord,
    service: CatalogueService,
    terms: { priceCents: number; lifetimeMs: number; areaCodes: readonly string[]; noNumberMessage: string | undefined },
  ): Order {
    if (this.stockOf(service) <= 0) throw new ApiError(503, `No numbers available for ${service.name} right now.`);
    this.requireFunds(account, terms.priceCents);
    const number = this.allocateNumber(terms.areaCodes);
    if (number === null) throw new ApiError(503, terms.noNumberMessage ?? `No numbers available for ${service.name} right now.`);
    this.charge(account, terms.priceCents);
    this.stock.set(stockKey(service), this.stockOf(service) - 1);
    return this.record(account, service, number, terms.priceCents, terms.lifetimeMs);
  }

  /** A new order, created now and ending `lifetimeMs` later (one reading of the clock for both). */
  private record(account: AccountRecord, service: CatalogueService, number: string, priceCents: number, lifetimeMs: number): Order {
    const createdAt = this.clock.now();
    const order: Order = {
      id: this.nextOrderId++,
      pool: service.pool,
      token: account.token,
      serviceKey: service.key,
      serviceName: service.name,
      number,
      priceCents,
      paidCents: priceCents,
      createdAt,
      expiresAt: createdAt + lifetimeMs,
      rejectedAt: null,
      cancelledAt: null,
      duration: null,
      pricePerDayCents: null,
      sms: null,
      code: null,
      messages: [],
      reusedFrom: null,
    };
    this.orders.push(order);
    this.counters.purchase();
    return order;
  }

  private refund(account: AccountRecord, order: Order, refundCents: number): RefundOutcome {
    account.balanceCents += refundCents;
    const service = CATALOGUE.find(order.pool, order.serviceKey);
    if (service) this.stock.set(stockKey(service), this.stockOf(service) + 1);
    return { order, refundCents, balanceCents: account.balanceCents };
  }

  private requireFunds(account: AccountRecord, cents: number): void {
    if (account.balanceCents < cents) {
      throw new ApiError(
        402,
        `Insufficient balance: this costs ${formatCents(cents)} and the balance is ${formatCents(account.balanceCents)}.`,
      );
    }
  }

  private charge(account: AccountRecord, cents: number): void {
    this.requireFunds(account, cents);
    account.balanceCents -= cents;
  }

  /** A 555-01xx number in one of the area codes that no live order holds, or null. */
  private allocateNumber(areaCodes: readonly string[]): string | null {
    const now = this.clock.now();
    const taken = new Set(this.orders.filter((order) => isLive(order, now)).map((order) => order.number));
    for (const area of shuffled(this.rng, areaCodes)) {
      const start = Math.floor(this.rng() * FICTIONAL_SUFFIXES.length);
      for (let i = 0; i < FICTIONAL_SUFFIXES.length; i++) {
        const number = `${area}555${FICTIONAL_SUFFIXES[(start + i) % FICTIONAL_SUFFIXES.length]}`;
        if (!taken.has(number)) return number;
      }
    }
    return null;
  }
}

function stockKey(service: CatalogueService): string {
  return `${service.pool}:${service.key}`;
}
