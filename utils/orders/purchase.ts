/**
 * Buying a number exactly once. The intent is saved before its paid request
 * is sent, only one purchase is in flight at a time, and a lost answer is
 * looked for in the account's lists instead of being sent again (see
 * `reconcile.ts`).
 */
import { formatMoney } from '../format';
import type { RemoteOrder, Text2faClient } from '../text2fa/types';
import { isText2faError } from '../text2fa/errors';
import type { Settings } from '../storage';
import type { OrderBookStore } from './book';
import type { EngineSession } from './engine';
import { errorOf, OrderError, requireOrder, requireSession } from './errors';
import { isQueuedForReject, newIntent, type Order, type OrderSite, type PurchaseRequest } from './model';
import type { PurchaseReconciler } from './reconcile';

/** One purchase, as a user action asks for it. */
export interface BuyOptions {
  /** Chosen by the caller per user action: the same intent id twice is the same purchase. */
  intentId: string;
  request: PurchaseRequest;
  site: OrderSite | null;
  /** The price the user was shown, checked against the known balance before buying. */
  expectedPrice: number | null;
  knownBalance: number | null;
  /** A deliberate second number for the same site ("reject and get another"). */
  another?: boolean;
}

/** What purchases need from the engine. */
export interface PurchaserDeps {
  book: OrderBookStore;
  session: EngineSession;
  settings(): Promise<Settings>;
  now(): number;
  skewMs(): number;
  reconciler: Pick<PurchaseReconciler, 'reconcilePending' | 'reconcile' | 'adopt'>;
  /** Counts a request against the engine's per-minute cap. */
  countRequest(): void;
  /**
   * A paid request is about to leave: from now on the worker must be woken if
   * it is stopped, whatever the answer (the engine arms its watchdog).
   */
  sending(): void;
}

/** Failures after which the purchase surely did not happen: the server answered and refused. */
function purchaseSurelyFailed(error: unknown): boolean {
  if (!isText2faError(error)) return false;
  return !['network', 'timeout', 'malformed', 'server'].includes(error.kind);
}

/** Sends purchases (new numbers and reused ones), one at a time and each at most once. */
export class Purchaser {
  private current: { intentId: string; done: Promise<Order> } | null = null;

  constructor(private readonly deps: PurchaserDeps) {}

  /** Whether a purchase request is out: until its answer is adopted, its order would look like a twin or an import. */
  get inFlight(): boolean {
    return this.current !== null;
  }

  /**
   * Buys one number, exactly once per intent: the same intent id returns the
   * same order; a second intent while one is in flight is refused; a second
   * intent for the same site and service while its number still waits
   * returns that order unless `another` is set.
   */
  buy(options: BuyOptions): Promise<Order> {
    return this.exclusively(options.intentId, () => this.buyOnce(options));
  }

  /**
   * Reuses an S1 number: a new paid order for the same number. Treated as a
   * purchase (its own intent id, exactly once).
   */
  async reuse(id: string, intentId: string): Promise<Order> {
    const { client, accountId } = await requireSession(this.deps.session);
    const original = await requireOrder(this.deps.book, id, accountId);
    if (original.pool !== 's1') throw new OrderError('not_allowed', 'Only S1 numbers can be reused.');
    const intent = newIntent({
      intentId,
      accountId,
      request: { pool: 's1', serviceKey: original.serviceKey ?? '', serviceName: original.serviceName },
      site: original.site,
      now: this.deps.now(),
    });
    return this.exclusively(intentId, () => this.sendIntent(intent, () => client.reuseNumberS1(original.orderId)));
  }

  /**
   * Runs one purchase at a time: an intent already in the book returns its
   * order, the same intent in flight shares its answer, any other is refused.
   */
  private async exclusively(intentId: string, purchase: () => Promise<Order>): Promise<Order> {
    const existing = await this.deps.book.find(intentId);
    if (existing) return existing;
    if (this.current) {
      if (this.current.intentId === intentId) return this.current.done;
      throw new OrderError('busy', 'Another number is being bought right now. Wait a moment.');
    }
    const done = purchase();
    this.current = { intentId, done };
    try {
      return await done;
    } finally {
      this.current = null;
    }
  }

