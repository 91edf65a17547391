/**
 * "This site": the tab the popup is about, the service to buy for it, the
 * order form, and the purchase. The background matches services to sites
 * and does every API call; this store only keeps what the user sees and
 * chose, and builds the purchase request from it.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { preferredPool } from '@/utils/choices';
import { checkAreaCodes, checkPremium } from '@/utils/input-rules';
import { request, type BuyRequest, type SiteInfo } from '@/utils/messaging';
import type { Order } from '@/utils/orders/model';
import { DEFAULT_SETTINGS, type PendingShortcutPurchase, type ServiceChoice, type Settings } from '@/utils/storage';
import type { Pool, Region, RentalService, Service } from '@/utils/text2fa/types';
import type { PopupEnv } from './env';
import { toErrorView, type ErrorView } from './errors';

export type LoadState = 'idle' | 'loading' | 'ready' | 'error';

/** A shortcut purchase older than this is stale (the popup did not open then): ignore it. */
export const SHORTCUT_FRESH_MS = 60_000;

/** The order form as typed: text fields stay text until the request is built. */
export interface OrderForm {
  /** S1 US state code, '' for any. */
  state: string;
  /** S1 premium bid as typed, '' for none. */
  premium: string;
  /** S2 area codes as typed, comma separated. */
  areas: string;
  /** Rental days, null for the default. */
  days: number | null;
  /** Rental state code, '' for any. */
  rentalState: string;
}

export interface SiteStoreState {
  tabId: number | null;
  info: SiteInfo | null;
  infoState: LoadState;
  infoError: ErrorView | null;
  settings: Settings;
  pool: Pool;
  /** Whether the user chose the pool here (then the site's remembered pool no longer overrides it). */
  poolTouched: boolean;
  catalog: Partial<Record<Pool, Array<Service | RentalService>>>;
  catalogState: Record<Pool, LoadState>;
  catalogError: Partial<Record<Pool, ErrorView>>;
  regions: { us: Region[] | null; rental: Region[] | null };
  form: OrderForm;
  buying: boolean;
  buyError: ErrorView | null;
  /** The order bought (or re-bought) for this site while the popup is open. */
  orderId: string | null;
  /**
   * Set when "Get number" bought nothing because this site's number for the
   * same service still waits for its SMS: that order's id (shown, with "Get another").
   */
  stillWaiting: string | null;
  /** The "Get a number" shortcut's purchase waiting for the user's Enter. */
  shortcut: PendingShortcutPurchase | null;
  start(): Promise<void>;
  /** Reads the site and its services again (after a failure). */
  reload(): Promise<void>;
  loadCatalog(pool: Pool, refresh?: boolean): Promise<void>;
  setPool(pool: Pool): void;
  /** Picks a service for this site and remembers it (per site and kind: the other kinds' picks stay). */
  pick(service: Service | RentalService): void;
  /** Forgets the service remembered for this site for the selected kind. */
  forget(): void;
  setForm(patch: Partial<OrderForm>): void;
  /** Buys what the form says; resolves to the order, or null (see `buyError`). */
  buy(options?: { another?: boolean; from?: Order }): Promise<Order | null>;
  /** Rejects the site's number, then buys another of the same. */
  rejectAndAnother(order: Order): Promise<Order | null>;
  dismissShortcut(): void;
}

/** The service the form will buy, and why it is that one. */
export interface Selection {
  service: Service | RentalService | null;
  /** `choice`: the user picked it for this site; `match`: the background matched it to the site. */
  source: 'choice' | 'match' | null;
}

/** The selected pool's service: the site's remembered choice, else the match for the site. */
export function selectedService(state: Pick<SiteStoreState, 'pool' | 'info' | 'catalog'>): Selection {
  const { pool, info } = state;
  const list = state.catalog[pool] ?? [];
  const choice = info?.choices[pool] ?? null;
  if (choice) {
    const service = list.find((s) => s.key === choice.serviceKey);
    // Until the list arrives, the remembered name stands in (its price is unknown).
    return { service: service ?? { pool, key: choice.serviceKey, name: choice.serviceName, price: null, available: null }, source: 'choice' };
  }
  const match = info?.matches[pool] ?? null;
  if (match) return { service: list.find((s) => s.key === match.key) ?? match, source: 'match' };
  return { service: null, source: null };
}

/** The durations a rental service offers (the default alone when it did not say). */
export function rentalDurations(service: Service | RentalService | null, fallback: number): number[] {
  const durations = service && 'durations' in service ? service.durations : [];
  return durations.length > 0 ? durations : [fallback];
}

/** The days the form rents for: the user's pick, else the default, else the shortest offered. */
export function rentalDays(state: Pick<SiteStoreState, 'form' | 'settings'>, service: Service | RentalService | null): number {
  const offered = rentalDurations(service, state.settings.defaults.rentalDays);
  if (state.form.days !== null && offered.includes(state.form.days)) return state.form.days;
  return offered.includes(state.settings.defaults.rentalDays) ? state.settings.defaults.rentalDays : offered[0]!;
}

