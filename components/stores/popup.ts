/** The popup's stores, made together from one environment. */
import type { StoreApi } from 'zustand/vanilla';
import type { CachedAccount } from '@/utils/storage';
import type { PopupEnv } from './env';
import { createOrdersStore, type OrdersStoreState } from './orders';
import { createSessionStore, type SessionStoreState } from './session';
import { createSiteStore, type SiteStoreState } from './site';

export interface PopupStores {
  session: StoreApi<SessionStoreState>;
  orders: StoreApi<OrdersStoreState>;
  site: StoreApi<SiteStoreState>;
}

/**
 * Creates the session, orders and "This site" stores of one popup; the
 * account cached in storage, when read beforehand, is shown from the first render.
 */
export function createPopupStores(env: PopupEnv, cachedAccount: CachedAccount | null = null): PopupStores {
  return {
    session: createSessionStore(
      {
        send: env.send,
        stageToken: (token) => env.stageToken(token),
        readCachedAccount: () => env.account.getValue(),
        watchAccount: (callback) => env.account.watch(callback),
      },
      cachedAccount,
    ),
    orders: createOrdersStore(env),
    site: createSiteStore(env),
  };
}
