import { useEffect, useRef, useState } from 'preact/hooks';
import { useStore } from '@/components/stores/use-store';
import { EnvContext, type PopupEnv } from './stores/env';
import type { PopupStores } from './stores/popup';
import { BalanceBar } from './BalanceBar';
import { SetupView } from './SetupView';
import { AccountView } from './AccountView';
import { SiteView } from './popup/SiteView';
import { OrdersView } from './popup/OrdersView';
import { TwinNotices } from './popup/TwinNotices';
import { PinHint } from './popup/PinHint';
import { HistoryView } from './popup/HistoryView';
import { ShortcutConfirm } from './popup/ShortcutConfirm';
import { ErrorNote } from './popup/ui';
import { askAgainWhatGotNoAnswer, ConnectionBanner, ConnectionShown, connectionProblem, isConnectionError, tryAgainEverywhere } from './popup/connection';
import { countsAsLive } from './popup/format';

export interface AppProps {
  env: PopupEnv;
  stores: PopupStores;
}

type Tab = 'site' | 'orders' | 'history' | 'account';
const TABS: ReadonlyArray<[Tab, string]> = [
  ['site', 'This site'],
  ['orders', 'Orders'],
  ['history', 'History'],
  ['account', 'Account'],
];

/** A cached balance older than this is refreshed when the popup opens. */
const ACCOUNT_STALE_MS = 60_000;

/**
 * The popup: the balance always in view; Setup until a token works; then
 * "This site", the orders, history and the account, each a tab. It renders
 * at once from storage and refreshes from the background.
 */
