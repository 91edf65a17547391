import { useStore } from '@/components/stores/use-store';
import type { StoreApi } from 'zustand/vanilla';
import { twinMessage } from '@/utils/orders/twin-words';
import type { OrdersStoreState } from '../stores/orders';

/**
 * "Text2FA charged twice": one notice per twin of a purchase (being refunded,
 * refunded with the amount, or kept for its code), until the user dismisses it.
 * The twin itself stays in the orders list and then in history.
 */
export function TwinNotices({ orders, accountId, currency }: { orders: StoreApi<OrdersStoreState>; accountId: string | null; currency: string }) {
  const book = useStore(orders, (s) => s.book);
  const twins = book.filter((o) => o.twin !== null && o.twin.dismissedAt === null && o.accountId === accountId);
  if (twins.length === 0) return null;
  return (
    <div class="twins" data-testid="twin-notices">
      {twins.map((twin) => (
        <p key={twin.id} class="banner twin" role="status" data-order-id={twin.id}>
          {twinMessage(twin, currency)}{' '}
          <button type="button" class="link" onClick={() => orders.getState().dismissTwin(twin.id)}>
            OK
          </button>
        </p>
      ))}
    </div>
  );
}
