/**
 * The popup's view of the session. It renders at once from the cached
 * account in storage, then asks the background for the fresh state; every
 * change goes through the background, which alone holds the token.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { request, submitToken, type SendMessage, type SessionState } from '@/utils/messaging';
import type { CachedAccount } from '@/utils/storage';
import { toErrorView } from './errors';

export interface SessionStoreState {
  /** Null until the background first answers. */
  session: SessionState | null;
  /** The cached account shown before the background answers. */
  cachedAccount: CachedAccount | null;
  busy: 'loading' | 'saving' | 'refreshing' | null;
  /** The last failure of an action, in words the user can act on. */
  error: { kind: string; message: string } | null;
  load(): Promise<void>;
  setToken(token: string): Promise<boolean>;
  signOut(): Promise<void>;
  refresh(): Promise<void>;
  clearError(): void;
}

export interface SessionStoreDeps {
  send: SendMessage;
  /** Puts a pasted token where the background takes it from (never in a message). */
  stageToken(token: string): Promise<void>;
  readCachedAccount(): Promise<CachedAccount | null>;
  /**
   * Follows the cached account in storage, so a balance the background changes
   * (a refund, a purchase) shows while the popup is open. Returns the unwatch function.
   */
  watchAccount?(callback: (account: CachedAccount | null) => void): () => void;
}

const errorOf = (error: unknown) => {
  const { kind, message } = toErrorView(error);
  return { kind, message };
};

/**
 * Creates one popup's session store. `cachedAccount`, read before the first
 * render, lets that render show the balance instead of waiting for storage.
 */
export function createSessionStore(deps: SessionStoreDeps, cachedAccount: CachedAccount | null = null): StoreApi<SessionStoreState> {
  let watching = false;
  return createStore<SessionStoreState>()((set, get) => {
    /** Runs one background request, keeping `busy` and `error` honest. */
    async function run(busy: NonNullable<SessionStoreState['busy']>, action: () => Promise<SessionState>): Promise<boolean> {
      set({ busy, error: null });
      try {
        const session = await action();
        set({ session, cachedAccount: session.account, busy: null });
        return true;
      } catch (error) {
        set({ busy: null, error: errorOf(error) });
        return false;
      }
    }

    return {
      session: null,
      cachedAccount,
      busy: null,
      error: null,

      async load() {
        if (!watching && deps.watchAccount) {
          watching = true;
          deps.watchAccount((account) => {
            const session = get().session;
            set({ cachedAccount: account, session: session ? { ...session, account } : session });
          });
        }
        const cached = await deps.readCachedAccount().catch(() => null);
        if (get().session === null) set({ cachedAccount: cached });
        await run('loading', () => request(deps.send, 'session.get', {}));
      },

      setToken: (token) => run('saving', () => submitToken(deps.send, deps.stageToken, token)),

      async signOut() {
        await run('saving', () => request(deps.send, 'session.signOut', {}));
      },

      async refresh() {
        await run('refreshing', () => request(deps.send, 'account.refresh', {}));
      },

      clearError: () => set({ error: null }),
    };
  });
}
