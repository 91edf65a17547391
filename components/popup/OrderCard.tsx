import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { useStore } from '@/components/stores/use-store';
import type { StoreApi } from 'zustand/vanilla';
import { formatMoney, plural } from '@/utils/format';
import { checkRenewDays, MAX_RENTAL_DAYS } from '@/utils/input-rules';
import { isFinal, isLive, isQueuedForReject, latestCode, type Order } from '@/utils/orders/model';
import type { OrdersStoreState } from '../stores/orders';
import { twinMessage } from '@/utils/orders/twin-words';
import { formatLeft, formatPhone, formatWhen, POOL_NAMES, statusWords } from './format';
import { CopyButton, Countdown, ErrorNote } from './ui';

export interface OrderCardProps {
  order: Order;
  store: StoreApi<OrdersStoreState>;
  /** The signed-in account; another account's orders are shown read-only. */
  accountId: string | null;
  currency: string;
  /** Offered on "This site": reject this number and buy another for the site. */
  onAnother?: () => void;
  anotherBusy?: boolean;
  /** Days a renewal starts with. */
  renewDays?: number;
}

/** One order: its number and code large with Copy, time left, status, and what can be done with it. */
export function OrderCard({ order, store, accountId, currency, onAnother, anotherBusy = false, renewDays = 7 }: OrderCardProps) {
  const action = useStore(store, (s) => s.actions[order.id]);
  const titleId = useId();
  const foreign = accountId !== null && order.accountId !== accountId;
  const code = order.pool === 'rental' ? null : latestCode(order)?.code ?? null;
  const money = (amount: number) => formatMoney(amount, currency);
  const busy = action?.busy ?? false;
  const doing = busy ? action?.kind : null;

  // Shown is seen: the code leaves the badge once the user has it in front of them.
  useEffect(() => {
    if (order.unseenCode && !foreign) store.getState().seen(order.id);
  }, [order.unseenCode, order.id, foreign, store]);

  const canReject = !foreign && order.pool !== 'rental' && order.phase === 'waiting' && order.orderId !== null;
  const rejecting = isQueuedForReject(order);
  const canReuse = !foreign && order.pool === 's1' && ['received', 'completed', 'expired'].includes(order.phase) && order.number !== null;
  const rentalLive = !foreign && order.pool === 'rental' && order.phase === 'active';
  // A purchase whose answer was lost is being looked for in the account's lists: that is not the user's to retry.
  const checking = order.phase === 'purchasing' && order.error !== null;
  const engineError = order.error && !checking && !rejecting && (order.phase === 'failed' || isLive(order)) ? order.error : null;
  const error = action?.error ?? (engineError ? { kind: engineError.kind, message: engineError.message } : null);
  const canRetry = !foreign && (action?.error ? true : order.phase === 'failed' ? order.request !== null : canReject);

  return (
    <article class={`order phase-${order.phase}${foreign ? ' foreign' : ''}`} aria-labelledby={titleId} data-order-id={order.id}>
      <header class="order-head">
        <h3 id={titleId}>{order.serviceName}</h3>
        <span class="tag">{POOL_NAMES[order.pool]}</span>
        {foreign && <span class="tag warn">Another account</span>}
        <span class="status" data-testid="order-status">
          {statusWords(order)}
        </span>
      </header>

      {order.number ? (
        <div class="big-row">
          <span class="big number" data-testid="order-number">
            {formatPhone(order.number)}
          </span>
          {/* A number on its way to a reject is not to be given to a site. */}
          {!rejecting && <CopyButton text={order.number} label="number" />}
        </div>
      ) : (
        order.phase === 'purchasing' && !order.error && <p class="hint" role="status">Getting your number from Text2FA…</p>
      )}

      {code && (
        <div class="big-row code-row">
          <span class="big code" data-testid="order-code" aria-label={`Code ${code}`}>
            {code}
          </span>
          <CopyButton text={code} label="code" class="copy primary" />
        </div>
      )}

      <p class="meta">
        {isLive(order) && order.expiresAt !== null && (
          <Countdown until={order.expiresAt}>{(left) => (left > 0 ? `${formatLeft(left)} left` : 'Ending…')}</Countdown>
        )}
        {order.price !== null && <span>{money(order.price)}</span>}
        {order.refund !== null && order.refund > 0 && <span class="ok">{money(order.refund)} refunded</span>}
        {order.site?.siteKey && <span>for {order.site.siteKey}</span>}
        {!isLive(order) && <span>{formatWhen(order.updatedAt)}</span>}
      </p>

      {order.phase === 'waiting' && !rejecting && order.pool !== 'rental' && <p class="hint">The code shows here as soon as the SMS arrives.</p>}
      {checking && (
        <p class="hint" role="status">
          Text2FA's answer to this purchase was lost. Checking with Text2FA whether the number was bought; it is never bought twice,
          and nothing is charged if it was not.
        </p>
      )}
      {rejecting && (
        <p class="hint" role="status" data-testid="reject-queued">
          This number will be rejected for its refund{' '}
          {order.rejectRetryAt !== null && (
            <Countdown until={order.rejectRetryAt}>{(left) => (left > 0 ? `in ${formatLeft(left)}` : 'in a moment')}</Countdown>
          )}
          : Text2FA accepts a reject one minute after purchase. Don't use it.
        </p>
      )}
      {foreign && <p class="hint">Bought with another Text2FA account: add that account's token to manage it.</p>}
      {order.phoneFillProblem && isLive(order) && (
        <p class="hint warn" data-testid="phone-not-filled">
          Not filled in the page: {order.phoneFillProblem}. Copy the number and paste it there.
        </p>
      )}
      {order.twin && <p class="hint warn">{twinMessage(order, currency)}</p>}

      {order.pool === 'rental' && <Messages order={order} />}

      {error && (
        <ErrorNote
          error={error}
          busy={busy}
          onRetry={canRetry ? () => void store.getState().retry(order.id) : undefined}
          retryLabel={order.phase === 'failed' ? 'Try again' : 'Retry'}
        />
      )}

      {(canReject || canReuse || rentalLive) && (
        <div class="actions">
          {canReject && !rejecting && (
            <button type="button" class="ghost" disabled={busy || anotherBusy} onClick={() => void store.getState().reject(order.id)}>
              {doing === 'reject' ? 'Rejecting…' : `Reject${order.price !== null ? ` (refund ${money(order.price)})` : ''}`}
            </button>
          )}
          {canReject && onAnother && (
            <button type="button" disabled={busy || anotherBusy} onClick={onAnother}>
              {anotherBusy ? 'Getting another…' : 'Reject and get another'}
            </button>
          )}
          {canReuse && (
            <button type="button" disabled={busy} onClick={() => void store.getState().reuse(order.id)}>
              {doing === 'reuse' ? 'Reusing…' : 'Reuse number'}
            </button>
          )}
          {rentalLive && <RentalActions order={order} store={store} busy={busy} doing={doing ?? null} initialDays={renewDays} money={money} />}
        </div>
      )}
    </article>
  );
}

/** A rental's messages, newest first, each code with Copy. */
function Messages({ order }: { order: Order }) {
  const messages = [...order.messages].reverse();
  return (
    <section class="messages" aria-label={`Messages for ${order.serviceName}`}>
      <h4>Messages ({messages.length})</h4>
      {messages.length === 0 ? (
        <p class="hint">{isFinal(order.phase) ? 'No messages came.' : 'No messages yet. They show here as they arrive.'}</p>
      ) : (
        <ol>
          {messages.map((m) => (
            <li key={m.id || `${m.receivedAt}:${m.text}`}>
              <p class="meta">
                {m.from && <strong>{m.from}</strong>}
                <span>{formatWhen(m.receivedAt ?? m.seenAt)}</span>
              </p>
              <p class="text">{m.text}</p>
              {m.code && (
                <div class="big-row">
                  <span class="big code">{m.code}</span>
                  <CopyButton text={m.code} label={`code ${m.code}`} />
                </div>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** Renew by some days, or cancel after a confirmation (Esc keeps the rental). */
function RentalActions({
  order,
  store,
  busy,
  doing,
  initialDays,
  money,
}: {
  order: Order;
  store: StoreApi<OrdersStoreState>;
  busy: boolean;
  doing: string | null;
  initialDays: number;
  money(amount: number): string;
}) {
  const [days, setDays] = useState(String(initialDays));
  const [confirming, setConfirming] = useState(false);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const keepButton = useRef<HTMLButtonElement>(null);
  const id = useId();
  const checked = checkRenewDays(days);
  const rate = useStore(store, (s) => (order.serviceKey ? (s.rentalRates?.[order.serviceKey] ?? null) : null));
  const cost = checked.ok && rate !== null ? Math.round(rate * checked.value * 100) / 100 : null;

  useEffect(() => {
    void store.getState().loadRentalRates();
  }, [store]);
  useEffect(() => {
    if (confirming) keepButton.current?.focus();
  }, [confirming]);

  const close = () => {
    setConfirming(false);
    cancelButton.current?.focus();
  };

  return (
    <>
      <form
        class="renew"
        onSubmit={(event) => {
          event.preventDefault();
          if (checked.ok) void store.getState().renew(order.id, checked.value);
        }}
      >
        <label for={`${id}-days`}>Extra days</label>
        <input
          id={`${id}-days`}
          type="number"
          min={1}
          max={MAX_RENTAL_DAYS}
          inputMode="numeric"
          value={days}
          aria-invalid={checked.ok ? undefined : true}
          aria-describedby={`${id}-renew-note`}
          onInput={(event) => setDays(event.currentTarget.value)}
        />
        <button type="submit" disabled={busy || !checked.ok}>
          {doing === 'renew' ? 'Renewing…' : cost !== null ? `Renew — ${money(cost)}` : 'Renew'}
        </button>
        <p id={`${id}-renew-note`} class={checked.ok ? 'hint' : 'field-error'} role={checked.ok ? undefined : 'alert'}>
          {!checked.ok
            ? checked.message
            : rate !== null
              ? `${plural(checked.value, 'more day', 'more days')} at ${money(rate)} a day.`
              : `${plural(checked.value, 'more day', 'more days')}, at the service's daily rate.`}
        </p>
      </form>
      <button type="button" class="ghost danger" ref={cancelButton} disabled={busy} onClick={() => setConfirming(true)}>
        {doing === 'cancel' ? 'Cancelling…' : 'Cancel rental'}
      </button>
      {confirming && (
        <div
          class="confirm"
          role="alertdialog"
          aria-labelledby={`${id}-confirm`}
          aria-describedby={`${id}-confirm-text`}
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.stopPropagation();
              close();
            }
          }}
        >
          <p id={`${id}-confirm`}>
            <strong>Cancel this rental?</strong>
          </p>
          <p id={`${id}-confirm-text`} class="hint">
            {formatPhone(order.number ?? '')} stops receiving messages. Text2FA refunds the unused days, or everything within the first hour
            if no message came.
          </p>
          <div class="actions">
            <button type="button" class="ghost" ref={keepButton} onClick={close}>
              Keep rental
            </button>
            <button
              type="button"
              class="danger"
              onClick={() => {
                setConfirming(false);
                void store.getState().cancel(order.id);
              }}
            >
              Yes, cancel it
            </button>
          </div>
        </div>
      )}
    </>
  );
}
