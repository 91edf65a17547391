/** The popup's stores, made together from one environment. */
import type { StoreApi } from 'zustand/vanilla';
import type { PopupEnv } from './env';
import { createOrdersStore, type OrdersStoreState } from './orders';
import { createSessionStore, type SessionStoreState } from './session';
import { createSiteStore, type SiteStoreState } from './site';

export interface PopupStores {
  session: StoreApi<SessionStoreState>;
  orders: StoreApi<OrdersStoreState>;
  site: StoreApi<SiteStoreState>;
}

/** Creates the session, orders and "This site" stores of one popup. */
export function createPopupStores(env: PopupEnv): PopupStores {
  return {
    session: createSessionStore({
      send: env.send,
      stageToken: (token) => env.stageToken(token),
      readCachedAccount: () => env.account.getValue(),
      watchAccount: (callback) => env.account.watch(callback),
    }),
    orders: createOrdersStore(env),
    site: createSiteStore(env),
  };
}
