/**
 * The order engine: buys numbers exactly once, polls for codes, imports
 * orders made elsewhere, rejects and cancels with refunds, and tells the
 * rest of the background when something happened.
 *
 * Durability: the order book in storage is the truth. An intent is written
 * before its purchase request is sent and the answer right after it, so a
 * worker stopped at any instant finds on restart either the finished order
 * or a `purchasing` intent, which it reconciles against the server's lists
 * instead of buying again (see `reconcile.ts`, which also finds and refunds
 * a purchase that the server ran twice).
 */
import { formatMoney } from '../format';
import type { Pool, RemoteOrder, Text2faClient } from '../text2fa/types';
import { isText2faError, type Text2faError } from '../text2fa/errors';
import type { Settings } from '../storage';
import type { OrderBookStore } from './book';
import { errorOf, OrderError, requireOrder, requireSession } from './errors';
import {
  applyMessages,
  importedOrder,
  isFinal,
  isLive,
  newIntent,
  type Order,
  type OrderSite,
  type PurchaseRequest,
  type ReceivedCode,
  type StoredMessage,
} from './model';
import { PurchaseReconciler, type TwinOutcome } from './reconcile';
import { DEFAULT_POLL_POLICY, PollUnits, pollInterval, RequestBudget, type PollPolicy } from './schedule';
import { absorb, dueForReject, expireAndArchive, warnExpiring } from './upkeep';

export { OrderError } from './errors';

/** What the engine needs from the session: a client for the current token and that token's account. */
export interface EngineSession {
  current(): Promise<{ client: Text2faClient; accountId: string } | null>;
  /** Called with the balance a refund or renewal answer carried, and after purchases (to re-read it). */
  balanceChanged(balance: number | null): Promise<void>;
  /** Reads the balance from Text2FA now (and keeps it for the popup); null when it can't be read. */
  freshBalance(): Promise<number | null>;
}

/** What the engine tells the rest of the background. */
export interface EngineEvents {
  /** A number is ours (bought, reused, or adopted after a lost answer): its page may take it. */
  bought(order: Order): void;
  code(order: Order, code: ReceivedCode): void;
  message(order: Order, message: StoredMessage): void;
  /** A problem with an order that the user should hear about even with no popup open. */
  problem(order: Order, message: string): void;
  /** The number is no longer live (rejected, cancelled, expired, completed): its page must not keep it. */
  ended(order: Order): void;
  /** A twin of a purchase (charged twice) was refunded, kept because its SMS came first, or ended unrefunded. */
  twin(order: Order, outcome: TwinOutcome): void;
  expiringSoon(order: Order): void;
  /** Live orders appeared or all ended: the watchdog alarm follows this. */
  liveChanged(anyLive: boolean): void;
  /** Text2FA refused the stored token while polling (told once until a request succeeds again). */
  tokenRejected(): void;
}

export interface Timers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface EngineDeps {
  book: OrderBookStore;
  session: EngineSession;
  events: EngineEvents;
  settings(): Promise<Settings>;
  now(): number;
  random(): number;
  timers: Timers;
  /** Local minus server clock, from the `Date` headers (0 when the clocks agree). */
  skewMs(): number;
  policy?: PollPolicy;
}

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

/** Failures after which the purchase surely did not happen: the server answered and refused. */
function purchaseSurelyFailed(error: unknown): boolean {
  if (!isText2faError(error)) return false;
  return !['network', 'timeout', 'malformed', 'server'].includes(error.kind);
}

/** The popup opening syncs at most this often. */
const SYNC_MIN_INTERVAL_MS = 20_000;
/** A 'too early' reject is retried after this long (the server allows it after a minute). */
const TOO_EARLY_RETRY_MS = 15_000;

export class OrderEngine {
  private readonly units = new PollUnits();
  private readonly budget: RequestBudget;
  private readonly policy: PollPolicy;
  /** Pools whose list endpoint turned out to lack status/code: poll their orders one by one. */
  private readonly listsLackDetail = new Set<Pool>();
  /** Orders a list did not mention: ask their details endpoint. */
  private readonly missingFromList = new Set<string>();
  private timer: unknown = null;
  private timerAt = Infinity;
  private pausedUntil = 0;
  private purchase: { intentId: string; done: Promise<Order> } | null = null;
  private readonly reconciler: PurchaseReconciler;
  private lastSyncAt = 0;
  private started: Promise<void> | null = null;
  /** Null until the first tick, so the first one always reports (and the watchdog is set or cleared). */
  private live: boolean | null = null;
  private tokenRejectedReported = false;

