/**
 * The popup's view of the order book and history. Both render at once from
 * storage and follow it while the popup is open (the background writes every
 * change there); actions go to the background, and their outcome arrives
 * through storage like any other change.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { request, type BuyRequest } from '@/utils/messaging';
import type { Order } from '@/utils/orders/model';
import type { PopupEnv } from './env';
import { toErrorView, type ErrorView } from './errors';

export type OrderActionKind = 'reject' | 'cancel' | 'renew' | 'reuse' | 'rebuy';

/** The last action the user took on one order: in flight, or failed with its error. */
export interface OrderAction {
  kind: OrderActionKind;
  busy: boolean;
  error: ErrorView | null;
  /** Renew: the days asked for, so a retry asks for the same. */
  days?: number;
}

export interface OrdersStoreState {
  /** Live and recently finished orders of every account. */
  book: Order[];
  /** Finished orders, newest first. */
  history: Order[];
  loaded: boolean;
  actions: Record<string, OrderAction>;
  syncing: boolean;
  syncError: ErrorView | null;
  /** Rental services' price per day by service key, for what a renewal costs (null until loaded). */
  rentalRates: Record<string, number | null> | null;
  /** Loads `rentalRates` once per popup (the background caches the list for a few minutes). */
  loadRentalRates(): Promise<void>;
  /** When the last check with Text2FA ended, and whether it got an answer: the feedback for "Check now". */
  lastCheck: { at: number; ok: boolean } | null;
  /** Reads both items and follows them; returns the function that stops following. */
  start(): Promise<() => void>;
  /**
   * Imports orders made elsewhere and polls now (sent when the popup opens).
   * `force` (the user asked) skips the background's pause between checks.
   */
  sync(force?: boolean): Promise<void>;
  /** Re-reads the live rentals' expiry from Text2FA (a renewal on the dashboard); once per popup unless forced. */
  refreshRentals(force?: boolean): Promise<void>;
  reject(id: string): Promise<Order | null>;
  cancel(id: string): Promise<Order | null>;
  renew(id: string, days: number): Promise<Order | null>;
  /** Reuses an S1 number; resolves to the new order. */
  reuse(id: string): Promise<Order | null>;
  /** Buys again what a failed purchase asked for. */
  rebuy(id: string): Promise<Order | null>;
  /** Repeats the order's last failed action. */
  retry(id: string): Promise<Order | null>;
  /** The user has seen the order's code: it leaves the badge. Sent once per order and code. */
  seen(id: string): void;
  /** The user read the notice about a twin (one purchase charged twice): it is not shown again. */
  dismissTwin(id: string): void;
}

/** The purchase a failed order asked for, as a new request. */
function rebuyRequest(order: Order, intentId: string): BuyRequest | null {
  const asked = order.request;
  if (!asked) return null;
  return {
    ...asked,
    intentId,
    expectedPrice: null,
    ...(order.site?.tabId != null && order.site.siteKey ? { tabId: order.site.tabId } : {}),
  };
}

/** Creates one popup's orders store. */
export function createOrdersStore(env: PopupEnv): StoreApi<OrdersStoreState> {
  const seenSent = new Set<string>();
  let rentalsRefreshed = false;
  let ratesAsked = false;
  return createStore<OrdersStoreState>()((set, get) => {
    /** Runs one action on an order, keeping its busy flag and error honest. */
    async function act(id: string, action: Omit<OrderAction, 'busy' | 'error'>, run: () => Promise<Order>): Promise<Order | null> {
      if (get().actions[id]?.busy) return null;
      set({ actions: { ...get().actions, [id]: { ...action, busy: true, error: null } } });
      try {
        const order = await run();
        const { [id]: _done, ...rest } = get().actions;
        set({ actions: rest });
        return order;
      } catch (error) {
        set({ actions: { ...get().actions, [id]: { ...action, busy: false, error: toErrorView(error) } } });
        return null;
      }
    }

    return {
      book: [],
      history: [],
      loaded: false,
      actions: {},
      syncing: false,
      syncError: null,
      lastCheck: null,
      rentalRates: null,

      async loadRentalRates() {
        if (ratesAsked) return;
        ratesAsked = true;
        try {
          const services = await request(env.send, 'catalog.services', { pool: 'rental' });
          set({ rentalRates: Object.fromEntries(services.map((s) => [s.key, 'pricePerDay' in s ? s.pricePerDay : null])) });
        } catch {
          // Without the rates a renewal still works; the card just can't say its price.
          ratesAsked = false;
        }
      },

      async start() {
        const unwatchBook = env.orderBook.watch((value) => set({ book: value.orders }));
        const unwatchHistory = env.history.watch((value) => set({ history: value.orders }));
        const [book, history] = await Promise.all([
          env.orderBook.getValue().catch(() => ({ orders: [] })),
          env.history.getValue().catch(() => ({ orders: [] })),
        ]);
        set({ book: book.orders, history: history.orders, loaded: true });
        return () => {
          unwatchBook();
          unwatchHistory();
        };
      },

      async sync(force = false) {
        set({ syncing: true, syncError: null });
        try {
          await request(env.send, 'orders.sync', force ? { force } : {});
          set({ syncing: false, lastCheck: { at: env.now(), ok: true } });
        } catch (error) {
          set({ syncing: false, syncError: toErrorView(error), lastCheck: { at: env.now(), ok: false } });
        }
      },

      async refreshRentals(force = false) {
        if (rentalsRefreshed && !force) return;
        rentalsRefreshed = true;
        try {
          await request(env.send, 'orders.refreshRentals', {});
        } catch (error) {
          set({ syncError: toErrorView(error) });
        }
      },

      reject: (id) => act(id, { kind: 'reject' }, () => request(env.send, 'orders.reject', { id })),
      cancel: (id) => act(id, { kind: 'cancel' }, () => request(env.send, 'orders.cancel', { id })),
      renew: (id, days) => act(id, { kind: 'renew', days }, () => request(env.send, 'orders.renew', { id, days })),
      reuse: (id) => act(id, { kind: 'reuse' }, () => request(env.send, 'orders.reuse', { id, intentId: env.newIntentId() })),

      rebuy(id) {
        const order = get().book.find((o) => o.id === id);
        const asked = order && rebuyRequest(order, env.newIntentId());
        if (!asked) return Promise.resolve(null);
        return act(id, { kind: 'rebuy' }, () => request(env.send, 'orders.buy', asked));
      },

      retry(id) {
        const last = get().actions[id];
        const order = get().book.find((o) => o.id === id);
        const kind = last?.kind ?? (order?.phase === 'failed' ? 'rebuy' : order?.phase === 'waiting' && order.pool !== 'rental' && order.orderId !== null ? 'reject' : null);
        switch (kind) {
          case 'reject':
            return get().reject(id);
          case 'cancel':
            return get().cancel(id);
          case 'renew':
            return get().renew(id, last?.days ?? 1);
          case 'reuse':
            return get().reuse(id);
          case 'rebuy':
            return get().rebuy(id);
          default:
            return Promise.resolve(null);
        }
      },

      seen(id) {
        const order = get().book.find((o) => o.id === id);
        if (!order?.unseenCode) return;
        const key = `${id}\n${order.unseenCode}`;
        if (seenSent.has(key)) return;
        seenSent.add(key);
        void request(env.send, 'orders.seen', { id }).catch(() => seenSent.delete(key));
      },

      dismissTwin(id) {
        void request(env.send, 'orders.seen', { id }).catch(() => undefined);
      },
    };
  });
}
