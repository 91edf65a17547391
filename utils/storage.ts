/**
 * Every item the extension keeps in `browser.storage`, typed and versioned.
 *
 * Only the background writes these (the popup and options page read them to
 * render at once, and ask the background for every change), so a value is
 * never written from two places at the same time. Content scripts never
 * import this module, and the API token is not kept here at all (Firefox
 * lets content scripts read `storage.local`): see background/token-store.ts.
 */
import { storage } from 'wxt/utils/storage';
import type { Order } from './orders/model';
import type { AuthForm, Pool } from './text2fa/types';
import type { AnswerProblemLog } from './text2fa/problems';
import { ALLOWS_CUSTOM_API_BASE_URL, DEFAULT_SIMULATOR_API_BASE_URL, PRODUCTION_API_BASE_URL } from './config';

/**
 * Where builds before the token store (background/token-store.ts) kept the API
 * token. The background moves a token found here into the store and removes
 * it; nothing else reads or writes it.
 */
export const legacyTokenItem = storage.defineItem<string | null>('local:token', { fallback: null });

/**
 * A pasted token on its way from the Setup form to the background. The form
 * writes it here (session storage: memory only, extension pages only) and then
 * asks the background to take it; the background reads and clears it at once.
 * So the token never travels in a runtime message.
 */
export const tokenHandoffItem = storage.defineItem<string | null>('session:tokenHandoff', { fallback: null });

/** What account-details last said, so the popup can show the balance before any request. */
export interface CachedAccount {
  /** A one-way fingerprint of the token: tells accounts apart without storing the token twice. */
  accountId: string;
  name: string;
  email: string;
  balance: number;
  currency: string;
  /** When the background last read it (epoch ms). */
  checkedAt: number;
}

export const accountItem = storage.defineItem<CachedAccount | null>('local:account', { fallback: null });

/** The last problem with the session the user should see (bad token, network down...), or null. */
export interface SessionProblem {
  kind: string;
  message: string;
  at: number;
}

export const sessionProblemItem = storage.defineItem<SessionProblem | null>('local:sessionProblem', {
  fallback: null,
});

/**
 * The API base URL. Production builds always use the real service; development
 * and test builds start on the local simulator and may be pointed elsewhere on
 * loopback from the options page.
 */
export const apiBaseUrlItem = storage.defineItem<string>('local:apiBaseUrl', {
  fallback: ALLOWS_CUSTOM_API_BASE_URL ? DEFAULT_SIMULATOR_API_BASE_URL : PRODUCTION_API_BASE_URL,
});

/** Reads the API base URL this build must use right now. */
export async function getApiBaseUrl(): Promise<string> {
  if (!ALLOWS_CUSTOM_API_BASE_URL) return PRODUCTION_API_BASE_URL;
  return apiBaseUrlItem.getValue();
}

/**
 * The order book: every order that is live or was bought in this browser and
 * not yet moved to history, for every account (an account's paid orders stay
 * visible after a token change). Written only by the background, before and
 * after every API call that changes an order.
 *
 * v1: `{ orders }`, orders without `expiryWarnedAt`, `rejectRetryAt`, `phoneFilledAt` (the first builds).
 * v2: those fields always present (null when unset).
 * v3: adds `phoneFillProblem`, `sentAt`, `twinsCheckedAt` and `twin` (null when unset).
 * v4: adds `filledCode` (null when unset: an older order's filled code is known only as seen).
 */
export interface OrderBook {
  orders: Order[];
}

export const ORDER_BOOK_VERSION = 4;

/** Fills in order fields that older versions did not store (`defaults` never override a stored value). */
function withOrderDefaults(value: unknown, defaults: Partial<Order>): OrderBook {
  const orders = (value as { orders?: unknown } | null)?.orders;
  if (!Array.isArray(orders)) return { orders: [] };
  return { orders: orders.map((order: Partial<Order>) => ({ ...defaults, ...order })) as Order[] };
}

/** Migrations of the order book and history, by the version they produce. */
export const ORDER_MIGRATIONS: Record<number, (old: unknown) => OrderBook> = {
  2: (old) => withOrderDefaults(old, { expiryWarnedAt: null, rejectRetryAt: null, phoneFilledAt: null }),
  3: (old) => withOrderDefaults(old, { phoneFillProblem: null, sentAt: null, twinsCheckedAt: null, twin: null }),
  4: (old) => withOrderDefaults(old, { filledCode: null }),
};

export const orderBookItem = storage.defineItem<OrderBook>('local:orderBook', {
  fallback: { orders: [] },
  version: ORDER_BOOK_VERSION,
  migrations: ORDER_MIGRATIONS,
});

/** Finished orders, newest first, capped so storage stays small. */
export interface OrderHistory {
  orders: Order[];
}

export const HISTORY_LIMIT = 500;

export const historyItem = storage.defineItem<OrderHistory>('local:history', {
  fallback: { orders: [] },
  version: ORDER_BOOK_VERSION,
  migrations: ORDER_MIGRATIONS,
});

