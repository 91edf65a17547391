/**
 * Renders the whole popup (happy-dom) against a fake background and fake
 * storage, for the popup's component tests. The fake background answers by
 * message type; storage items can be changed while the popup is open.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { App } from '@/components/App';
import type { PopupEnv, Watchable } from '@/components/stores/env';
import { createPopupStores, type PopupStores } from '@/components/stores/popup';
import type { MessageType, RequestOf, ResponseOf, SessionState, SiteInfo } from '@/utils/messaging';
import type { Order } from '@/utils/orders/model';
import { DEFAULT_SETTINGS, type CachedAccount, type OrderBook, type OrderHistory, type PendingShortcutPurchase, type Settings } from '@/utils/storage';
import type { Region, RentalService, Service } from '@/utils/text2fa/types';

export const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);

export const account: CachedAccount = {
  accountId: 'acct-1',
  name: 'Demo User',
  email: 'demo@example.com',
  balance: 12.5,
  currency: 'USD',
  checkedAt: NOW,
};
export const signedOut: SessionState = { configured: false, account: null, problem: null, apiBaseUrl: null };
export const signedIn: SessionState = { configured: true, account, problem: null, apiBaseUrl: null };

export const s1Services: Service[] = [
  { pool: 's1', key: 'goog01', name: 'Google', price: 0.5, available: 120 },
  { pool: 's1', key: 'amzn01', name: 'Amazon', price: 0.4, available: 80 },
  { pool: 's1', key: 'krkn01', name: 'Kraken', price: 0.9, available: 0 },
  { pool: 's1', key: 'wapp01', name: 'WhatsApp', price: 0.7, available: 30 },
  { pool: 's1', key: 'wapb01', name: 'WhatsApp Business', price: 0.75, available: 12 },
  { pool: 's1', key: 'othr01', name: 'Other', price: 0.3, available: null },
];
export const s2Services: Service[] = [
  { pool: 's2', key: 'goog02', name: 'Google', price: 0.35, available: 50 },
  { pool: 's2', key: 'amzn02', name: 'Amazon', price: 0.3, available: 40 },
];
export const rentalServices: RentalService[] = [
  { pool: 'rental', key: 'goog03', name: 'Google', price: 3.5, available: 9, durations: [7, 14, 30, 90], pricePerDay: 0.5 },
  { pool: 'rental', key: 'uber03', name: 'Uber', price: 1.2, available: 4, durations: [3, 7, 30], pricePerDay: 0.4 },
];
export const usStates: Region[] = [
  { code: 'AL', name: 'Alabama' },
  { code: 'CA', name: 'California' },
  { code: 'NY', name: 'New York' },
];
export const rentalStates: Region[] = [
  { code: 'US', name: 'United States (any)' },
  { code: 'TX', name: 'Texas' },
];

export const googleInfo: SiteInfo = {
  url: 'https://accounts.google.com/signup',
  siteKey: 'google.com',
  matches: { s1: s1Services[0]!, s2: s2Services[0]!, rental: rentalServices[0]! },
  choices: {},
};
export const noSiteInfo: SiteInfo = { url: 'chrome://extensions/', siteKey: null, matches: { s1: null, s2: null, rental: null }, choices: {} };

/** Makes an order with sensible values; override what the test is about. */
export function makeOrder(patch: Partial<Order> = {}): Order {
  return {
    id: 'order-1',
    accountId: account.accountId,
    pool: 's1',
    serviceKey: 'goog01',
    serviceName: 'Google',
    orderId: '1001',
    number: '2055550123',
    price: 0.5,
    phase: 'waiting',
    remoteStatus: 'pending',
    createdAt: NOW - 30_000,
    updatedAt: NOW - 30_000,
    expiresAt: NOW + 19 * 60_000 + 30_000,
    codes: [],
    messages: [],
    refund: null,
    site: { url: 'https://accounts.google.com/signup', siteKey: 'google.com', tabId: 7, frameId: 0 },
    request: { pool: 's1', serviceKey: 'goog01', serviceName: 'Google' },
    imported: false,
    unseenCode: null,
    error: null,
    expiryWarnedAt: null,
    rejectRetryAt: null,
    phoneFilledAt: null,
    filledCode: null,
    phoneFillProblem: null,
    sentAt: null,
    twinsCheckedAt: null,
    twin: null,
    ...patch,
  };
}

/** A refusal the fake background sends back as `{ ok: false, error }`. */
export class Failure {
  constructor(
    readonly kind: string,
    readonly message: string,
    readonly extra: { retryAfterMs?: number; fieldErrors?: Record<string, string[]> } = {},
  ) {}
}