export function App({ env, stores }: AppProps) {
  const state = useStore(stores.session);
  const shortcut = useStore(stores.site, (s) => s.shortcut);
  const book = useStore(stores.orders, (s) => s.book);
  const renewDays = useStore(stores.site, (s) => s.settings.defaults.rentalDays);
  const infoError = useStore(stores.site, (s) => s.infoError);
  const catalogError = useStore(stores.site, (s) => s.catalogError[s.pool] ?? null);
  const buyError = useStore(stores.site, (s) => s.buyError);
  const syncError = useStore(stores.orders, (s) => s.syncError);
  const [replacing, setReplacing] = useState(false);
  const [tab, setTab] = useState<Tab>('site');
  const [online, setOnline] = useState(env.isOnline());
  const tabList = useRef<HTMLDivElement>(null);

  useEffect(() => env.onOnlineChange(setOnline), [env]);
  useEffect(() => {
    let stop: (() => void) | undefined;
    let closed = false;
    void stores.orders
      .getState()
      .start()
      .then((unwatch) => (closed ? unwatch() : (stop = unwatch)));
    void stores.session.getState().load();
    return () => {
      closed = true;
      stop?.();
    };
  }, [stores]);

  const session = state.session;
  const configured = session?.configured ?? false;
  useEffect(() => {
    if (!configured) return;
    // The popup opening is the moment to import orders made elsewhere and poll at once.
    void stores.orders.getState().sync();
    void stores.site.getState().start();
    const account = stores.session.getState().session?.account;
    if (!account || env.now() - account.checkedAt > ACCOUNT_STALE_MS) void stores.session.getState().refresh();
  }, [configured, stores, env]);

  const account = session?.account ?? state.cachedAccount;
  const accountId = account?.accountId ?? null;
  const currency = account?.currency ?? 'USD';
  const live = book.filter((o) => o.accountId === accountId && countsAsLive(o)).length;
  const unseen = book.some((o) => o.accountId === accountId && o.unseenCode !== null);
  const problem = state.error ?? session?.problem ?? null;
  // Offline, the notice below the balance says it; online, one banner speaks for every part that got no answer.
  const connection = online ? connectionProblem([problem, infoError, catalogError, buyError, syncError]) : null;
  const banner = connection && <ConnectionBanner error={connection} onRetry={() => tryAgainEverywhere(stores)} />;
  // Set by the views that show the banner: only there may the boxes below it leave the connection problem out.
  let bannerShown = false;
  // Text2FA answered a check again: what failed for want of an answer is asked again, so the banner goes.
  const lastCheck = useStore(stores.orders, (s) => s.lastCheck);
  useEffect(() => {
    if (lastCheck?.ok) void askAgainWhatGotNoAnswer(stores);
  }, [lastCheck, stores]);

  let body;
  if (session === null && state.busy === 'loading' && account === null) {
    body = (
      <p class="card hint" role="status">
        Loading…
      </p>
    );
  } else if (session === null && state.error) {
    body = (
      <div class="card error" role="alert">
        <p>{state.error.message}</p>
        <button type="button" onClick={() => void state.load()}>
          Retry
        </button>
      </div>
    );
  } else if (session !== null && (!session.configured || replacing)) {
    body = (
      <SetupView
        busy={state.busy === 'saving'}
        error={state.error}
        replacing={session.configured}
        onSubmit={async (token) => {
          if (await state.setToken(token)) setReplacing(false);
        }}
        onCancel={
          session.configured
            ? () => {
                state.clearError();
                setReplacing(false);
              }
            : undefined
        }
      />
    );
  } else if (shortcut) {
    bannerShown = banner !== null;
    body = (
      <>
        {banner}
        <ShortcutConfirm site={stores.site} currency={currency} />
      </>
    );
  } else {
    bannerShown = banner !== null;
    const select = (next: Tab) => {
      setTab(next);
      tabList.current?.querySelector<HTMLElement>(`#tab-${next}`)?.focus();
    };
    body = (
      <>
        {banner}
        {problem && tab !== 'account' && !isConnectionError(problem) && (
          <ErrorNote error={problem} onRetry={() => void state.refresh()} busy={state.busy === 'refreshing'}>
            {problem.kind === 'unauthorized' && (
              <button type="button" class="ghost" onClick={() => setReplacing(true)}>
                Replace token
              </button>
            )}
          </ErrorNote>
        )}
        <div
          class="tabs"
          role="tablist"
          aria-label="Sections"
          ref={tabList}
          onKeyDown={(event) => {
            const index = TABS.findIndex(([key]) => key === tab);
            const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
            if (step !== 0) select(TABS[(index + step + TABS.length) % TABS.length]![0]);
            else if (event.key === 'Home') select(TABS[0]![0]);
            else if (event.key === 'End') select(TABS[TABS.length - 1]![0]);
            else return;
            event.preventDefault();
          }}
        >
          {TABS.map(([key, label]) => (
            <button
              key={key}
              type="button"
              role="tab"
              id={`tab-${key}`}
              aria-selected={tab === key}
              aria-controls={tab === key ? `panel-${key}` : undefined}
              tabIndex={tab === key ? 0 : -1}
              onClick={() => setTab(key)}
            >
              {label}
              {key === 'orders' && live > 0 && (
                <>
                  <span class={`badge${unseen ? ' new' : ''}`} aria-hidden="true">
                    {live}
                  </span>
                  <span class="sr-only"> ({live} live{unseen ? ', new code' : ''})</span>
                </>
              )}
            </button>
          ))}
        </div>
        <div class="panel" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
          {tab === 'site' && <SiteView site={stores.site} orders={stores.orders} accountId={accountId} currency={currency} />}
          {tab === 'orders' && <OrdersView orders={stores.orders} accountId={accountId} currency={currency} renewDays={renewDays} />}
          {tab === 'history' && <HistoryView orders={stores.orders} currency={currency} />}
          {tab === 'account' && (
            <AccountView
              account={account}
              problem={(bannerShown || !online) && isConnectionError(problem) ? null : problem}
              now={env.now()}
              onReplaceToken={() => setReplacing(true)}
              onSignOut={() => void state.signOut()}
              onRetry={() => void state.refresh()}
              onOpenSettings={() => env.openOptions()}
            />
          )}
        </div>
      </>
    );
  }

  return (
    <EnvContext.Provider value={env}>
      <div class="popup">
        <BalanceBar
          account={account}
          refreshing={state.busy === 'refreshing'}
          onRefresh={session?.configured ? () => void state.refresh() : undefined}
        />
        {!online && (
          <p class="banner offline" role="status" data-testid="offline">
            You are offline. Showing what was saved; Text2FA can't be reached until you are back online.
          </p>
        )}
        {session?.configured && <PinHint env={env} />}
        {session?.configured && <TwinNotices orders={stores.orders} accountId={accountId} currency={currency} />}
        <main>
          <ConnectionShown.Provider value={!online || bannerShown}>{body}</ConnectionShown.Provider>
        </main>
      </div>
    </EnvContext.Provider>
  );
}
