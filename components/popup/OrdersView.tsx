import { useEffect } from 'preact/hooks';
import { useStore } from '@/components/stores/use-store';
import type { StoreApi } from 'zustand/vanilla';
import { isLive, type Order } from '@/utils/orders/model';
import type { OrdersStoreState } from '../stores/orders';
import { countsAsLive } from './format';
import { OrderCard } from './OrderCard';
import { ErrorNote } from './ui';

/** The signed-in account's orders first, live (and purchases being made) before finished, newest first. */
export function sortOrders(orders: Order[], accountId: string | null): Order[] {
  const rank = (o: Order) => (o.accountId === accountId ? 0 : 2) + (isLive(o) ? 0 : 1);
  return [...orders].sort((a, b) => rank(a) - rank(b) || b.createdAt - a.createdAt);
}

const clock = (at: number) => new Date(at).toLocaleTimeString();

/** Every order in the book (live and just finished), each with what can be done with it. */
export function OrdersView({
  orders,
  accountId,
  currency,
  renewDays,
}: {
  orders: StoreApi<OrdersStoreState>;
  accountId: string | null;
  currency: string;
  renewDays: number;
}) {
  const { book, loaded, syncError, syncing, sync, refreshRentals, lastCheck } = useStore(orders);
  const sorted = sortOrders(book.filter((o) => o.phase !== 'failed' || o.accountId === accountId), accountId);
  const live = sorted.filter((o) => countsAsLive(o) && o.accountId === accountId).length;
  const rentals = sorted.some((o) => o.pool === 'rental' && o.phase === 'active' && o.accountId === accountId);

  // A rental's expiry may have changed on the dashboard: look once when rentals are on screen.
  useEffect(() => {
    if (rentals) void refreshRentals();
  }, [rentals, refreshRentals]);

  return (
    <section class="orders" aria-labelledby="orders-title">
      <div class="section-head">
        <h2 id="orders-title" class="section-title">
          Active orders {loaded && <span class="count">({live} live)</span>}
        </h2>
        <button
          type="button"
          class="ghost"
          disabled={syncing}
          onClick={() => {
            void sync(true);
            if (rentals) void refreshRentals(true);
          }}
        >
          {syncing ? 'Checking…' : 'Check now'}
        </button>
      </div>
      <p class="hint" role="status" data-testid="last-check">
        {lastCheck && !syncing && (lastCheck.ok ? `Checked with Text2FA at ${clock(lastCheck.at)}.` : `Last tried at ${clock(lastCheck.at)}.`)}
      </p>
      {syncError && (
        <ErrorNote error={syncError} onRetry={() => void sync()} busy={syncing}>
          <p>Orders made elsewhere may be missing until Text2FA answers.</p>
        </ErrorNote>
      )}
      {!loaded ? (
        <p class="hint" role="status">
          Loading orders…
        </p>
      ) : sorted.length === 0 ? (
        <p class="card hint empty">No numbers right now. Get one on “This site”; numbers bought on the Text2FA dashboard show here too.</p>
      ) : (
        sorted.map((order) => <OrderCard key={order.id} order={order} store={orders} accountId={accountId} currency={currency} renewDays={renewDays} />)
      )}
    </section>
  );
}
