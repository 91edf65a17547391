/**
 * One definition of "the history" (issue 13, finding 1): the popup listed the
 * book's finished orders while the options page and the export read only the
 * history item, so they said "empty" about the same four orders.
 */
import { describe, expect, it } from 'vitest';
import { OrderBookStore, type BookStorage } from '@/utils/orders/book';
import { finishedOrders } from '@/utils/orders/history';
import { newIntent, type Order, type OrderPhase } from '@/utils/orders/model';
import type { OrderBook, OrderHistory } from '@/utils/storage';

function order(id: string, phase: OrderPhase, createdAt: number): Order {
  return {
    ...newIntent({ intentId: id, accountId: 'acct', request: { pool: 's1', serviceKey: 'k', serviceName: 'Google' }, site: null, now: createdAt }),
    orderId: `r-${id}`,
    phase,
  };
}

function memory(book: Order[], history: Order[]): BookStorage & { book: OrderBook; history: OrderHistory } {
  const state = { book: { orders: book }, history: { orders: history } };
  return Object.assign(state, {
    getBook: async () => structuredClone(state.book),
    setBook: async (value: OrderBook) => void (state.book = structuredClone(value)),
    getHistory: async () => structuredClone(state.history),
    setHistory: async (value: OrderHistory) => void (state.history = structuredClone(value)),
  });
}

const live = order('live', 'waiting', 50);
const failed = order('failed', 'failed', 60);
const justRejected = order('rejected', 'rejected', 40);
const justCompleted = order('completed', 'completed', 30);
const archived = order('archived', 'expired', 10);

describe('finished orders', () => {
  it('are the book’s finished orders and the history item’s, once each, newest first, without failed purchases', () => {
    const stale = { ...justCompleted, codes: [] };
    expect(finishedOrders([live, failed, justRejected, justCompleted], [stale, archived]).map((o) => o.id)).toEqual([
      'rejected',
      'completed',
      'archived',
    ]);
    // The book's copy is the newer one.
    expect(finishedOrders([justCompleted], [stale])[0]).toBe(justCompleted);
  });

  it('are what the book store reports, before the engine has archived anything', async () => {
    const storage = memory([live, failed, justRejected, justCompleted], [archived]);
    const finished = await new OrderBookStore(storage).finished();
    expect(finished.map((o) => o.id)).toEqual(['rejected', 'completed', 'archived']);
  });

  it('are all gone after clearing, the book’s included; live orders and failed purchases stay', async () => {
    const storage = memory([live, failed, justRejected, justCompleted], [archived]);
    const book = new OrderBookStore(storage);
    await book.replaceHistory([]);
    expect(await book.finished()).toEqual([]);
    expect(storage.history.orders).toEqual([]);
    expect(storage.book.orders.map((o) => o.id)).toEqual(['live', 'failed']);
  });

  it('are exactly the imported ones after an import', async () => {
    const imported = order('imported', 'completed', 5);
    const storage = memory([live, justRejected], [archived]);
    const book = new OrderBookStore(storage);
    await book.replaceHistory([imported]);
    expect((await book.finished()).map((o) => o.id)).toEqual(['imported']);
    expect(storage.book.orders.map((o) => o.id)).toEqual(['live']);
  });
});