/** Parses the area codes field into distinct codes, or says what is wrong (the rule is `checkAreaCodes`). */
export function parseAreas(text: string): { areas: string[]; error: string | null } {
  const checked = checkAreaCodes(text);
  return checked.ok ? { areas: checked.value, error: null } : { areas: [], error: checked.message };
}

/** What the form would buy: the request (without its intent id), its price, and what blocks it. */
export interface Draft {
  service: Service | RentalService | null;
  request: Omit<BuyRequest, 'intentId'> | null;
  price: number | null;
  errors: { premium?: string; areas?: string };
}

/** Builds the purchase request from the form; `request` is null while anything blocks it. */
export function draftOrder(state: Pick<SiteStoreState, 'pool' | 'info' | 'catalog' | 'form' | 'settings' | 'tabId'>): Draft {
  const { pool, form } = state;
  const { service } = selectedService(state);
  const errors: Draft['errors'] = {};
  let price = service?.price ?? null;
  const extra: Partial<BuyRequest> = {};
  if (pool === 's1') {
    const premium = checkPremium(form.premium);
    if (!premium.ok) errors.premium = premium.message;
    else if (premium.value !== null && premium.value > 0) {
      extra.premium = premium.value;
      if (price !== null) price = Math.round((price + premium.value) * 100) / 100;
    }
    if (form.state) extra.state = form.state;
  } else if (pool === 's2') {
    const parsed = parseAreas(form.areas);
    if (parsed.error) errors.areas = parsed.error;
    else if (parsed.areas.length > 0) extra.areas = parsed.areas;
  } else {
    const days = rentalDays(state, service);
    extra.duration = days;
    const perDay = service && 'pricePerDay' in service ? service.pricePerDay : null;
    if (perDay !== null) price = Math.round(perDay * days * 100) / 100;
    else if (days !== rentalDurations(service, days)[0]) price = null;
    if (form.rentalState) extra.state = form.rentalState;
  }
  const blocked = !service || Object.keys(errors).length > 0;
  const bindsToSite = state.tabId !== null && state.info?.siteKey;
  return {
    service,
    price,
    errors,
    request: blocked
      ? null
      : {
          pool,
          serviceKey: service.key,
          serviceName: service.name,
          expectedPrice: price,
          ...extra,
          ...(bindsToSite ? { tabId: state.tabId! } : {}),
        },
  };
}

/** The form's starting values, from the user's defaults. */
function formFrom(settings: Settings): OrderForm {
  const d = settings.defaults;
  return { state: d.state ?? '', premium: d.premium ? d.premium.toFixed(2) : '', areas: d.areas.join(', '), days: null, rentalState: '' };
}

/** Settings as saved, with defaults for anything an older version did not save. */
function withDefaults(saved: Settings | null | undefined): Settings {
  return { ...DEFAULT_SETTINGS, ...saved, defaults: { ...DEFAULT_SETTINGS.defaults, ...saved?.defaults } };
}

/** The purchase a "get another" repeats: what the earlier order asked for. */
function repeatOf(order: Order): Omit<BuyRequest, 'intentId' | 'tabId'> | null {
  if (!order.request) return null;
  return { ...order.request, expectedPrice: order.price };
}

