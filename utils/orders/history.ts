/**
 * What "the history" is, in one place. A finished order stays in the order
 * book for a while (Active orders shows it as recent) and moves to the
 * history item only when the engine archives it, which it does only while it
 * runs: so the finished orders are the history item's plus the book's, and
 * every view of them (the popup's History, the options page's count, the
 * export) and every change to them (clear, import) goes through here.
 */
import { isFinal, type Order } from './model';

/** Whether an order belongs in the history: it ended, and something was bought (a failed purchase cost nothing). */
export function isPastOrder(order: Order): boolean {
  return isFinal(order.phase) && order.phase !== 'failed';
}

/** Every finished order of the book and the history item, once each (the book's copy is the newer), newest first. */
export function finishedOrders(book: readonly Order[], history: readonly Order[]): Order[] {
  const seen = new Set<string>();
  const all: Order[] = [];
  for (const order of [...book, ...history]) {
    if (!isPastOrder(order) || seen.has(order.id)) continue;
    seen.add(order.id);
    all.push(order);
  }
  return all.sort((a, b) => b.createdAt - a.createdAt);
}