  private async buyOnce(options: BuyOptions): Promise<Order> {
    const { client, accountId } = await requireSession(this.deps.session);
    await this.deps.reconciler.reconcilePending();
    const orders = await this.deps.book.orders();
    if (orders.some((o) => o.phase === 'purchasing' && o.accountId === accountId)) {
      throw new OrderError('busy', 'An earlier purchase is still being checked with Text2FA. Try again in a few seconds.');
    }
    if (!options.another && options.site?.siteKey) {
      const same = orders.find(
        (o) =>
          o.accountId === accountId &&
          o.site?.siteKey === options.site?.siteKey &&
          o.pool === options.request.pool &&
          o.serviceKey === options.request.serviceKey &&
          (o.phase === 'waiting' || o.phase === 'active') &&
          // A number queued for rejection is on its way out: it is never handed back as the site's number.
          !isQueuedForReject(o),
      );
      if (same) return same;
    }
    await this.checkSpending(options, orders);

    const intent = newIntent({ intentId: options.intentId, accountId, request: options.request, site: options.site, now: this.deps.now() });
    return this.sendIntent(intent, () => sendPurchase(client, options.request));
  }

  /**
   * Saves the intent, then sends the paid request once. A refusal marks the
   * intent failed; a lost answer (network, timeout, server error) is never
   * re-sent but looked for in the account's lists; an answer is adopted.
   */
  private async sendIntent(intent: Order, send: () => Promise<RemoteOrder>): Promise<Order> {
    // The server's clock at sending: twins of this purchase are looked for around this moment.
    await this.deps.book.put({ ...intent, sentAt: this.deps.now() - this.deps.skewMs() });
    this.deps.sending();
    let remote: RemoteOrder;
    try {
      this.deps.countRequest();
      remote = await send();
    } catch (error) {
      if (purchaseSurelyFailed(error)) {
        await this.deps.book.patch(intent.id, (o) => ({ ...o, phase: 'failed', updatedAt: this.deps.now(), error: errorOf(error, this.deps.now()) }));
        // The header must show the balance Text2FA refused the purchase with, not the cached one.
        if (isText2faError(error) && error.kind === 'insufficient_balance') await this.deps.session.balanceChanged(null);
        throw error;
      }
      // The answer was lost: the number may or may not be ours. Never send it again; look for it.
      await this.deps.book.patch(intent.id, (o) => ({ ...o, error: errorOf(error, this.deps.now()) }));
      await this.deps.reconciler.reconcile(intent.id);
      const after = await this.deps.book.find(intent.id);
      if (after && after.phase !== 'failed' && after.phase !== 'purchasing') return after;
      throw error;
    }
    return (await this.deps.reconciler.adopt(intent.id, remote)) ?? intent;
  }

  /**
   * Refuses a purchase the balance or the spending limit can't cover, before any
   * request. A cached balance that looks too low is read again first: the user
   * may have topped up since.
   */
  private async checkSpending(options: BuyOptions, orders: Order[]): Promise<void> {
    const price = options.expectedPrice;
    if (price === null) return;
    if (options.knownBalance !== null && options.knownBalance < price) {
      // Unreadable now: Text2FA itself refuses (402) a purchase the account can't pay.
      const fresh = await this.deps.session.freshBalance();
      if (fresh !== null && fresh < price) {
        throw new OrderError('insufficient_balance', 'Your Text2FA balance is too low for this number. Top up in the dashboard.');
      }
    }
    const limit = (await this.deps.settings()).spendingLimit24h;
    if (limit === null) return;
    const since = this.deps.now() - 24 * 3_600_000;
    // Twins count too until they are refunded (their refund is then deducted like any other).
    const spent = orders
      .filter((o) => !o.imported && o.createdAt >= since && o.phase !== 'failed')
      .reduce((sum, o) => sum + (o.price ?? 0) - (o.refund ?? 0), 0);
    if (spent + price > limit + 1e-9) {
      throw new OrderError(
        'spending_limit',
        // The popup adds a link to the limit in the options; the words stay about the money.
        `This would pass your spending limit of ${formatMoney(limit)} in 24 hours (${formatMoney(spent)} spent).`,
      );
    }
  }
}

/** The paid request for a new number in the request's pool. */
function sendPurchase(client: Text2faClient, request: PurchaseRequest): Promise<RemoteOrder> {
  switch (request.pool) {
    case 's1':
      return client.requestNumberS1({
        serviceKey: request.serviceKey,
        ...(request.premium !== undefined ? { premium: request.premium } : {}),
        ...(request.state ? { state: request.state } : {}),
      });
    case 's2':
      return client.requestNumberS2({ serviceKey: request.serviceKey, ...(request.areas?.length ? { areas: request.areas } : {}) });
    case 'rental':
      return client.requestRentalNumber({
        serviceKey: request.serviceKey,
        duration: request.duration ?? 7,
        ...(request.state ? { state: request.state } : {}),
      });
  }
}
