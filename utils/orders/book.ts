/**
 * Serialised access to the order book and history in storage. Every change
 * is a read-modify-write queued behind the previous one, so two concurrent
 * updates (a poll answer and a user's reject) never overwrite each other.
 */
import { HISTORY_LIMIT, type OrderBook, type OrderHistory } from '../storage';
import { isFinal, type Order } from './model';
import { finishedOrders, isPastOrder } from './history';

/** The two storage items the book lives in (WXT items in the extension, plain memory in tests). */
export interface BookStorage {
  getBook(): Promise<OrderBook>;
  setBook(book: OrderBook): Promise<void>;
  getHistory(): Promise<OrderHistory>;
  setHistory(history: OrderHistory): Promise<void>;
}

/** How long a finished order stays in the book (shown as recent) before moving to history. */
export const FINISHED_RETENTION_MS = 10 * 60_000;

export class OrderBookStore {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly storage: BookStorage) {}

  /** Runs `task` after every earlier queued change. */
  private serialise<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** All orders in the book. */
  async orders(): Promise<Order[]> {
    await this.queue;
    return (await this.storage.getBook()).orders;
  }

  /** Finished orders already moved to history, newest first. */
  async history(): Promise<Order[]> {
    await this.queue;
    return (await this.storage.getHistory()).orders;
  }

  async find(id: string): Promise<Order | undefined> {
    return (await this.orders()).find((o) => o.id === id);
  }

  /**
   * Changes the book in one step: `change` gets the current orders and returns
   * the new list (or the same one for no write).
   */
  update(change: (orders: Order[]) => Order[]): Promise<Order[]> {
    return this.serialise(async () => {
      const before = (await this.storage.getBook()).orders;
      const after = change(before);
      if (after !== before) await this.storage.setBook({ orders: after });
      return after;
    });
  }

  /** Adds or replaces one order (matched by id). */
  put(order: Order): Promise<Order[]> {
    return this.update((orders) => {
      const index = orders.findIndex((o) => o.id === order.id);
      if (index === -1) return [...orders, order];
      const next = orders.slice();
      next[index] = order;
      return next;
    });
  }

  /** Changes one order if it exists; returns the changed order. */
  async patch(id: string, change: (order: Order) => Order): Promise<Order | undefined> {
    let changed: Order | undefined;
    await this.update((orders) => {
      const index = orders.findIndex((o) => o.id === id);
      const current = orders[index];
      if (index === -1 || current === undefined) return orders;
      changed = change(current);
      if (changed === current) return orders;
      const next = orders.slice();
      next[index] = changed;
      return next;
    });
    return changed;
  }

  /**
   * Moves orders that finished more than `FINISHED_RETENTION_MS` ago to
   * history (failed purchase intents are dropped: nothing was bought).
   * History is written first, so a stop between the two writes duplicates
   * an entry at worst, never loses one.
   */
  archive(now: number): Promise<void> {
    return this.serialise(async () => {
      const { orders } = await this.storage.getBook();
      const done = orders.filter((o) => isFinal(o.phase) && now - o.updatedAt >= FINISHED_RETENTION_MS);
      if (done.length === 0) return;
      const history = await this.storage.getHistory();
      const known = new Set(history.orders.map((o) => o.id));
      const moved = done.filter((o) => o.phase !== 'failed' && !known.has(o.id)).sort((a, b) => b.createdAt - a.createdAt);
      if (moved.length > 0) {
        await this.storage.setHistory({ orders: [...moved, ...history.orders].slice(0, HISTORY_LIMIT) });
      }
      const doneIds = new Set(done.map((o) => o.id));
      await this.storage.setBook({ orders: orders.filter((o) => !doneIds.has(o.id)) });
    });
  }

  /** Every finished order, wherever it is now (see `finishedOrders`): what History, the options page and exports show. */
  finished(): Promise<Order[]> {
    return this.serialise(async () => finishedOrders((await this.storage.getBook()).orders, (await this.storage.getHistory()).orders));
  }

  /**
   * Makes `history` the whole history (empty to clear it). The book's finished
   * orders go too, or they would still show as history; live orders and
   * failed purchases stay.
   */
  replaceHistory(history: Order[]): Promise<void> {
    return this.serialise(async () => {
      const { orders } = await this.storage.getBook();
      const kept = orders.filter((o) => !isPastOrder(o));
      if (kept.length !== orders.length) await this.storage.setBook({ orders: kept });
      await this.storage.setHistory({ orders: history.slice(0, HISTORY_LIMIT) });
    });
  }
}
