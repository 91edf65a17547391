/**
 * Purchase reconciliation: what the engine does when it cannot be sure what a
 * purchase request did at Text2FA.
 *
 * - **A lost answer** (timeout, dropped connection, a worker stopped mid-purchase):
 *   the purchase is looked for in the pool's list and adopted, never sent again.
 * - **A twin**: one request can reach the server twice. The browser itself
 *   (Chromium and Firefox both) resends a POST when a reused connection closes
 *   before any byte of the answer arrives, and a proxy may do the same, so one
 *   click can be charged twice while the extension only ever sees one answer.
 *   After every purchase, adoption or reconciliation the pool's list is searched
 *   for an order that neither the book nor the history knows, for the same
 *   service, created within `TWIN_WINDOW_MS` of the moment the purchase was sent
 *   (server clock). Such an order is refunded as soon as Text2FA allows and the
 *   user is told once.
 *
 * The window is what tells a twin from an order the user made on the Text2FA
 * dashboard: a resent request reaches the server within a second or two of the
 * first, while a dashboard purchase of the same service in those same seconds
 * is very unlikely. Candidates without a service or a creation time are never
 * touched: nothing proves they are ours.
 */
import type { Pool, RemoteOrder, Text2faClient } from '../text2fa/types';
import type { OrderBookStore } from './book';
import type { EngineSession, Timers } from './engine';
import { applyRemote, importedOrder, isFinal, isLive, type Order } from './model';

/** How close to the moment a purchase was sent (server clock) an unknown order must be created to count as its twin. */
export const TWIN_WINDOW_MS = 10_000;
/** How often to look for an uncertain purchase in the server's lists… */
const RECONCILE_EVERY_MS = 3_000;
/**
 * …and how long after its answer was lost: then the purchase did not happen.
 * Measured from the loss recorded on the intent, so a worker stopped now and
 * then still concludes (counting tries in memory would start over each time).
 */
const RECONCILE_GIVE_UP_MS = 10_000;
/** Intents saved before the sending time was recorded: a lost purchase may show this much before the intent (clock error). */
const RECONCILE_SLACK_MS = 120_000;
/**
 * A lost purchase was made by the server at most this long after it was sent
 * (the client gives up after 15 s): an older or newer unknown order is someone
 * else's (a dashboard purchase, a twin of another purchase not yet found).
 */
const LOST_ANSWER_WINDOW_MS = 30_000;
/** A twin whose refund failed (network, server) is tried again after this long. */
const TWIN_RETRY_MS = 15_000;

/** How a twin ended for the user: refunded, kept because its SMS came first, or neither (it ended unrefunded). */
export type TwinOutcome = 'refunded' | 'kept' | 'unrefunded';

/** A purchase as the twin search sees it. */
export interface PurchaseMoment {
  pool: Pool;
  serviceName: string;
  /** When its request was sent, on the server's clock. */
  sentAt: number;
}

const orderKey = (pool: Pool, orderId: string | null) => `${pool}:${orderId}`;
const ENDED_STATUSES = new Set(['rejected', 'expired', 'cancelled', 'completed']);

/**
 * The orders the extension already accounts for: everything in the book and
 * history except plain imports (an import only mirrors the account's list; it
 * may itself be a twin that a sync picked up first).
 */
export function knownOrderKeys(orders: Iterable<Order>): Set<string> {
  const known = new Set<string>();
  for (const order of orders) if (order.orderId !== null && (!order.imported || order.twin)) known.add(orderKey(order.pool, order.orderId));
  return known;
}

/**
 * The twins of one purchase in a pool's list: unknown, still live, same pool and
 * service, created within `TWIN_WINDOW_MS` of the purchase (server clock).
 * Orders without a service or creation time are left alone.
 */
