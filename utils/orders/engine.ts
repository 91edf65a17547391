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
 *
 * This class is the background's one entry point and owns the timer; the work
 * itself lives beside it: buying in `purchase.ts`, rejects, cancels and
 * renewals in `actions.ts`, polling here, and the engine's own changes
 * to stored orders (expiry, warnings, folding answers in) in `upkeep.ts`.
 */
import type { Pool, RemoteOrder, Text2faClient } from '../text2fa/types';
import { isText2faError } from '../text2fa/errors';
import type { Settings } from '../storage';
import { OrderActions } from './actions';
import type { OrderBookStore } from './book';
import { applyMessages, importedOrder, isLive, type Order, type ReceivedCode, type StoredMessage } from './model';
import { Purchaser, type BuyOptions } from './purchase';
import { PurchaseReconciler, type TwinOutcome } from './reconcile';
import { DEFAULT_POLL_POLICY, PollUnits, pollInterval, RequestBudget, type PollPolicy } from './schedule';
import { absorb, dueForReject, expireAndArchive, warnExpiring } from './upkeep';

export { OrderError } from './errors';
export type { BuyOptions } from './purchase';

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

/** The popup opening syncs at most this often. */
const SYNC_MIN_INTERVAL_MS = 20_000;

export class OrderEngine {
  private readonly budget = new RequestBudget(60);
  private readonly reconciler: PurchaseReconciler;
  private readonly purchaser: Purchaser;
  private readonly actions: OrderActions;
  private readonly units = new PollUnits();
  private readonly policy: PollPolicy;
  /** Pools whose list endpoint turned out to lack status/code: poll their orders one by one. */
  private readonly listsLackDetail = new Set<Pool>();
  /** Orders a list did not mention: ask their details endpoint. */
  private readonly missingFromList = new Set<string>();
  private pausedUntil = 0;
  private timer: unknown = null;
  private timerAt = Infinity;
  private lastSyncAt = 0;
  private started: Promise<void> | null = null;
  /** Null until the first tick, so the first one always reports (and the watchdog is set or cleared). */
  private live: boolean | null = null;
  private tokenRejectedReported = false;

  constructor(private readonly deps: EngineDeps) {
    this.policy = deps.policy ?? DEFAULT_POLL_POLICY;
    const countRequest = () => this.countRequest();
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
    this.purchaser = new Purchaser({
      book: deps.book,
      session: deps.session,
      settings: deps.settings,
      now: deps.now,
      skewMs: deps.skewMs,
      reconciler: this.reconciler,
      countRequest,
    });
    this.actions = new OrderActions({
      book: deps.book,
      session: deps.session,
      events: deps.events,
      now: deps.now,
      skewMs: deps.skewMs,
      countRequest,
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

  // ---------------------------------------------------------------- user actions (see purchase.ts, actions.ts)

  /**
   * Buys one number, exactly once per intent: the same intent id returns the
   * same order; a second intent while one is in flight is refused; a second
   * intent for the same site and service while its number still waits
   * returns that order unless `another` is set.
   */
  async buy(options: BuyOptions): Promise<Order> {
    await this.start();
    return this.purchaser.buy(options);
  }

  /** Reuses an S1 number: a new paid order for the same number, bought exactly once per intent like `buy`. */
  reuse(id: string, intentId: string): Promise<Order> {
    return this.purchaser.reuse(id, intentId);
  }

  /** Rejects an S1/S2 number for a refund; a reject the server finds too early is retried later. */
  reject(id: string): Promise<Order> {
    return this.actions.reject(id);
  }

  /** Cancels a rental and records the refund. */
  cancelRental(id: string): Promise<Order> {
    return this.actions.cancelRental(id);
  }

  /** Extends a rental by `days`. */
  renewRental(id: string, days: number): Promise<Order> {
    return this.actions.renewRental(id, days);
  }

  /** The page's phone field got this order's number: don't fill it again. */
  markPhoneFilled(id: string): Promise<void> {
    return this.actions.markPhoneFilled(id);
  }

  /** The page's phone field would not hold this order's number (null: it does now). */
  markPhoneProblem(id: string, problem: string | null): Promise<void> {
    return this.actions.markPhoneProblem(id, problem);
  }

  /** The user saw the order's code (or a twin's notice): it no longer counts on the badge. */
  markSeen(id: string): Promise<void> {
    return this.actions.markSeen(id);
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

  private fetchList(client: Text2faClient, pool: Pool): Promise<RemoteOrder[]> {
    this.countRequest();
    if (pool === 's1') return client.reservedListS1();
    if (pool === 's2') return client.reservedListS2();
    return client.rentalReserveList();
  }

  // ---------------------------------------------------------------- scheduling

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
    if (uncertain && !this.purchaser.inFlight) void this.reconciler.reconcilePending();
    // Twins: not while a purchase is in flight, whose order would look like one until its answer is adopted.
    if (session && !this.purchaser.inFlight) {
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

  private setLive(live: boolean): void {
    if (live === this.live) return;
    this.live = live;
    this.deps.events.liveChanged(live);
  }

  private intervalFor(order: Order, now: number): number {
    // Orders that already have their code only wait for a resend: no hurry.
    if (order.phase === 'received') return this.policy.slowIntervalMs;
    const since = order.pool === 'rental' ? Math.max(order.createdAt, order.messages.at(-1)?.seenAt ?? 0) : order.createdAt;
    return pollInterval(now - since, this.policy);
  }

  private async pollList(client: Text2faClient, pool: Pool): Promise<void> {
    const list = pool === 's1' ? await client.reservedListS1() : await client.reservedListS2();
    const byId = new Map(list.map((r) => [r.orderId, r]));
    const session = await this.deps.session.current();
    // The list polled for codes also shows twins of new purchases: no extra request for them.
    if (session && !this.purchaser.inFlight) await this.reconciler.searchTwins(session.accountId, pool, list);
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
}
