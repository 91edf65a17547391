import { useStore } from '@/components/stores/use-store';
import type { StoreApi } from 'zustand/vanilla';
import type { SiteStoreState } from '../stores/site';
import { POOL_NAMES } from './format';
import { BuyForm } from './SiteView';
import { ErrorNote } from './ui';

/**
 * The "Get a number" shortcut's confirmation: the site's service and price,
 * with the purchase button focused so one Enter buys. Esc or "Not now" goes
 * back to the usual popup without buying.
 */
export function ShortcutConfirm({ site, currency }: { site: StoreApi<SiteStoreState>; currency: string }) {
  const state = useStore(site);
  const { info, infoState } = state;
  const where = info?.siteKey ?? 'this page';

  return (
    <section
      class="card confirm-view"
      aria-labelledby="confirm-title"
      onKeyDown={(event) => {
        if (event.key === 'Escape' && !event.defaultPrevented) state.dismissShortcut();
      }}
    >
      <h2 id="confirm-title">Get a number for {where}?</h2>
      <p class="hint">
        {POOL_NAMES[state.pool]} number. Press Enter to buy, Esc to cancel.
      </p>
      {infoState === 'loading' || infoState === 'idle' ? (
        <p class="hint" role="status">
          Looking at the site…
        </p>
      ) : (
        infoState === 'error' && state.infoError && <ErrorNote error={state.infoError} onRetry={() => void state.reload()} />
      )}
      <BuyForm site={site} currency={currency} confirm />
      <div class="actions">
        <button type="button" class="ghost" onClick={() => state.dismissShortcut()}>
          Not now
        </button>
      </div>
    </section>
  );
}
