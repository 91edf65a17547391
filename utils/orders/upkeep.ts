/**
 * Changes the engine makes to stored orders on its own, and the events they
 * raise: folding a server answer in, ending expired orders, warning before
 * expiry, and choosing the numbers due for an automatic reject.
 */
import type { RemoteOrder } from '../text2fa/types';
import type { Settings } from '../storage';
import type { EngineDeps } from './engine';
import { applyRemote, expireIfOver, isLive, type Order, type ReceivedCode } from './model';

/** What the upkeep needs from the engine's dependencies. */
export type UpkeepDeps = Pick<EngineDeps, 'book' | 'events' | 'now' | 'skewMs'>;

/** Warn this long before an order expires. */
const EXPIRY_WARNING_MS = 2 * 60_000;

/** Folds a server answer into the stored order and reports a new code. */
export async function absorb(deps: UpkeepDeps, id: string, remote: RemoteOrder): Promise<Order | undefined> {
  let newCode: ReceivedCode | null = null;
  let ended = false;
  const saved = await deps.book.patch(id, (o) => {
    const result = applyRemote(o, remote, deps.now(), deps.skewMs());
    newCode = result.newCode;
    ended = isLive(o) && !isLive(result.order);
    return sameOrder(o, result.order) ? o : result.order;
  });
  if (saved && newCode) deps.events.code(saved, newCode);
  if (saved && ended) deps.events.ended(saved);
  return saved;
}

/** Skips storage writes when a poll changed nothing but the timestamp. */
function sameOrder(a: Order, b: Order): boolean {
  return (
    a.phase === b.phase &&
    a.remoteStatus === b.remoteStatus &&
    a.number === b.number &&
    a.expiresAt === b.expiresAt &&
    a.codes.length === b.codes.length &&
    a.price === b.price
  );
}

/** Ends the orders past their expiry (telling the user of numbers that never got an SMS) and archives finished ones. */
export async function expireAndArchive(deps: UpkeepDeps): Promise<void> {
  const now = deps.now();
  const ended: Order[] = [];
  await deps.book.update((orders) => {
    let changed = false;
    const next = orders.map((o) => {
      const after = expireIfOver(o, now);
      if (after !== o) {
        changed = true;
        if (after.phase === 'expired') ended.push(after);
      }
      return after;
    });
    return changed ? next : orders;
  });
  for (const order of ended) {
    deps.events.ended(order);
    if (order.codes.length === 0 && order.pool !== 'rental' && !order.twin) deps.events.problem(order, `Your ${order.serviceName} number expired without an SMS.`);
  }
  await deps.book.archive(now);
}

/** Warns once about each waiting number close to its expiry. */
export function warnExpiring(deps: UpkeepDeps, orders: readonly Order[], now: number): void {
  for (const order of orders) {
    if (order.expiresAt === null || order.expiryWarnedAt !== null || order.phase !== 'waiting') continue;
    if (order.expiresAt - now > EXPIRY_WARNING_MS) continue;
    void deps.book.patch(order.id, (o) => ({ ...o, expiryWarnedAt: now })).then((saved) => {
      if (saved) deps.events.expiringSoon(saved);
    });
  }
}

/** The numbers to reject now: rejects the server found too early and due again, and numbers that waited past the user's limit. */
export function dueForReject(orders: readonly Order[], settings: Settings, now: number): Order[] {
  const minutes = settings.autoRejectMinutes;
  return orders.filter((order) => {
    // Twins are refunded by the reconciler, which also reports them.
    if (order.twin || order.pool === 'rental' || order.phase !== 'waiting' || order.codes.length > 0) return false;
    const retryDue = order.rejectRetryAt !== null && order.rejectRetryAt <= now;
    const overdue = minutes !== null && !order.imported && order.rejectRetryAt === null && now - order.createdAt >= minutes * 60_000;
    return retryDue || overdue;
  });
}
