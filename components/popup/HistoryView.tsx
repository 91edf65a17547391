import { useMemo, useState } from 'preact/hooks';
import { useStore } from '@/components/stores/use-store';
import type { StoreApi } from 'zustand/vanilla';
import { formatMoney, plural } from '@/utils/format';
import type { Order } from '@/utils/orders/model';
import { finishedOrders } from '@/utils/orders/history';
import type { OrdersStoreState } from '../stores/orders';
import { formatPhone, formatWhen, POOL_NAMES, statusWords } from './format';

/** Rows shown at first, and added by each "Show more". */
export const HISTORY_PAGE = 100;

/** Whether an order matches every word of the query (service, number, codes, status, site, pool). */
export function matchesQuery(order: Order, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = [
    order.serviceName,
    order.number ?? '',
    order.number ? formatPhone(order.number) : '',
    ...order.codes.map((c) => c.code),
    ...order.messages.map((m) => `${m.code ?? ''} ${m.text}`),
    statusWords(order),
    order.site?.siteKey ?? '',
    POOL_NAMES[order.pool],
  ]
    .join(' ')
    .toLowerCase();
  return words.every((word) => haystack.includes(word));
}

/** Money out and back for a set of orders. */
export function totals(orders: Order[]): { count: number; spent: number; refunded: number; net: number } {
  let spent = 0;
  let refunded = 0;
  for (const o of orders) {
    spent += o.price ?? 0;
    refunded += o.refund ?? 0;
  }
  const round = (n: number) => Math.round(n * 100) / 100;
  return { count: orders.length, spent: round(spent), refunded: round(refunded), net: round(spent - refunded) };
}

/** Past orders with their codes and what they cost, searchable. */
export function HistoryView({ orders, currency }: { orders: StoreApi<OrdersStoreState>; currency: string }) {
  const history = useStore(orders, (s) => s.history);
  const book = useStore(orders, (s) => s.book);
  const loaded = useStore(orders, (s) => s.loaded);
  const [query, setQuery] = useState('');
  const [shown, setShown] = useState(HISTORY_PAGE);
  const all = useMemo(() => finishedOrders(book, history), [history, book]);
  const matching = useMemo(() => all.filter((o) => matchesQuery(o, query)), [all, query]);
  const sum = totals(matching);
  const money = (n: number) => formatMoney(n, currency);

  return (
    <section class="history" aria-labelledby="history-title">
      <h2 id="history-title" class="section-title">
        History
      </h2>
      <label for="history-search" class="sr-only">
        Search history
      </label>
      <input
        id="history-search"
        type="search"
        placeholder="Search service, number, code…"
        value={query}
        onInput={(event) => {
          setQuery(event.currentTarget.value);
          setShown(HISTORY_PAGE);
        }}
      />
      <dl class="totals" aria-label={query ? 'Totals of the matching orders' : 'Totals'} data-testid="history-totals">
        <div>
          <dt>Orders</dt>
          <dd>{sum.count}</dd>
        </div>
        <div>
          <dt>Spent</dt>
          <dd>{money(sum.spent)}</dd>
        </div>
        <div>
          <dt>Refunded</dt>
          <dd>{money(sum.refunded)}</dd>
        </div>
        <div>
          <dt>Net</dt>
          <dd>{money(sum.net)}</dd>
        </div>
      </dl>
      {!loaded ? (
        <p class="hint" role="status">
          Loading history…
        </p>
      ) : matching.length === 0 ? (
        <p class="card hint empty" role="status">
          {all.length === 0 ? 'No past orders yet. Finished numbers and their codes are kept here.' : `Nothing in history matches “${query.trim()}”.`}
        </p>
      ) : (
        <ol class="past" aria-label="Past orders">
          {matching.slice(0, shown).map((order) => (
            <li key={order.id} class="past-row">
              <p class="row-head">
                <strong>{order.serviceName}</strong> <span class="tag">{POOL_NAMES[order.pool]}</span>{' '}
                <span class="muted">{formatWhen(order.createdAt)}</span>
              </p>
              <p class="row-body">
                {order.number && <span>{formatPhone(order.number)}</span>}
                {order.codes.length > 0 && (
                  <span>
                    code <code>{order.codes.map((c) => c.code).join(', ')}</code>
                  </span>
                )}
                {order.messages.length > 0 && <span>{plural(order.messages.length, 'message')}</span>}
                <span>{statusWords(order)}</span>
                {order.price !== null && <span>{money(order.price)}</span>}
                {order.refund !== null && order.refund > 0 && <span class="ok">{money(order.refund)} back</span>}
              </p>
            </li>
          ))}
        </ol>
      )}
      {matching.length > shown && (
        <button type="button" class="ghost wide" onClick={() => setShown(shown + HISTORY_PAGE)}>
          Show more ({matching.length - shown} older)
        </button>
      )}
    </section>
  );
}
