import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { useStore } from '@/components/stores/use-store';
import type { StoreApi } from 'zustand/vanilla';
import { formatMoney } from '@/utils/format';
import { isLive, type Order } from '@/utils/orders/model';
import type { Pool } from '@/utils/text2fa/types';
import type { OrdersStoreState } from '../stores/orders';
import { draftOrder, rentalDays, rentalDurations, selectedService, type SiteStoreState } from '../stores/site';
import { POOL_NAMES } from './format';
import { OrderCard } from './OrderCard';
import { ServicePicker, stockWords } from './ServicePicker';
import { ConnectionShown } from './connection';
import { ErrorNote } from './ui';

const POOL_HINTS: Record<Pool, string> = {
  s1: 'A temporary number for one code (20 minutes).',
  s2: 'A temporary number from the area codes you choose.',
  rental: 'Your own number for days, for every message.',
};

export interface SiteViewProps {
  site: StoreApi<SiteStoreState>;
  orders: StoreApi<OrdersStoreState>;
  accountId: string | null;
  currency: string;
}

/** The live order bought for this site: the one bought in this popup, else the newest live one for the site. */
export function siteOrderOf(state: SiteStoreState, book: Order[], accountId: string | null): Order | null {
  const mine = state.orderId ? book.find((o) => o.id === state.orderId) : undefined;
  if (mine) return mine;
  const key = state.info?.siteKey;
  if (!key) return null;
  return (
    book
      .filter((o) => o.site?.siteKey === key && o.accountId === accountId && isLive(o))
      .sort((a, b) => b.createdAt - a.createdAt)[0] ?? null
  );
}

/** The label of the purchase button, with the price when known. */
export function buyLabel(pool: Pool, price: number | null, currency: string): string {
  const verb = pool === 'rental' ? 'Rent number' : 'Get number';
  return price === null ? verb : `${verb} — ${formatMoney(price, currency)}`;
}

/** "This site": what the tab is, its service, the order form, and the number bought for it. */
export function SiteView({ site, orders, accountId, currency }: SiteViewProps) {
  const state = useStore(site);
  const book = useStore(orders, (s) => s.book);
  const siteOrder = siteOrderOf(state, book, accountId);
  const { info, infoState } = state;
  const catalogError = state.catalogError[state.pool] ?? null;

  return (
    <section class="card site" aria-labelledby="site-title">
      <h2 id="site-title">This site</h2>
      {infoState === 'loading' || infoState === 'idle' ? (
        <p class="hint" role="status">
          Looking at this tab…
        </p>
      ) : infoState === 'error' && state.infoError ? (
        <ErrorNote error={state.infoError} onRetry={() => void state.reload()} />
      ) : info?.siteKey ? (
        <p class="site-name" data-testid="site-key">
          {info.siteKey}
        </p>
      ) : (
        <p class="hint" data-testid="no-site">
          This page isn't a web site, so no service is matched to it. You can still pick a service and get a number.
        </p>
      )}
      {info?.siteKey && !info.choices[state.pool] && !info.matches[state.pool] && infoState === 'ready' && !catalogError && (
        <p class="hint">No {POOL_NAMES[state.pool]} service matched {info.siteKey}. Pick the one you need.</p>
      )}
      {catalogError && !info?.choices[state.pool] && !info?.matches[state.pool] && (
        <>
          <p class="hint">The {POOL_NAMES[state.pool]} services could not be loaded, so none is matched to this site yet.</p>
          <ErrorNote error={catalogError} onRetry={() => void state.reload()} />
        </>
      )}
      {siteOrder && state.stillWaiting === siteOrder.id && (
        <div class="hint still-waiting" role="status" data-testid="still-waiting">
          <p>
            Nothing was bought: your {siteOrder.serviceName} number{info?.siteKey ? ` for ${info.siteKey}` : ''} is still waiting for
            its SMS. Here it is.
          </p>
          <button type="button" disabled={state.buying} onClick={() => void state.buy({ another: true })}>
            {state.buying ? 'Getting another…' : 'Get another'}
          </button>
        </div>
      )}
      {siteOrder && (
        <OrderCard
          order={siteOrder}
          store={orders}
          accountId={accountId}
          currency={currency}
          renewDays={state.settings.defaults.rentalDays}
          anotherBusy={state.buying}
          onAnother={() => void state.rejectAndAnother(siteOrder)}
        />
      )}
      <BuyForm site={site} currency={currency} />
    </section>
  );
}

