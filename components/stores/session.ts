/**
 * The popup's view of the session. It renders at once from the cached
 * account in storage, then asks the background for the fresh state; every
 * change goes through the background, which alone holds the token.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { MessageError, request, type SendMessage, type SessionState } from '@/utils/messaging';
import type { CachedAccount } from '@/utils/storage';

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
  readCachedAccount(): Promise<CachedAccount | null>;
}

function errorOf(error: unknown): { kind: string; message: string } {
  if (error instanceof MessageError) return { kind: error.kind, message: error.message };
  return { kind: 'internal', message: 'Something went wrong. Please try again.' };
}

/** Creates one popup's session store. */
export function createSessionStore(deps: SessionStoreDeps): StoreApi<SessionStoreState> {
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
      cachedAccount: null,
      busy: null,
      error: null,

      async load() {
        const cached = await deps.readCachedAccount().catch(() => null);
        if (get().session === null) set({ cachedAccount: cached });
        await run('loading', () => request(deps.send, 'session.get', {}));
      },

      setToken: (token) => run('saving', () => request(deps.send, 'session.setToken', { token })),

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