/** What the user chose; every field has a safe default. */
export interface Settings {
  /** Fill codes into the ordering site's page. */
  autofill: boolean;
  /** Fill the number into the page's phone field after buying. */
  fillPhone: boolean;
  /** Sites (site keys) where the form may be submitted after filling the code. */
  autoSubmitSites: string[];
  /** Reject a number automatically when no SMS came after this many minutes (null: never). */
  autoRejectMinutes: number | null;
  /** Most the extension may spend in any 24 hours, refunds deducted (null: no limit). */
  spendingLimit24h: number | null;
  /** Ask before buying from a shortcut or the context menu. */
  confirmBeforeBuying: boolean;
  notifications: boolean;
  /** Cap on all polling requests. */
  maxRequestsPerMinute: number;
  /** What the popup's order form starts with. */
  defaults: OrderDefaults;
}

/** The popup's starting choices for a new order. */
export interface OrderDefaults {
  pool: Pool;
  /** S1 US state code, or null for any. */
  state: string | null;
  /** S1 premium bid, or null for none. */
  premium: number | null;
  /** S2 area codes (3 digits each). */
  areas: string[];
  /** Rental days. */
  rentalDays: number;
}

export const DEFAULT_SETTINGS: Settings = {
  autofill: true,
  fillPhone: true,
  autoSubmitSites: [],
  autoRejectMinutes: null,
  spendingLimit24h: null,
  confirmBeforeBuying: true,
  notifications: true,
  maxRequestsPerMinute: 60,
  defaults: { pool: 's1', state: null, premium: null, areas: [], rentalDays: 7 },
};

export const settingsItem = storage.defineItem<Settings>('local:settings', {
  fallback: DEFAULT_SETTINGS,
  version: 1,
});

/** Settings with defaults filled in for anything missing (a value saved by an older version). */
export async function getSettings(): Promise<Settings> {
  const saved = await settingsItem.getValue();
  return { ...DEFAULT_SETTINGS, ...saved, defaults: { ...DEFAULT_SETTINGS.defaults, ...saved.defaults } };
}

/** A service the user picked for a site, for one kind of number (its `pool`). */
export interface ServiceChoice {
  pool: Pool;
  serviceKey: string;
  serviceName: string;
}

/** A site's picks, one per kind of number: picking a rental service keeps the S1 one. */
export type SiteChoices = Partial<Record<Pool, ServiceChoice>>;

/**
 * The services picked per site key, then per kind.
 *
 * v1: one `ServiceChoice` per site, so a pick for one kind replaced the other kinds'.
 * v2: a `SiteChoices` per site.
 */
export const SERVICE_CHOICES_VERSION = 2;

const POOLS: readonly Pool[] = ['s1', 's2', 'rental'];

/** Migrations of the per-site choices, by the version they produce. */
export const SERVICE_CHOICE_MIGRATIONS: Record<number, (old: unknown) => Record<string, SiteChoices>> = {
  2: (old) => {
    const sites: Record<string, SiteChoices> = {};
    if (typeof old !== 'object' || old === null) return sites;
    for (const [site, value] of Object.entries(old as Record<string, Partial<ServiceChoice> | null>)) {
      if (typeof value?.serviceKey !== 'string' || typeof value.serviceName !== 'string') continue;
      // A v1 choice kept the kind it was made for; one without it can only have been S1, the first kind offered.
      const pool = POOLS.includes(value.pool as Pool) ? (value.pool as Pool) : 's1';
      sites[site] = { [pool]: { pool, serviceKey: value.serviceKey, serviceName: value.serviceName } };
    }
    return sites;
  },
};

export const serviceChoicesItem = storage.defineItem<Record<string, SiteChoices>>('local:serviceChoices', {
  fallback: {},
  version: SERVICE_CHOICES_VERSION,
  migrations: SERVICE_CHOICE_MIGRATIONS,
});

/**
 * A purchase asked for by the "Get a number" shortcut, waiting for the
 * popup's confirming Enter. Session storage: it must not outlive the browser.
 */
export interface PendingShortcutPurchase {
  tabId: number;
  at: number;
}

export const pendingShortcutPurchaseItem = storage.defineItem<PendingShortcutPurchase | null>('session:pendingShortcutPurchase', {
  fallback: null,
});

/** Whether the user dismissed the popup's first-run hint on pinning the toolbar button. */
export const pinHintDismissedItem = storage.defineItem<boolean>('local:pinHintDismissed', { fallback: false });

/**
 * The `Authorization` form (raw token or `Bearer <token>`) each token was
 * last accepted in, keyed by the token's fingerprint, never the token. Only
 * the forms the client had to discover are kept, the latest few.
 */
export const authFormsItem = storage.defineItem<Record<string, AuthForm>>('local:authForms', {
  fallback: {},
  version: 1,
});

/** How many tokens' forms `authFormsItem` keeps; a new token's form pushes out the oldest. */
export const AUTH_FORMS_LIMIT = 10;

/**
 * Answers from Text2FA the extension could not understand, redacted, newest
 * first, for the user to read and report (options page). Written only by the
 * background; nothing sends it anywhere.
 */
export const answerProblemsItem = storage.defineItem<AnswerProblemLog>('local:answerProblems', {
  fallback: { entries: [], statusWords: [] },
  version: 1,
});

/**
 * Every service name Text2FA's catalogue listed, so a restarted worker still
 * knows which brands an SMS may name (see `utils/brands.ts`). Session storage:
 * the catalogue is read again in the next session.
 */
export const serviceNamesItem = storage.defineItem<string[]>('session:serviceNames', { fallback: [] });