type Handler<K extends MessageType> = (payload: RequestOf<K>) => ResponseOf<K> | Promise<ResponseOf<K>>;
export type Handlers = { [K in MessageType]?: Handler<K> };

/** A storage item in memory that tests can change while the popup watches it. */
export interface FakeItem<T> extends Watchable<T> {
  value: T;
  set(value: T): void;
}

export function fakeItem<T>(initial: T): FakeItem<T> {
  const listeners = new Set<(value: T) => void>();
  const item: FakeItem<T> = {
    value: initial,
    getValue: async () => item.value,
    watch(callback) {
      listeners.add(callback);
      return () => listeners.delete(callback);
    },
    set(value) {
      item.value = value;
      for (const listener of listeners) listener(value);
    },
  };
  return item;
}

export interface PopupOptions {
  handlers?: Handlers;
  session?: SessionState;
  cachedAccount?: CachedAccount | null;
  orders?: Order[];
  history?: Order[];
  settings?: Settings;
  pending?: PendingShortcutPurchase | null;
  info?: SiteInfo;
  tabId?: number | null;
  online?: boolean;
  /** Whether the toolbar button is pinned (true by default, so the first-run hint stays out of other tests). */
  pinned?: boolean | null;
  pinHintDismissed?: boolean;
}

export interface Popup {
  root: HTMLElement;
  sent: Array<{ type: MessageType; payload: Record<string, unknown> }>;
  /** Tokens the Setup form staged for the background (outside any message). */
  staged: string[];
  stores: PopupStores;
  env: PopupEnv;
  clock: { now: number };
  copied: string[];
  items: {
    account: FakeItem<CachedAccount | null>;
    orderBook: FakeItem<OrderBook>;
    history: FakeItem<OrderHistory>;
    settings: FakeItem<Settings>;
    pending: FakeItem<PendingShortcutPurchase | null>;
    pinHintDismissed: FakeItem<boolean>;
  };
  setOnline(online: boolean): Promise<void>;
  /** Messages of one type sent so far, payloads only. */
  payloads<K extends MessageType>(type: K): Array<RequestOf<K>>;
}

let mounted: HTMLElement | null = null;

/** Unmounts the popup of the previous test. */
export function cleanup(): void {
  if (!mounted) return;
  render(null, mounted);
  mounted.remove();
  mounted = null;
}

/** Lets pending promises and effects run. */
export async function flush(rounds = 6): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
  }
}

/** Renders the popup with a fake background and storage. */
export async function renderPopup(options: PopupOptions = {}): Promise<Popup> {
  const sent: Popup['sent'] = [];
  const staged: string[] = [];
  const copied: string[] = [];
  const clock = { now: NOW };
  let online = options.online ?? true;
  const onlineListeners = new Set<(online: boolean) => void>();
  let intents = 0;
  const items = {
    account: fakeItem<CachedAccount | null>(options.cachedAccount === undefined ? account : options.cachedAccount),
    orderBook: fakeItem<OrderBook>({ orders: options.orders ?? [] }),
    history: fakeItem<OrderHistory>({ orders: options.history ?? [] }),
    settings: fakeItem<Settings>(options.settings ?? DEFAULT_SETTINGS),
    pending: fakeItem<PendingShortcutPurchase | null>(options.pending ?? null),
    pinHintDismissed: fakeItem<boolean>(options.pinHintDismissed ?? false),
  };
  const session = options.session ?? signedIn;
  const defaults: Handlers = {
    'session.get': () => session,
    'account.refresh': () => session,
    'orders.sync': () => null,
    'orders.seen': () => null,
    'site.info': () => options.info ?? googleInfo,
    'site.setChoice': () => null,
    'ui.dismissPinHint': () => {
      items.pinHintDismissed.set(true);
      return null;
    },
    'shortcut.take': () => {
      const value = items.pending.value;
      items.pending.set(null);
      return value;
    },
    'catalog.services': ({ pool }) => (pool === 's1' ? s1Services : pool === 's2' ? s2Services : rentalServices),
    'catalog.regions': ({ kind }) => (kind === 'us' ? usStates : rentalStates),
  };
  const handlers = { ...defaults, ...options.handlers } as Record<string, (payload: unknown) => unknown>;

  const env: PopupEnv = {
    async stageToken(token) {
      staged.push(token);
    },
    async send(message) {
      const m = message as { type: MessageType; payload: Record<string, unknown> };
      sent.push({ type: m.type, payload: m.payload });
      const handler = handlers[m.type];
      if (!handler) return { ok: false, error: { kind: 'internal', message: `no fake for ${m.type}` } };
      try {
        return { ok: true, data: await handler(m.payload) };
      } catch (error) {
        if (error instanceof Failure) return { ok: false, error: { kind: error.kind, message: error.message, ...error.extra } };
        throw error;
      }
    },
    account: items.account,
    orderBook: items.orderBook,
    history: items.history,
    settings: items.settings,
    pendingShortcut: items.pending,
    currentTabId: async () => (options.tabId === undefined ? 7 : options.tabId),
    copyText: async (text) => {
      copied.push(text);
    },
    newIntentId: () => `intent-${++intents}`,
    now: () => clock.now,
    isOnline: () => online,
    onOnlineChange(callback) {
      onlineListeners.add(callback);
      return () => onlineListeners.delete(callback);
    },
    openOptions: () => undefined,
    toolbar: { family: 'chromium', isPinned: async () => (options.pinned === undefined ? true : options.pinned) },
    pinHintDismissed: items.pinHintDismissed,
  };

  const stores = createPopupStores(env);
  cleanup();
  const root = document.createElement('div');
  document.body.append(root);
  mounted = root;
  await act(async () => {
    render(<App env={env} stores={stores} />, root);
  });
  await flush();
  return {
    root,
    sent,
    staged,
    stores,
    env,
    clock,
    copied,
    items,
    async setOnline(value) {
      online = value;
      await act(async () => {
        for (const listener of onlineListeners) listener(value);
      });
    },
    payloads: <K extends MessageType>(type: K) => sent.filter((m) => m.type === type).map((m) => m.payload as RequestOf<K>),
  };
}