export function findTwins(list: readonly RemoteOrder[], purchase: PurchaseMoment, known: ReadonlySet<string>): RemoteOrder[] {
  const service = purchase.serviceName.trim().toLowerCase();
  return list.filter(
    (r) =>
      r.pool === purchase.pool &&
      !known.has(orderKey(r.pool, r.orderId)) &&
      r.service !== null &&
      r.service.trim().toLowerCase() === service &&
      r.createdAt !== null &&
      Math.abs(r.createdAt - purchase.sentAt) <= TWIN_WINDOW_MS &&
      !ENDED_STATUSES.has(r.status),
  );
}

/** When a purchase was sent on the server's clock (older orders did not record it: their creation stands in). */
export function sentAtOf(order: Order, skewMs: number): number {
  return order.sentAt ?? order.createdAt - skewMs;
}

export interface ReconcilerDeps {
  book: OrderBookStore;
  session: EngineSession;
  now(): number;
  skewMs(): number;
  timers: Timers;
  fetchList(client: Text2faClient, pool: Pool): Promise<RemoteOrder[]>;
  /** Rejects (S1/S2) or cancels (rental) an order with the engine's own action; a too-early reject schedules its retry. */
  refund(order: Order): Promise<Order>;
  /** A purchase is ours after all (its answer was lost): the page may take it. */
  adopted(order: Order): void;
  /** A twin was refunded, or kept because its SMS came first, or ended unrefunded: tell the user. */
  twinSettled(order: Order, outcome: TwinOutcome): void;
}

/** Reconciles lost purchase answers and finds, refunds and reports twins. */
export class PurchaseReconciler {
  private reconciling: Promise<void> | null = null;
  private readonly busy = new Set<string>();
  /**
   * When each purchase's own answer was adopted, in this worker's life. A list
   * asked for before that moment may predate the purchase and its twin, so it
   * proves nothing about them. A purchase answered in an earlier life of the
   * worker is older than any list asked for in this one.
   */
  private readonly answeredAt = new Map<string, number>();

  constructor(private readonly deps: ReconcilerDeps) {}

  /** Reconciles every purchase whose answer was lost (at start, before a new purchase). */
  reconcilePending(): Promise<void> {
    this.reconciling ??= (async () => {
      const pending = (await this.deps.book.orders()).filter((o) => o.phase === 'purchasing');
      for (const order of pending) await this.reconcile(order.id);
    })().finally(() => {
      this.reconciling = null;
    });
    return this.reconciling;
  }

  /**
   * Looks for an uncertain purchase in the pool's list: an order this book
   * does not know, for the same service, created around the sending. Adopts
   * the newest such order (the others are then its twins); when the lists
   * still show none `RECONCILE_GIVE_UP_MS` after the answer was lost, the
   * purchase did not happen. If the lists can't be read, the intent stays for later.
   */
  async reconcile(id: string): Promise<void> {
    for (let first = true; ; first = false) {
      if (!first) await new Promise((resolve) => this.deps.timers.set(() => resolve(undefined), RECONCILE_EVERY_MS));
      const order = await this.deps.book.find(id);
      if (!order || order.phase !== 'purchasing') return;
      const session = await this.deps.session.current();
      if (!session || session.accountId !== order.accountId) return;
      let list: RemoteOrder[];
      const listedAt = this.deps.now();
      try {
        list = await this.deps.fetchList(session.client, order.pool);
      } catch {
        return;
      }
      const known = knownOrderKeys([...(await this.deps.book.orders()), ...(await this.deps.book.history())]);
      const service = order.serviceName.toLowerCase();
      const sentAt = order.sentAt;
      const found = list
        .filter((r) => !known.has(orderKey(r.pool, r.orderId)))
        .filter((r) => !r.service || r.service.toLowerCase() === service)
        .filter((r) =>
          r.createdAt === null
            ? true
            : sentAt === null
              ? r.createdAt + this.deps.skewMs() >= order.createdAt - RECONCILE_SLACK_MS
              : r.createdAt >= sentAt - TWIN_WINDOW_MS && r.createdAt <= sentAt + LOST_ANSWER_WINDOW_MS,
        )
        .sort((a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0))[0];
      if (found) {
        await this.adopt(id, found, 'list');
        // The same list shows any twin: a request the network sent twice while its answer was lost (the list holds
        // the adopted order, so it was made after every request of this purchase reached Text2FA).
        await this.searchTwins(order.accountId, order.pool, list, listedAt);
        return;
      }
      // When the answer was lost: recorded with the error, else (a worker stopped mid-purchase) the intent's last change.
      const lostAt = order.error?.at ?? order.updatedAt;
      if (this.deps.now() - lostAt >= RECONCILE_GIVE_UP_MS) break;
    }
    await this.deps.book.patch(id, (o) =>
      o.phase === 'purchasing'
        ? {
            ...o,
            phase: 'failed',
            updatedAt: this.deps.now(),
            error: { kind: 'not_bought', message: 'The purchase did not go through, and nothing was charged.', at: this.deps.now() },
          }
        : o,
    );
  }

