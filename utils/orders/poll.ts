/**
 * Polling live orders for codes and messages. S1/S2 orders are read in one
 * request per pool list while the server's lists carry status and code; a
 * rental, an order the list stopped mentioning, or every order of a pool
 * whose list lacks detail gets its own request. Each of these is a poll
 * unit (see `schedule.ts`), fired when due and when the shared request
 * budget allows, backing off after failures.
 */
import type { Pool, Text2faClient } from '../text2fa/types';
import { isText2faError } from '../text2fa/errors';
import type { EngineDeps } from './engine';
import { applyMessages, isLive, type Order } from './model';
import type { PurchaseReconciler } from './reconcile';
import { PollUnits, pollInterval, type PollPolicy, type RequestBudget } from './schedule';
import { absorb } from './upkeep';

/** What polling needs from the engine. */
export interface PollerDeps extends Pick<EngineDeps, 'book' | 'session' | 'events' | 'now' | 'skewMs' | 'random'> {
  policy: PollPolicy;
  /** The engine's per-minute request cap, shared with purchases and user actions. */
  budget: RequestBudget;
  reconciler: Pick<PurchaseReconciler, 'searchTwins'>;
  /** Whether a purchase request is out (its order is not yet in the book as bought). */
  purchaseInFlight(): boolean;
  /** Asks the engine for another round in `delayMs` (sooner rounds already armed stand). */
  schedule(delayMs: number): void;
}

/** One poll unit as planned for this round: how often it is due and the request it sends. */
interface PlannedUnit {
  interval: number;
  run: () => Promise<void>;
}

/** Decides which polls are due, sends them, and folds their answers into the book. */
export class Poller {
  private readonly units = new PollUnits();
  /** Pools whose list endpoint turned out to lack status/code: poll their orders one by one. */
  private readonly listsLackDetail = new Set<Pool>();
  /** Orders a list did not mention: ask their details endpoint. */
  private readonly missingFromList = new Set<string>();
  /** Until when the server asked (Retry-After) for no more requests. */
  private pausedUntil = 0;
  private tokenRejectedReported = false;

  constructor(private readonly deps: PollerDeps) {}

  /** Makes every unit due now (the watchdog fired or a popup opened). */
  hurryAll(now: number): void {
    for (const unit of this.units.all()) this.units.hurry(unit.key, now);
  }

  /** Forgets every unit: no live order of the current account is left to poll. */
  forgetAll(): void {
    this.units.retain(new Set());
  }

  /** Whether this pool's orders are read from its list, whose answers the twin search can share. */
  listPolled(pool: Pool): boolean {
    return pool !== 'rental' && !this.listsLackDetail.has(pool);
  }

  /** Takes a request from the budget unless the server asked to pause. */
  mayRequest(): boolean {
    return this.deps.now() >= this.pausedUntil && this.deps.budget.tryTake(this.deps.now());
  }

  /**
   * Fires every poll of these orders that is due and that the budget allows.
   * Returns when the next poll is due (Infinity when none waits on time).
   */
  pollDue(client: Text2faClient, orders: readonly Order[], now: number): number {
    const plan = this.plan(client, orders, now);
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
      if (!this.deps.budget.tryTake(now)) {
        nextAt = Math.min(nextAt, this.deps.budget.nextAvailableAt(now));
        continue;
      }
      unit.inFlight = true;
      void run().then(
        () => this.succeeded(key, interval),
        (error: unknown) => this.failed(key, error),
      );
    }
    return nextAt;
  }

  /** Works out which units exist and how often each is due. */
  private plan(client: Text2faClient, orders: readonly Order[], now: number): Map<string, PlannedUnit> {
    const plan = new Map<string, PlannedUnit>();
    for (const order of orders) {
      const interval = this.intervalFor(order, now);
      const batched = this.listPolled(order.pool) && !this.missingFromList.has(order.id);
      const key = batched ? `list:${order.pool}` : `order:${order.id}`;
      const current = plan.get(key);
      if (current) current.interval = Math.min(current.interval, interval);
      else plan.set(key, { interval, run: batched ? () => this.pollList(client, order.pool) : () => this.pollOrder(client, order.id) });
    }
    return plan;
  }

  private succeeded(key: string, interval: number): void {
    this.tokenRejectedReported = false;
    this.units.succeeded(key, this.deps.now(), interval);
    // Not `interval`: the orders may need a shorter one now (a purchase while this ran).
    this.deps.schedule(0);
  }

  private failed(key: string, error: unknown): void {
    if (isText2faError(error) && error.kind === 'unauthorized' && !this.tokenRejectedReported) {
      this.tokenRejectedReported = true;
      this.deps.events.tokenRejected();
    }
    const retryAfterMs = isText2faError(error) ? error.retryAfterMs : undefined;
    if (retryAfterMs !== undefined) this.pausedUntil = this.deps.now() + retryAfterMs;
    this.units.failed(key, this.deps.now(), this.deps.random, retryAfterMs, this.deps.policy);
    const unitNow = this.units.get(key, this.deps.now());
    this.deps.schedule(unitNow.nextAt - this.deps.now());
  }

  private intervalFor(order: Order, now: number): number {
    // Orders that already have their code only wait for a resend: no hurry.
    if (order.phase === 'received') return this.deps.policy.slowIntervalMs;
    const since = order.pool === 'rental' ? Math.max(order.createdAt, order.messages.at(-1)?.seenAt ?? 0) : order.createdAt;
    return pollInterval(now - since, this.deps.policy);
  }

  private async pollList(client: Text2faClient, pool: Pool): Promise<void> {
    const listedAt = this.deps.now();
    const list = pool === 's1' ? await client.reservedListS1() : await client.reservedListS2();
    const byId = new Map(list.map((r) => [r.orderId, r]));
    const session = await this.deps.session.current();
    // The list polled for codes also shows twins of new purchases: no extra request for them.
    if (session && !this.deps.purchaseInFlight()) await this.deps.reconciler.searchTwins(session.accountId, pool, list, listedAt);
    if (list.length > 0 && list.every((r) => !r.hasDetail)) {
      // This server's lists carry no status or code: fall back to one details request per order.
      this.listsLackDetail.add(pool);
      this.deps.schedule(0);
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
        this.deps.schedule(0);
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
