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
 * renewals in `actions.ts`, polling in `poll.ts`, and the engine's own changes
 * to stored orders (expiry, warnings, folding answers in) in `upkeep.ts`.
 */
import type { Pool, RemoteOrder, Text2faClient } from '../text2fa/types';
import type { Settings } from '../storage';
import { OrderActions } from './actions';
import type { OrderBookStore } from './book';
import { importedOrder, isLive, type Order, type ReceivedCode, type StoredMessage } from './model';
import { Poller } from './poll';
import { Purchaser, type BuyOptions } from './purchase';
import { PurchaseReconciler, type TwinOutcome } from './reconcile';
import { DEFAULT_POLL_POLICY, RequestBudget, type PollPolicy } from './schedule';
import { dueForReject, expireAndArchive, warnExpiring } from './upkeep';

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
  private readonly poller: Poller;
  private timer: unknown = null;
  private timerAt = Infinity;
  private lastSyncAt = 0;
  private started: Promise<void> | null = null;
  /** Null until the first tick, so the first one always reports (and the watchdog is set or cleared). */
  private live: boolean | null = null;
  /** Readings of whether anything is live, numbered as they start; `reportedReading` is the newest one told. */
  private readings = 0;
  private reportedReading = 0;

  constructor(private readonly deps: EngineDeps) {
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
      sending: () => this.setLive(true, ++this.readings),
    });
    this.actions = new OrderActions({
      book: deps.book,
      session: deps.session,
      events: deps.events,
      now: deps.now,
      skewMs: deps.skewMs,
      countRequest,
    });
    this.poller = new Poller({
      book: deps.book,
      session: deps.session,
      events: deps.events,
      now: deps.now,
      skewMs: deps.skewMs,
      random: deps.random,
      policy: deps.policy ?? DEFAULT_POLL_POLICY,
      budget: this.budget,
      reconciler: this.reconciler,
      purchaseInFlight: () => this.purchaser.inFlight,
      schedule: (delayMs) => this.schedule(delayMs),
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
    this.poller.hurryAll(this.deps.now());
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
  /** A page was filled with this code of the order: spent, and seen. */
  markCodeFilled(id: string, code: string): Promise<void> {
    return this.actions.markCodeFilled(id, code);
  }

  markPhoneFilled(id: string): Promise<void> {
    return this.actions.markPhoneFilled(id);
  }

  /** The page's phone field would not hold this order's number (null: it does now). */
  markPhoneProblem(id: string, problem: string | null): Promise<void> {
    return this.actions.markPhoneProblem(id, problem);
  }

  /** The order's sign-up moved from tab `fromTabId` to `toTabId`; true when `toTabId` holds the order now. */
  moveToTab(id: string, fromTabId: number | null, toTabId: number): Promise<boolean> {
    return this.actions.moveToTab(id, fromTabId, toTabId);
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
    const reading = ++this.readings;
    await expireAndArchive(this.deps);
    const session = await this.deps.session.current();
    const all = await this.deps.book.orders();
    const orders = all.filter((o) => isLive(o) && o.phase !== 'purchasing');
    const mine = session ? orders.filter((o) => o.accountId === session.accountId && o.orderId !== null) : [];
    const uncertain = all.some((o) => o.phase === 'purchasing' && o.accountId === session?.accountId);
    this.setLive(mine.length > 0 || uncertain, reading);
    // A purchase whose answer was lost and whose reconciliation failed (network down) is retried here.
    if (uncertain && !this.purchaser.inFlight) void this.reconciler.reconcilePending();
    // Twins: not while a purchase is in flight, whose order would look like one until its answer is adopted.
    if (session && !this.purchaser.inFlight) {
      await this.reconciler.tick({
        accountId: session.accountId,
        client: session.client,
        orders: all.filter((o) => o.accountId === session.accountId),
        now: this.deps.now(),
        listPolled: (pool) => this.poller.listPolled(pool),
        mayRequest: () => this.poller.mayRequest(),
      });
    }
    if (!session || mine.length === 0) {
      this.poller.forgetAll();
      return;
    }
    const settings = await this.deps.settings();
    this.budget.setLimit(settings.maxRequestsPerMinute);
    const now = this.deps.now();
    warnExpiring(this.deps, mine, now);
    for (const order of dueForReject(mine, settings, now)) await this.reject(order.id).catch(() => undefined);
    const nextAt = this.poller.pollDue(session.client, mine, now);
    if (nextAt !== Infinity) this.schedule(nextAt - now);
  }

  /**
   * Tells whether anything is live, unless a newer reading was told already:
   * ticks overlap, and one that read the book before a purchase must not
   * clear the watchdog that the purchase armed (a worker stopped then would
   * never be woken for the order).
   */
  private setLive(live: boolean, reading: number): void {
    if (reading < this.reportedReading) return;
    this.reportedReading = reading;
    if (live === this.live) return;
    this.live = live;
    this.deps.events.liveChanged(live);
  }
}