/** Creates one popup's "This site" store. */
export function createSiteStore(env: PopupEnv): StoreApi<SiteStoreState> {
  return createStore<SiteStoreState>()((set, get) => {
    async function loadRegions(kind: 'us' | 'rental'): Promise<void> {
      if (get().regions[kind]) return;
      try {
        const regions = await request(env.send, 'catalog.regions', { kind });
        set({ regions: { ...get().regions, [kind]: regions } });
      } catch {
        // The selects then offer "Any" only; the purchase itself does not need them.
      }
    }

    async function loadInfo(): Promise<void> {
      const { tabId } = get();
      if (tabId === null) {
        set({ infoState: 'ready', info: { url: null, siteKey: null, matches: { s1: null, s2: null, rental: null }, choices: {} } });
        return;
      }
      set({ infoState: 'loading', infoError: null });
      try {
        const info = await request(env.send, 'site.info', { tabId });
        const { poolTouched } = get();
        const pool = poolTouched ? get().pool : preferredPool(info.choices, get().pool);
        set({ info, infoState: 'ready', pool });
        if (pool !== 's2') void loadRegions(pool === 's1' ? 'us' : 'rental');
        void get().loadCatalog(pool);
      } catch (error) {
        set({ infoState: 'error', infoError: toErrorView(error) });
      }
    }

    return {
      tabId: null,
      info: null,
      infoState: 'idle',
      infoError: null,
      settings: DEFAULT_SETTINGS,
      pool: DEFAULT_SETTINGS.defaults.pool,
      poolTouched: false,
      catalog: {},
      catalogState: { s1: 'idle', s2: 'idle', rental: 'idle' },
      catalogError: {},
      regions: { us: null, rental: null },
      form: formFrom(DEFAULT_SETTINGS),
      buying: false,
      buyError: null,
      orderId: null,
      stillWaiting: null,
      shortcut: null,

      async start() {
        const [saved, pending] = await Promise.all([
          env.settings.getValue().catch(() => null),
          env.pendingShortcut.getValue().catch(() => null),
        ]);
        const settings = withDefaults(saved);
        const fresh = pending && env.now() - pending.at < SHORTCUT_FRESH_MS ? pending : null;
        // Taken at once, so the same shortcut press is confirmed at most once.
        if (pending) void request(env.send, 'shortcut.take', {}).catch(() => undefined);
        const tabId = fresh ? fresh.tabId : await env.currentTabId().catch(() => null);
        set({ settings, pool: settings.defaults.pool, form: formFrom(settings), shortcut: fresh, tabId });
        const pool = settings.defaults.pool;
        void get().loadCatalog(pool);
        if (pool !== 's2') void loadRegions(pool === 's1' ? 'us' : 'rental');
        await loadInfo();
      },

      async reload() {
        await Promise.all([loadInfo(), get().loadCatalog(get().pool, true)]);
      },

      async loadCatalog(pool, refresh = false) {
        const state = get();
        if (!refresh && (state.catalogState[pool] === 'loading' || state.catalogState[pool] === 'ready')) return;
        set({ catalogState: { ...state.catalogState, [pool]: 'loading' } });
        try {
          const services = await request(env.send, 'catalog.services', refresh ? { pool, refresh } : { pool });
          set({ catalog: { ...get().catalog, [pool]: services }, catalogState: { ...get().catalogState, [pool]: 'ready' } });
          const { [pool]: _cleared, ...others } = get().catalogError;
          set({ catalogError: others });
        } catch (error) {
          set({
            catalogState: { ...get().catalogState, [pool]: 'error' },
            catalogError: { ...get().catalogError, [pool]: toErrorView(error) },
          });
        }
      },

      setPool(pool) {
        set({ pool, poolTouched: true, buyError: null });
        void get().loadCatalog(pool);
        if (pool !== 's2') void loadRegions(pool === 's1' ? 'us' : 'rental');
      },

      pick(service) {
        const choice: ServiceChoice = { pool: service.pool, serviceKey: service.key, serviceName: service.name };
        const info = get().info ?? { url: null, siteKey: null, matches: { s1: null, s2: null, rental: null }, choices: {} };
        set({ pool: service.pool, buyError: null, info: { ...info, choices: { ...info.choices, [service.pool]: choice } } });
        if (info.siteKey) void request(env.send, 'site.setChoice', { siteKey: info.siteKey, pool: service.pool, choice }).catch(() => undefined);
      },

      forget() {
        const { info, pool } = get();
        if (!info) return;
        const { [pool]: _forgotten, ...others } = info.choices;
        set({ info: { ...info, choices: others } });
        if (info.siteKey) void request(env.send, 'site.setChoice', { siteKey: info.siteKey, pool, choice: null }).catch(() => undefined);
      },

      setForm(patch) {
        set({ form: { ...get().form, ...patch }, buyError: null });
      },

      async buy(options = {}) {
        if (get().buying) return null;
        const state = get();
        const repeat = options.from ? repeatOf(options.from) : null;
        const base = repeat
          ? { ...repeat, ...(state.tabId !== null && state.info?.siteKey ? { tabId: state.tabId } : {}) }
          : draftOrder(state).request;
        if (!base) return null;
        set({ buying: true, buyError: null, stillWaiting: null });
        try {
          const intentId = env.newIntentId();
          const order = await request(env.send, 'orders.buy', {
            ...base,
            intentId,
            ...(options.another ? { another: true } : {}),
          });
          // Another order came back: nothing was bought, this site's number for the service still waits.
          set({ buying: false, orderId: order.id, shortcut: null, stillWaiting: order.id !== intentId ? order.id : null });
          return order;
        } catch (error) {
          set({ buying: false, buyError: toErrorView(error) });
          return null;
        }
      },

      async rejectAndAnother(order) {
        if (get().buying) return null;
        set({ buying: true, buyError: null });
        try {
          await request(env.send, 'orders.reject', { id: order.id });
        } catch (error) {
          set({ buying: false, buyError: toErrorView(error) });
          return null;
        }
        set({ buying: false });
        return get().buy({ another: true, from: order });
      },

      dismissShortcut() {
        set({ shortcut: null });
      },
    };
  });
}
