/**
 * Which order a page serves: the rule that binds an order to a sign-up.
 *
 * An order belongs to the site it was bought for and to the tab it was bought
 * from (or that took it over, see below); everything that tab shows of that
 * site, whatever the document (a reload, a link, `pushState`, the same URL),
 * is the same place. Within one tab and site:
 *
 * - **The newest order serves the page.** A second sign-up in the tab buys a
 *   second order, which replaces the first: the page gets its number and only
 *   its code. An older order's code never fills a page that a newer order
 *   serves (the site texted the newer number).
 * - **A filled code is spent.** The code an order filled into a page is never
 *   filled again unasked (`Order.filledCode`), so a reload or the next
 *   sign-up never sees it; a newer code of the same order is not spent.
 * - **A number queued for rejection, or ended, serves nothing:** the page must
 *   drop it (`retired`).
 *
 * A tab with no order of its own takes over an order whose tab is gone (closed,
 * or renumbered by a browser restart) or shows another site, as long as that
 * order's code has not reached the user: the sign-up moved there. When more
 * than one such order could be the page's, the rule cannot tell which: the
 * page is asked (the in-page note lists the numbers) and nothing is filled.
 *
 * Pure functions over orders, so the rule is tested on plain values.
 */
import { isLive, isQueuedForReject, latestCode, type Order } from '../orders/model';

/** Whether an order can still serve a page: live (not queued for rejection) or completed with its code. */
export function canServe(order: Order): boolean {
  if (isQueuedForReject(order)) return false;
  return isLive(order) || order.phase === 'completed';
}

/** Whether an order's newest code has been filled into a page already (spent). */
export function codeSpent(order: Order): boolean {
  const code = latestCode(order)?.code;
  return code !== undefined && order.filledCode === code;
}

/** Whether an order's code (if any) has reached the user: filled into a page, or seen in the popup. */
export function codeDelivered(order: Order): boolean {
  return latestCode(order) !== null && (order.unseenCode === null || codeSpent(order));
}

/** The order a tab's page serves among the orders bound to that tab for the page's site: the newest that can serve. */
export function servingOrder(ownOrders: Order[]): Order | null {
  return ownOrders.filter(canServe).sort((a, b) => b.createdAt - a.createdAt)[0] ?? null;
}

/** Whether an order bound to another tab may move to a tab that asks: its sign-up is not done and it can serve. */
export function mayTakeOver(order: Order): boolean {
  return canServe(order) && !codeDelivered(order) && order.phase !== 'completed';
}

/**
 * Numbers this tab was given for the site that must not stay in the page:
 * ended without a code (rejected, cancelled, expired), or queued for
 * rejection. Newest first, `limit` at most, the serving order's number left out.
 */
export function retiredNumbers(ownOrders: Order[], serving: Order | null, limit: number): string[] {
  const servingDigits = serving?.number ? digitsOf(serving.number) : null;
  return ownOrders
    .filter(
      (o) =>
        o.number !== null &&
        (isQueuedForReject(o) || ((o.phase === 'rejected' || o.phase === 'cancelled' || o.phase === 'expired') && o.codes.length === 0)),
    )
    .sort((a, b) => b.updatedAt - a.updatedAt)
    .map((o) => o.number!)
    .filter((n) => digitsOf(n) !== servingDigits)
    .slice(0, limit);
}

/** Digits of a number without a leading US country code, for comparing numbers however they are written. */
export const digitsOf = (number: string) => number.replace(/\D/g, '').replace(/^1(?=\d{10}$)/, '');