  /**
   * Makes `remote` the answer to purchase `id` (from its own answer or found in
   * a list), and drops any plain import of the same order a sync made meanwhile.
   * Its twins are searched in the next list of its pool asked for after this.
   */
  async adopt(id: string, remote: RemoteOrder, from: 'answer' | 'list' = 'answer'): Promise<Order | undefined> {
    if (from === 'answer') this.answeredAt.set(id, this.deps.now());
    let adopted: Order | undefined;
    await this.deps.book.update((orders) => {
      const current = orders.find((o) => o.id === id);
      if (!current) return orders;
      adopted = {
        ...applyRemote(current, remote, this.deps.now(), this.deps.skewMs()).order,
        orderId: remote.orderId,
        error: null,
        twinsCheckedAt: null,
      };
      return orders
        .filter((o) => o.id === id || !(o.imported && !o.twin && o.pool === remote.pool && o.orderId === remote.orderId))
        .map((o) => (o.id === id ? adopted! : o));
    });
    if (adopted) this.deps.adopted(adopted);
    return adopted;
  }

  /**
   * Searches a list of `pool`, asked for at `listedAt` (local clock), for the
   * twins of every purchase of the account not searched yet, and refunds each
   * twin. Nothing is decided while a purchase of the account is in flight: its
   * order is in the list before its answer is adopted, and would look like a
   * twin. A purchase answered after the list was asked for waits for a later
   * list: this one may have been made before the purchase and its twin.
   */
  async searchTwins(accountId: string, pool: Pool, list: readonly RemoteOrder[], listedAt: number): Promise<void> {
    const history = await this.deps.book.history();
    const twins: Order[] = [];
    const listPredates = (o: Order) => (this.answeredAt.get(o.id) ?? -Infinity) >= listedAt;
    await this.deps.book.update((orders) => {
      if (orders.some((o) => o.phase === 'purchasing' && o.accountId === accountId)) return orders;
      const purchases = orders.filter((o) => o.accountId === accountId && o.pool === pool && needsTwinSearch(o) && !listPredates(o));
      if (purchases.length === 0) return orders;
      const now = this.deps.now();
      const known = knownOrderKeys([...orders, ...history]);
      let next = orders;
      for (const purchase of purchases) {
        const moment: PurchaseMoment = { pool, serviceName: purchase.serviceName, sentAt: sentAtOf(purchase, this.deps.skewMs()) };
        next = next.map((o) => (o.id === purchase.id ? { ...o, twinsCheckedAt: now } : o));
        for (const remote of findTwins(list, moment, known)) {
          known.add(orderKey(remote.pool, remote.orderId));
          const imported = next.find((o) => o.pool === remote.pool && o.orderId === remote.orderId);
          const twin = asTwin(imported ?? importedOrder(accountId, remote, now, this.deps.skewMs()), purchase.id, now);
          next = imported ? next.map((o) => (o === imported ? twin : o)) : [...next, twin];
          twins.push(twin);
        }
      }
      return next;
    });
    for (const twin of twins) await this.refundTwin(twin.id);
  }