  constructor(private readonly deps: EngineDeps) {
    this.policy = deps.policy ?? DEFAULT_POLL_POLICY;
    this.budget = new RequestBudget(60);
    this.reconciler = new PurchaseReconciler({
      book: deps.book,
      session: deps.session,
      now: deps.now,
      skewMs: deps.skewMs,
      timers: deps.timers,
      fetchList: (client, pool) => this.fetchList(client, pool),
      refund: (order) => (order.pool === 'rental' ? this.cancelRental(order.id) : this.reject(order.id)),
      adopted: (order) => {
        void this.deps.session.balanceChanged(null);
        this.schedule(0);
        this.deps.events.bought(order);
      },
      twinSettled: (order, outcome) => this.deps.events.twin(order, outcome),
    });
  }

  /** Reloads the book, ends expired orders, reconciles lost purchases, imports the account's orders, resumes polling. */
  start(): Promise<void> {
    this.started ??= (async () => {
      await expireAndArchive(this.deps);
      await this.reconciler.reconcilePending();
      await this.sync(true).catch(() => undefined);
      this.schedule(0);
    })();
    return this.started;
  }

  /** Called by the watchdog alarm and when a popup opens: poll now if anything waits. */
  wake(): void {
    const now = this.deps.now();
    for (const unit of this.units.all()) this.units.hurry(unit.key, now);
    this.schedule(0);
  }

  // ---------------------------------------------------------------- buying

  /**
   * Buys one number, exactly once per intent: the same intent id returns the
   * same order; a second intent while one is in flight is refused; a second
   * intent for the same site and service while its number still waits
   * returns that order unless `another` is set.
   */
  async buy(options: BuyOptions): Promise<Order> {
    await this.start();
    return this.exclusively(options.intentId, () => this.buyOnce(options));
  }

  /**
   * Runs one purchase at a time: an intent already in the book returns its
   * order, the same intent in flight shares its answer, any other is refused.
   */
  private async exclusively(intentId: string, purchase: () => Promise<Order>): Promise<Order> {
    const existing = await this.deps.book.find(intentId);
    if (existing) return existing;
    if (this.purchase) {
      if (this.purchase.intentId === intentId) return this.purchase.done;
      throw new OrderError('busy', 'Another number is being bought right now. Wait a moment.');
    }
    const done = purchase();
    this.purchase = { intentId, done };
    try {
      return await done;
    } finally {
      this.purchase = null;
    }
  }