// ---------------------------------------------------------------- queries and actions

/** The accessible-ish name of an element: aria-label, else its text. */
function nameOf(el: Element): string {
  return (el.getAttribute('aria-label') ?? el.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** The button (or tab) whose name is `name` (a string matches exactly, a RegExp anywhere). */
export function button(root: ParentNode, name: string | RegExp): HTMLButtonElement {
  const found = queryButton(root, name);
  if (!found) {
    const names = [...root.querySelectorAll('button')].map(nameOf);
    throw new Error(`no button ${String(name)} among ${JSON.stringify(names)}`);
  }
  return found;
}

export function queryButton(root: ParentNode, name: string | RegExp): HTMLButtonElement | null {
  return (
    [...root.querySelectorAll('button')].find((b) => {
      const n = nameOf(b);
      const text = (b.textContent ?? '').replace(/\s+/g, ' ').trim();
      return typeof name === 'string' ? n === name || text === name : name.test(n) || name.test(text);
    }) ?? null
  );
}

/** The form control labelled `label` (by `<label for>` or aria-label). */
export function field<T extends HTMLElement = HTMLInputElement>(root: ParentNode, label: string): T {
  const byFor = [...root.querySelectorAll('label')].find((l) => l.textContent?.trim() === label)?.getAttribute('for');
  const found = byFor ? root.querySelector(`[id="${byFor}"]`) : root.querySelector(`[aria-label="${label}"]`);
  if (!found) throw new Error(`no field labelled ${label}`);
  return found as T;
}

export async function click(el: HTMLElement): Promise<void> {
  await act(async () => {
    el.click();
  });
  await flush();
}

export async function type(el: HTMLInputElement, value: string): Promise<void> {
  await act(async () => {
    el.value = value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await flush(2);
}

export async function choose(el: HTMLSelectElement, value: string): Promise<void> {
  await act(async () => {
    el.value = value;
    el.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await flush(2);
}

export async function key(el: Element, keyName: string): Promise<void> {
  await act(async () => {
    el.dispatchEvent(new KeyboardEvent('keydown', { key: keyName, bubbles: true, cancelable: true }));
  });
  await flush(2);
}

export async function openTab(root: HTMLElement, name: string): Promise<void> {
  const tab = [...root.querySelectorAll('[role="tab"]')].find((t) => t.textContent?.startsWith(name)) as HTMLElement | undefined;
  if (!tab) throw new Error(`no tab ${name}`);
  await click(tab);
}

/** The order card of an order id. */
export function card(root: ParentNode, id: string): HTMLElement {
  const found = root.querySelector(`[data-order-id="${id}"]`);
  if (!found) throw new Error(`no card for ${id}`);
  return found as HTMLElement;
}

export function text(el: ParentNode | null): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}
