import { useEffect, useState } from 'preact/hooks';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { SessionStoreState } from './stores/session';
import { BalanceBar } from './BalanceBar';
import { SetupView } from './SetupView';
import { AccountView } from './AccountView';

export interface AppProps {
  store: StoreApi<SessionStoreState>;
  now?: () => number;
}

/** The popup: balance always in view, Setup until a token works, then the account. */
export function App({ store, now = Date.now }: AppProps) {
  const state = useStore(store);
  const [replacing, setReplacing] = useState(false);

  useEffect(() => {
    void store.getState().load();
  }, [store]);

  const session = state.session;
  const account = session?.account ?? state.cachedAccount;

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
  } else {
    body = (
      <AccountView
        account={account}
        problem={state.error ?? session?.problem ?? null}
        now={now()}
        onReplaceToken={() => setReplacing(true)}
        onSignOut={() => void state.signOut()}
        onRetry={() => void state.refresh()}
      />
    );
  }

  return (
    <div class="popup">
      <BalanceBar
        account={account}
        refreshing={state.busy === 'refreshing'}
        onRefresh={session?.configured ? () => void state.refresh() : undefined}
      />
      <main>{body}</main>
    </div>
  );
}