  /** Asks for a twin's refund; a refusal for now (too early, network) is retried by `tick`. */
  private async refundTwin(id: string): Promise<void> {
    if (this.busy.has(`refund:${id}`)) return;
    this.busy.add(`refund:${id}`);
    try {
      const order = await this.deps.book.find(id);
      if (!order?.twin) return;
      if (isLive(order) && order.codes.length === 0 && !order.messages.some((m) => m.code)) {
        try {
          await this.deps.refund(order);
        } catch (error) {
          const codeArrived = (error as { kind?: string }).kind === 'not_allowed';
          const retryAt = codeArrived ? null : this.deps.now() + TWIN_RETRY_MS;
          await this.deps.book.patch(id, (o) => ({ ...o, rejectRetryAt: retryAt }));
        }
      }
      await this.settle(id);
    } finally {
      this.busy.delete(`refund:${id}`);
    }
  }

  /**
   * Tells the user about a twin once it is settled: refunded, or kept because
   * its SMS came first (then it is bound to the purchase's site, so its code is
   * usable there), or ended without a refund.
   */
  private async settle(id: string): Promise<void> {
    const order = await this.deps.book.find(id);
    if (!order?.twin || order.twin.reportedAt !== null) return;
    const hasCode = order.codes.length > 0 || order.messages.some((m) => m.code !== null);
    const outcome: TwinOutcome | null =
      order.phase === 'rejected' || order.phase === 'cancelled' ? 'refunded' : hasCode ? 'kept' : isFinal(order.phase) ? 'unrefunded' : null;
    if (outcome === null) return;
    const of = order.twin.of;
    const purchase = (await this.deps.book.find(of)) ?? (await this.deps.book.history()).find((o) => o.id === of);
    const now = this.deps.now();
    const saved = await this.deps.book.patch(id, (o) =>
      o.twin === null || o.twin.reportedAt !== null
        ? o
        : {
            ...o,
            twin: { ...o.twin, reportedAt: now },
            rejectRetryAt: null,
            ...(outcome === 'kept' && purchase?.site ? { site: purchase.site } : {}),
          },
    );
    if (saved?.twin?.reportedAt === now) this.deps.twinSettled(saved, outcome);
  }

  /**
   * The engine's tick: retries due twin refunds, reports settled twins, and for
   * pools whose list the engine does not poll (`listPolled` false: rentals, or
   * lists without detail) reads the list to search for twins of new purchases.
   */
  async tick(options: { accountId: string; client: Text2faClient; orders: readonly Order[]; now: number; listPolled(pool: Pool): boolean; mayRequest(): boolean }): Promise<void> {
    const { orders, now } = options;
    for (const order of orders) {
      if (!order.twin || order.twin.reportedAt !== null) continue;
      if (isLive(order) && order.rejectRetryAt !== null && order.rejectRetryAt <= now) await this.refundTwin(order.id);
      else await this.settle(order.id);
    }
    const unsearched = new Set(orders.filter(needsTwinSearch).map((o) => o.pool));
    for (const pool of unsearched) {
      if (options.listPolled(pool) || !options.mayRequest()) continue;
      const listedAt = this.deps.now();
      const list = await this.deps.fetchList(options.client, pool).catch(() => null);
      if (list) await this.searchTwins(options.accountId, pool, list, listedAt);
    }
  }
}

/** A purchase of ours whose twins were not searched for yet. */
function needsTwinSearch(order: Order): boolean {
  return !order.twin && !order.imported && order.sentAt !== null && order.twinsCheckedAt === null && order.orderId !== null;
}

/** An order turned into the twin of purchase `of`: not an import, bound to no site, due for its refund now. */
function asTwin(order: Order, of: string, now: number): Order {
  return {
    ...order,
    imported: false,
    site: null,
    unseenCode: null,
    twin: { of, foundAt: now, reportedAt: null, dismissedAt: null },
    twinsCheckedAt: now,
    rejectRetryAt: now,
  };
}