/** Pool, service and the pool's options, then one button that buys. */
export function BuyForm({ site, currency, confirm = false }: { site: StoreApi<SiteStoreState>; currency: string; confirm?: boolean }) {
  const state = useStore(site);
  const [picking, setPicking] = useState(false);
  const trigger = useRef<HTMLButtonElement>(null);
  const buyButton = useRef<HTMLButtonElement>(null);
  const id = useId();
  const { pool, info } = state;
  const { source } = selectedService(state);
  const draft = draftOrder(state);
  const service = draft.service;
  const soldOut = service?.available === 0;
  const loadingPrice = service !== null && draft.price === null && state.catalogState[pool] === 'loading';
  const ready = draft.request !== null && !soldOut && !state.buying && !(confirm && loadingPrice);

  // On the shortcut's confirmation the purchase button takes focus as soon as it can buy, so one Enter buys.
  const focused = useRef(false);
  useEffect(() => {
    if (confirm && ready && !focused.current) {
      focused.current = true;
      buyButton.current?.focus();
    }
  }, [confirm, ready]);

  const closePicker = () => {
    setPicking(false);
    trigger.current?.focus();
  };

  return (
    <form
      class="buy"
      aria-label="Get a number"
      onSubmit={(event) => {
        event.preventDefault();
        if (ready) void state.buy();
      }}
    >
      {!confirm && (
        <fieldset class="pools">
          <legend>Number type</legend>
          <div class="segmented">
            {(['s1', 's2', 'rental'] as const).map((p) => (
              <label key={p} class={p === pool ? 'on' : ''}>
                <input type="radio" name={`${id}-pool`} value={p} checked={p === pool} onChange={() => state.setPool(p)} />
                {POOL_NAMES[p]}
              </label>
            ))}
          </div>
          <p class="hint">{POOL_HINTS[pool]}</p>
        </fieldset>
      )}

      <div class="field">
        <span class="label" aria-hidden="true">
          Service
        </span>
        <button
          type="button"
          ref={trigger}
          class="service-button"
          aria-haspopup="dialog"
          aria-expanded={picking}
          onClick={() => {
            setPicking(true);
            void state.loadCatalog(pool);
          }}
        >
          <span class="sr-only">Service: </span>
          <span class="name" data-testid="service-name">
            {service ? service.name : 'Choose a service'}
          </span>
          <span class="price">
            {service?.price != null && formatMoney(service.price, currency)}
            {service && stockWords(service) ? ` · ${stockWords(service)}` : ''}
          </span>
          <span aria-hidden="true">▾</span>
        </button>
        {source && info?.siteKey && (
          <p class="hint">
            {source === 'choice' ? `Your choice for ${info.siteKey}. ` : `Matched to ${info.siteKey}.`}
            {source === 'choice' && (
              <button type="button" class="link" onClick={() => state.forget()}>
                Forget
              </button>
            )}
          </p>
        )}
      </div>

      {picking && (
        // A modal over the popup, banner included: it says its own errors.
        <ConnectionShown.Provider value={false}>
          <ServicePicker
            pool={pool}
            services={state.catalog[pool] ?? null}
            loading={state.catalogState[pool] === 'loading'}
            error={state.catalogError[pool] ?? null}
            currentKey={service?.key ?? null}
            currency={currency}
            onPick={(picked) => {
              state.pick(picked);
              closePicker();
            }}
            onClose={closePicker}
            onRetry={() => void state.loadCatalog(pool, true)}
          />
        </ConnectionShown.Provider>
      )}

      {!confirm && <PoolOptions site={site} errorsId={`${id}-errors`} />}

      {soldOut && <p class="hint warn">{service?.name} is sold out right now. Choose another service or number type.</p>}
      <button type="submit" ref={buyButton} class="primary wide" disabled={!ready} aria-describedby={draft.request ? undefined : `${id}-why`}>
        {state.buying ? 'Getting number…' : buyLabel(pool, draft.price, currency)}
      </button>
      {!service && (
        <p class="hint" id={`${id}-why`}>
          Choose a service first.
        </p>
      )}
      {state.buyError && <ErrorNote error={state.buyError} onRetry={() => void state.buy()} busy={state.buying} />}
    </form>
  );
}

/** The selected pool's options: S1 state and premium, S2 area codes, rental days and state. */
function PoolOptions({ site, errorsId }: { site: StoreApi<SiteStoreState>; errorsId: string }) {
  const state = useStore(site);
  const { pool, form, regions } = state;
  const id = useId();
  const { errors, service } = draftOrder(state);

  if (pool === 's1') {
    return (
      <div class="options-row">
        <div class="field">
          <label for={`${id}-state`}>State</label>
          <select id={`${id}-state`} value={form.state} onChange={(event) => state.setForm({ state: event.currentTarget.value })}>
            <option value="">Any state</option>
            {form.state && !regions.us?.some((r) => r.code === form.state) && <option value={form.state}>{form.state}</option>}
            {regions.us?.map((r) => (
              <option key={r.code} value={r.code}>
                {r.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for={`${id}-premium`}>Premium bid ($)</label>
          <input
            id={`${id}-premium`}
            inputMode="decimal"
            placeholder="0.00"
            value={form.premium}
            aria-invalid={errors.premium ? true : undefined}
            aria-describedby={errors.premium ? errorsId : undefined}
            onInput={(event) => state.setForm({ premium: event.currentTarget.value })}
          />
        </div>
        {errors.premium && (
          <p class="field-error" id={errorsId} role="alert">
            {errors.premium}
          </p>
        )}
      </div>
    );
  }
  if (pool === 's2') {
    return (
      <div class="options-row">
        <div class="field grow">
          <label for={`${id}-areas`}>Area codes (optional)</label>
          <input
            id={`${id}-areas`}
            inputMode="numeric"
            placeholder="e.g. 610, 212"
            value={form.areas}
            aria-invalid={errors.areas ? true : undefined}
            aria-describedby={errors.areas ? errorsId : undefined}
            onInput={(event) => state.setForm({ areas: event.currentTarget.value })}
          />
        </div>
        {errors.areas && (
          <p class="field-error" id={errorsId} role="alert">
            {errors.areas}
          </p>
        )}
      </div>
    );
  }
  const days = rentalDays(state, service);
  return (
    <div class="options-row">
      <div class="field">
        <label for={`${id}-days`}>Days</label>
        <select id={`${id}-days`} value={String(days)} onChange={(event) => state.setForm({ days: Number(event.currentTarget.value) })}>
          {rentalDurations(service, state.settings.defaults.rentalDays).map((d) => (
            <option key={d} value={String(d)}>
              {d} {d === 1 ? 'day' : 'days'}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for={`${id}-rstate`}>State</label>
        <select id={`${id}-rstate`} value={form.rentalState} onChange={(event) => state.setForm({ rentalState: event.currentTarget.value })}>
          <option value="">Any</option>
          {regions.rental?.map((r) => (
            <option key={r.code} value={r.code}>
              {r.name}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