  private async buyOnce(options: BuyOptions): Promise<Order> {
    const { client, accountId } = await requireSession(this.deps.session);
    await this.reconciler.reconcilePending();
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
          (o.phase === 'waiting' || o.phase === 'active'),
      );
      if (same) return same;
    }
    await this.checkSpending(options, orders);

    const intent = newIntent({ intentId: options.intentId, accountId, request: options.request, site: options.site, now: this.deps.now() });
    return this.sendIntent(intent, () => this.sendPurchase(client, options.request));
  }

  /**
   * Saves the intent, then sends the paid request once. A refusal marks the
   * intent failed; a lost answer (network, timeout, server error) is never
   * re-sent but looked for in the account's lists; an answer is adopted.
   */
  private async sendIntent(intent: Order, send: () => Promise<RemoteOrder>): Promise<Order> {
    // The server's clock at sending: twins of this purchase are looked for around this moment.
    await this.deps.book.put({ ...intent, sentAt: this.deps.now() - this.deps.skewMs() });
    let remote: RemoteOrder;
    try {
      this.countRequest();
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
      await this.reconciler.reconcile(intent.id);
      const after = await this.deps.book.find(intent.id);
      if (after && after.phase !== 'failed' && after.phase !== 'purchasing') return after;
      throw error;
    }
    return (await this.reconciler.adopt(intent.id, remote)) ?? intent;
  }

  private sendPurchase(client: Text2faClient, request: PurchaseRequest): Promise<RemoteOrder> {
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

  private fetchList(client: Text2faClient, pool: Pool): Promise<RemoteOrder[]> {
    this.countRequest();
    if (pool === 's1') return client.reservedListS1();
    if (pool === 's2') return client.reservedListS2();
    return client.rentalReserveList();
  }

  // ---------------------------------------------------------------- sync

  /** Imports the account's live orders made elsewhere, so the popup shows what the dashboard shows. */
  async sync(force = false): Promise<void> {
    const now = this.deps.now();
    if (!force && now - this.lastSyncAt < SYNC_MIN_INTERVAL_MS) return;
    this.lastSyncAt = now;
    const session = await this.deps.session.current();
    if (!session) return;
    await this.reconciler.reconcilePending();
    for (const pool of ['s1', 's2', 'rental'] as const) {
      const list = await this.fetchList(session.client, pool);
      await this.deps.book.update((orders) => {
        // A purchase in flight is in the list before its answer arrives: importing it now would show it twice.
        if (orders.some((o) => o.phase === 'purchasing' && o.accountId === session.accountId)) return orders;
        const known = new Set(orders.map((o) => `${o.pool}:${o.orderId}`));
        const fresh = list
          .filter((r) => !known.has(`${r.pool}:${r.orderId}`))
          .map((r) => importedOrder(session.accountId, r, this.deps.now(), this.deps.skewMs()))
          .filter((o) => isLive(o));
        return fresh.length ? [...orders, ...fresh] : orders;
      });
    }
    this.schedule(0);
  }

  // ---------------------------------------------------------------- polling

  /** Arms the timer for `delayMs` from now, unless it is already due sooner. */
  private schedule(delayMs: number): void {
    const at = this.deps.now() + Math.max(0, delayMs);
    if (this.timer !== null && this.timerAt <= at) return;
    if (this.timer !== null) this.deps.timers.clear(this.timer);
    this.timerAt = at;
    this.timer = this.deps.timers.set(() => {
      this.timer = null;
      this.timerAt = Infinity;
      void this.tick();
    }, Math.max(0, delayMs));
  }

  private countRequest(): void {
    // Lists and purchases count against the cap too, but are never refused by it: they are user actions.
    this.budget.tryTake(this.deps.now());
  }

  /** One round: expire, auto-reject, fire every due poll the budget allows, then sleep until the next is due. */
  private async tick(): Promise<void> {
    await expireAndArchive(this.deps);
    const session = await this.deps.session.current();
    const all = await this.deps.book.orders();
    const orders = all.filter((o) => isLive(o) && o.phase !== 'purchasing');
    const mine = session ? orders.filter((o) => o.accountId === session.accountId && o.orderId !== null) : [];
    const uncertain = all.some((o) => o.phase === 'purchasing' && o.accountId === session?.accountId);
    this.setLive(mine.length > 0 || uncertain);
    // A purchase whose answer was lost and whose reconciliation failed (network down) is retried here.
    if (uncertain && !this.purchase) void this.reconciler.reconcilePending();
    // Twins: not while a purchase is in flight, whose order would look like one until its answer is adopted.
    if (session && !this.purchase) {
      await this.reconciler.tick({
        accountId: session.accountId,
        client: session.client,
        orders: all.filter((o) => o.accountId === session.accountId),
        now: this.deps.now(),
        listPolled: (pool) => pool !== 'rental' && !this.listsLackDetail.has(pool),
        mayRequest: () => this.deps.now() >= this.pausedUntil && this.budget.tryTake(this.deps.now()),
      });
    }
    if (!session || mine.length === 0) {
      this.units.retain(new Set());
      return;
    }
    const settings = await this.deps.settings();
    this.budget.setLimit(settings.maxRequestsPerMinute);
    const now = this.deps.now();
    warnExpiring(this.deps, mine, now);
    for (const order of dueForReject(mine, settings, now)) await this.reject(order.id).catch(() => undefined);

    // Work out which units exist and how often each is due.
    const plan = new Map<string, { interval: number; run: () => Promise<void> }>();
    for (const order of mine) {
      const interval = this.intervalFor(order, now);
      const batched = order.pool !== 'rental' && !this.listsLackDetail.has(order.pool) && !this.missingFromList.has(order.id);
      const key = batched ? `list:${order.pool}` : `order:${order.id}`;
      const current = plan.get(key);
      if (current) current.interval = Math.min(current.interval, interval);
      else plan.set(key, { interval, run: batched ? () => this.pollList(session.client, order.pool) : () => this.pollOrder(session.client, order.id) });
    }
    this.units.retain(new Set(plan.keys()));

    let nextAt = Infinity;
    for (const [key, { interval, run }] of plan) {
      const unit = this.units.get(key, now);
      if (unit.inFlight) continue;
      const due = Math.max(this.units.dueAt(key, now, interval), this.pausedUntil);
      if (due > now) {
        nextAt = Math.min(nextAt, due);
        continue;
      }
      if (!this.budget.tryTake(now)) {
        nextAt = Math.min(nextAt, this.budget.nextAvailableAt(now));
        continue;
      }
      unit.inFlight = true;
      void run().then(
        () => {
          this.tokenRejectedReported = false;
          this.units.succeeded(key, this.deps.now(), interval);
          // Not `interval`: the orders may need a shorter one now (a purchase while this ran).
          this.schedule(0);
        },
        (error: unknown) => {
          if (isText2faError(error) && error.kind === 'unauthorized' && !this.tokenRejectedReported) {
            this.tokenRejectedReported = true;
            this.deps.events.tokenRejected();
          }
          const retryAfterMs = isText2faError(error) ? error.retryAfterMs : undefined;
          if (retryAfterMs !== undefined) this.pausedUntil = this.deps.now() + retryAfterMs;
          this.units.failed(key, this.deps.now(), this.deps.random, retryAfterMs, this.policy);
          const unitNow = this.units.get(key, this.deps.now());
          this.schedule(unitNow.nextAt - this.deps.now());
        },
      );
    }
    if (nextAt !== Infinity) this.schedule(nextAt - now);
  }

  private intervalFor(order: Order, now: number): number {
    // Orders that already have their code only wait for a resend: no hurry.
    if (order.phase === 'received') return this.policy.slowIntervalMs;
    const since = order.pool === 'rental' ? Math.max(order.createdAt, order.messages.at(-1)?.seenAt ?? 0) : order.createdAt;
    return pollInterval(now - since, this.policy);
  }

  private setLive(live: boolean): void {
    if (live === this.live) return;
    this.live = live;
    this.deps.events.liveChanged(live);
  }

  private async pollList(client: Text2faClient, pool: Pool): Promise<void> {
    const list = pool === 's1' ? await client.reservedListS1() : await client.reservedListS2();
    const byId = new Map(list.map((r) => [r.orderId, r]));
    const session = await this.deps.session.current();
    // The list polled for codes also shows twins of new purchases: no extra request for them.
    if (session && !this.purchase) await this.reconciler.searchTwins(session.accountId, pool, list);
    if (list.length > 0 && list.every((r) => !r.hasDetail)) {
      // This server's lists carry no status or code: fall back to one details request per order.
      this.listsLackDetail.add(pool);
      this.schedule(0);
      return;
    }
    const orders = (await this.deps.book.orders()).filter(
      (o) => o.pool === pool && isLive(o) && o.orderId !== null && o.accountId === session?.accountId,
    );
    for (const order of orders) {
      const remote = byId.get(order.orderId ?? '');
      if (remote) await absorb(this.deps, order.id, remote);
      else {
        // Gone from the list: it ended (expired, rejected) or the list is partial. Its details will say.
        this.missingFromList.add(order.id);
        this.schedule(0);
      }
    }
  }

  private async pollOrder(client: Text2faClient, id: string): Promise<void> {
    const order = await this.deps.book.find(id);
    if (!order || !isLive(order) || order.orderId === null) return;
    if (order.pool === 'rental') {
      const { messages } = await client.rentalMessage(order.orderId);
      const result = applyMessages(order, messages, this.deps.now());
      if (result.newMessages.length === 0) return;
      const saved = await this.deps.book.patch(id, (o) => applyMessages(o, messages, this.deps.now()).order);
      if (saved) for (const message of result.newMessages) this.deps.events.message(saved, message);
      return;
    }
    const remote = order.pool === 's1' ? await client.numberDetailsS1(order.orderId) : await client.numberDetailsS2(order.orderId);
    this.missingFromList.delete(id);
    await absorb(this.deps, id, remote);
  }

  // ---------------------------------------------------------------- actions

  /**
   * Rejects an S1/S2 number for a refund. When the server says it is too
   * early, the reject is retried later by the engine (not a failure); when a
   * code already arrived, the code is recorded and the reject refused. After
   * a reject the order is read once more, since an SMS can land meanwhile.
   */
  async reject(id: string): Promise<Order> {
    const { client, accountId } = await requireSession(this.deps.session);
    const order = await requireOrder(this.deps.book, id, accountId);
    if (order.pool === 'rental') throw new OrderError('not_allowed', 'Rentals are cancelled, not rejected.');
    if (isFinal(order.phase)) return order;
    try {
      this.countRequest();
      const result = order.pool === 's1' ? await client.rejectNumberS1(order.orderId) : await client.rejectNumberS2(order.orderId);
      const saved = await this.deps.book.patch(id, (o) => ({
        ...o,
        phase: 'rejected',
        remoteStatus: result.rawStatus || o.remoteStatus,
        refund: result.refund ?? o.price,
        updatedAt: this.deps.now(),
        rejectRetryAt: null,
        error: null,
      }));
      await this.deps.session.balanceChanged(result.balance);
      if (saved) this.deps.events.ended(saved);
      await this.recheck(client, id);
      return (await this.deps.book.find(id)) ?? saved ?? order;
    } catch (error) {
      if (isText2faError(error) && error.kind === 'conflict') return this.afterRejectConflict(client, id, error);
      await this.deps.book.patch(id, (o) => ({ ...o, error: errorOf(error, this.deps.now()) }));
      throw error;
    }
  }

  /** A 409 on reject: re-read the order to learn why, and act on it. */
  private async afterRejectConflict(client: Text2faClient, id: string, error: Text2faError): Promise<Order> {
    const remote = await this.recheck(client, id);
    const order = (await this.deps.book.find(id))!;
    if (order.codes.length > 0 || error.reason === 'code_received') {
      throw new OrderError('not_allowed', 'A code already arrived for this number, so it can no longer be rejected.');
    }
    if (remote && isFinal(order.phase)) return order;
    // Too early (or the server did not say why while the order still waits): try again later, quietly.
    const retryAt = this.deps.now() + TOO_EARLY_RETRY_MS;
    return (await this.deps.book.patch(id, (o) => ({ ...o, rejectRetryAt: retryAt, error: null }))) ?? order;
  }

  private async recheck(client: Text2faClient, id: string): Promise<RemoteOrder | null> {
    const order = await this.deps.book.find(id);
    if (!order?.orderId || order.pool === 'rental') return null;
    try {
      this.countRequest();
      const remote = order.pool === 's1' ? await client.numberDetailsS1(order.orderId) : await client.numberDetailsS2(order.orderId);
      await absorb(this.deps, id, remote);
      return remote;
    } catch {
      return null;
    }
  }

  /** Cancels a rental and records the refund. */
  async cancelRental(id: string): Promise<Order> {
    const { client, accountId } = await requireSession(this.deps.session);
    const order = await requireOrder(this.deps.book, id, accountId);
    if (order.pool !== 'rental') throw new OrderError('not_allowed', 'Only rentals can be cancelled; reject a temporary number instead.');
    if (isFinal(order.phase)) return order;
    this.countRequest();
    const result = await client.cancelRental(order.orderId);
    const saved = await this.deps.book.patch(id, (o) => ({
      ...o,
      phase: 'cancelled',
      remoteStatus: result.rawStatus || o.remoteStatus,
      refund: result.refund ?? 0,
      updatedAt: this.deps.now(),
      error: null,
    }));
    await this.deps.session.balanceChanged(result.balance);
    if (saved) this.deps.events.ended(saved);
    return saved ?? order;
  }

  /** Extends a rental by `days`. */
  async renewRental(id: string, days: number): Promise<Order> {
    const { client, accountId } = await requireSession(this.deps.session);
    const order = await requireOrder(this.deps.book, id, accountId);
    if (order.pool !== 'rental' || isFinal(order.phase)) throw new OrderError('not_allowed', 'Only an active rental can be renewed.');
    this.countRequest();
    const result = await client.renewRental(order.orderId, days);
    const saved = await this.deps.book.patch(id, (o) => ({
      ...o,
      expiresAt: result.expiresAt !== null ? result.expiresAt + this.deps.skewMs() : o.expiresAt,
      price: o.price !== null && result.price !== null ? o.price + result.price : o.price,
      updatedAt: this.deps.now(),
      expiryWarnedAt: null,
    }));
    await this.deps.session.balanceChanged(result.balance);
    return saved ?? order;
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


  /** The page's phone field got this order's number: don't fill it again. */
  async markPhoneFilled(id: string): Promise<void> {
    await this.deps.book.patch(id, (o) => (o.phoneFilledAt !== null ? o : { ...o, phoneFilledAt: this.deps.now() }));
  }

  /** The page's phone field would not hold this order's number (null: it does now). */
  async markPhoneProblem(id: string, problem: string | null): Promise<void> {
    await this.deps.book.patch(id, (o) => (o.phoneFillProblem === problem ? o : { ...o, phoneFillProblem: problem }));
  }

  /**
   * The user saw the order's code (popup, filled into the page): it no longer
   * counts on the badge. For a twin, the user also read the popup's notice about it.
   */
  async markSeen(id: string): Promise<void> {
    const now = this.deps.now();
    await this.deps.book.patch(id, (o) => {
      const dismiss = o.twin !== null && o.twin.dismissedAt === null;
      if (o.unseenCode === null && !dismiss) return o;
      return { ...o, unseenCode: null, ...(dismiss ? { twin: { ...o.twin!, dismissedAt: now } } : {}) };
    });
  }
}
