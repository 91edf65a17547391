/**
 * Wires the background service worker together. Everything that must exist
 * when the worker wakes up for an event (listeners) is registered
 * synchronously here, before any `await`.
 */
import type { WxtBrowser } from 'wxt/browser';
import { createText2faClient } from '../text2fa';
import type { SenderInfo, WakeMessage } from '../messaging';
import { createMessageRouter, type Handlers } from '../message-rules';
import { getSettings, historyItem, orderBookItem, pendingShortcutPurchaseItem, serviceChoicesItem, settingsItem } from '../storage';
import { createCatalog } from './catalog';
import { buildExport, parseImport } from '../export-file';
import { withChoice } from '../choices';
import { setupShortcuts } from './shortcuts';
import { OrderBookStore } from '../orders/book';
import { OrderEngine } from '../orders/engine';
import { siteKey } from '../services';
import type { OrderSite } from '../orders/model';
import { createSession, SessionError, storedAuthForms, tokenFingerprint } from './session';
import { toErrorInfo } from './errors';
import { ClockSkew } from './clock';
import { createAlerts } from './alerts';
import { createClipboard } from './clipboard';
import { accountItem, legacyTokenItem, pinHintDismissedItem, serviceNamesItem, tokenHandoffItem } from '../storage';
import { createTokenStore } from './token-store';
import { installTestHooks } from './test-hooks';
import { watchdogPeriodMinutes, type BackgroundGlobals } from '../platform';
import { createDelivery, urlOfTab } from './delivery';
import { createProblemRecorder } from './problems';
import { answerProblemsItem } from '../storage';
import { typedSiteKey } from './sites';
import { twinMessage } from '../orders/twin-words';

/**
 * The alarm that restarts polling after the browser stopped the worker, while
 * an order waits (every 30 s on Chromium, 20 s on Firefox: see platform.ts).
 */
export const WATCHDOG_ALARM = 't2fa-watchdog';

/**
 * Keeps `storage.local` (which holds the token) away from content scripts.
 * Chromium lets an extension say so explicitly; where the call is missing
 * or refused, content scripts still never import the storage module.
 */
async function restrictStorageToTrustedContexts(browser: WxtBrowser): Promise<void> {
  const local = browser.storage.local as { setAccessLevel?: (o: { accessLevel: string }) => Promise<void> };
  try {
    await local.setAccessLevel?.({ accessLevel: 'TRUSTED_CONTEXTS' });
  } catch {
    // Not supported on this browser's storage.local: nothing more we can do here.
  }
}

/** What the background takes from its global scope, passed in so the wiring runs anywhere. */
export interface BackgroundEnv {
  /** The extension origin's IndexedDB, where the token is kept. */
  indexedDB: IDBFactory;
  /** The background's global scope (a service worker's, or Firefox's event page's window). */
  globals: BackgroundGlobals;
  now?: () => number;
}

/** Starts the background: message routing, session, order engine, alerts, watchdog. */
export function setupBackground(browser: WxtBrowser, env: BackgroundEnv): void {
  const now = env.now ?? Date.now;
  const skew = new ClockSkew();
  const tokens = createTokenStore(env.indexedDB, {
    read: () => legacyTokenItem.getValue(),
    remove: () => legacyTokenItem.removeValue(),
  });
  const problems = createProblemRecorder({ store: answerProblemsItem, now });
  const session = createSession({
    createClient: (options) =>
      createText2faClient({
        ...options,
        onServerTime: (server, local) => skew.observe(server, local),
        onUnreadable: (answer) => problems.record(answer),
      }),
    tokens,
    authForms: storedAuthForms,
    now,
  });
  const book = new OrderBookStore({
    getBook: () => orderBookItem.getValue(),
    setBook: (value) => orderBookItem.setValue(value),
    getHistory: () => historyItem.getValue(),
    setHistory: (value) => historyItem.setValue(value),
  });

  let engine: OrderEngine;
  const currentAccountId = async () => {
    const token = await tokens.get();
    return token ? tokenFingerprint(token) : null;
  };
  const delivery = createDelivery({
    browser,
    orders: () => book.orders(),
    accountId: currentAccountId,
    settings: getSettings,
    markCodeFilled: (id, code) => engine.markCodeFilled(id, code),
    markPhoneFilled: (id) => engine.markPhoneFilled(id),
    serviceNames: () => catalog.serviceNames(),
    markPhoneProblem: (id, problem) => engine.markPhoneProblem(id, problem),
    moveToTab: (id, fromTabId, toTabId) => engine.moveToTab(id, fromTabId, toTabId),
  });
  const alerts = createAlerts({
    browser,
    copyText: createClipboard(browser),
    notificationsEnabled: async () => (await getSettings()).notifications,
    findOrder: (id) => book.find(id),
    onCodeCopied: (order) => void engine.markSeen(order.id),
  });

  engine = new OrderEngine({
    book,
    session: {
      current: () => session.current(),
      balanceChanged: (balance) => session.balanceChanged(balance),
      freshBalance: () => session.refreshAccount().then((state) => state.account?.balance ?? null, () => null),
    },
    settings: getSettings,
    now,
    random: Math.random,
    timers: { set: (callback, ms) => setTimeout(callback, ms), clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>) },
    skewMs: () => skew.value(),
    events: {
      // The page may now take the number in its phone field.
      bought: (order) => void delivery.wake(order),
      code: (order, code) => {
        void delivery.wake(order);
        void alerts.codeArrived(order, code.code);
      },
      message: (order, message) => {
        if (message.code) {
          void delivery.wake(order);
          void alerts.codeArrived(order, message.code);
        }
        else void alerts.problem(`${order.serviceName}: new message`, message.text.slice(0, 200), `message:${order.id}:${message.id}`);
      },
      problem: (order, message) => void alerts.problem(`${order.serviceName} number`, message, `problem:${order.id}`),
      // The page must not keep a number that is no longer live.
      ended: (order) => void delivery.wake(order),
      twin: (order, outcome) => {
        void (async () => {
          const currency = (await accountItem.getValue())?.currency ?? 'USD';
          await alerts.problem(`${order.serviceName}: charged twice`, twinMessage(order, currency), `twin:${order.id}`);
        })();
        // A twin kept for its code is now bound to the purchase's site: its page may take the code.
        if (outcome === 'kept') void delivery.wake(order);
      },
      expiringSoon: (order) =>
        void alerts.problem(`${order.serviceName} number expires soon`, `${order.number ?? 'Your number'} expires in under two minutes.`, `expiring:${order.id}`),
      liveChanged: (live) => {
        if (live) void browser.alarms.create(WATCHDOG_ALARM, { periodInMinutes: watchdogPeriodMinutes(env.globals) });
        else void browser.alarms.clear(WATCHDOG_ALARM);
      },
      tokenRejected: () =>
        void alerts.problem('Text2FA token rejected', 'Text2FA no longer accepts your API token. Open Text2FA to add a new one.', 'token-rejected'),
    },
  });

  /** The site a number is for: the tab the popup was opened over. */
  async function siteOf(tabId: number | undefined): Promise<OrderSite | null> {
    if (tabId === undefined) return null;
    const url = await urlOfTab(browser, tabId);
    if (!url) return null;
    return { url, siteKey: siteKey(url), tabId, frameId: 0 };
  }

  const catalog = createCatalog({
    client: async () => {
      const active = await session.current();
      if (!active) throw new SessionError('no_token', 'Add your Text2FA API token first.');
      return active.client;
    },
    now,
    choices: () => serviceChoicesItem.getValue(),
    names: { get: () => serviceNamesItem.getValue(), set: (names) => serviceNamesItem.setValue(names) },
  });

  /** Asks the content scripts of a tab (or one frame) to fill the newest code or the number. */
  async function requestFill(tabId: number, kind: 'code' | 'phone', frameId?: number): Promise<{ sent: boolean }> {
    const message: WakeMessage = { t2fa: 1, target: 'content', type: 'wake', fill: kind };
    const sent = await browser.tabs
      .sendMessage(tabId, message, frameId === undefined ? undefined : { frameId })
      .then(() => true, () => false);
    return { sent };
  }

  let settingsWrites: Promise<unknown> = Promise.resolve();
  let choiceWrites: Promise<unknown> = Promise.resolve();
  const handlers: Handlers = {
    'session.get': () => session.state(),
    'session.setToken': async () => {
      const token = await tokenHandoffItem.getValue();
      await tokenHandoffItem.setValue(null);
      if (token === null) throw new SessionError('no_token', 'No token reached the extension. Paste it again.');
      const state = await session.setToken(token);
      void engine.sync(true).catch(() => undefined);
      return state;
    },
    'session.signOut': () => session.signOut(),
    'account.refresh': () => session.refreshAccount(),
    'dev.setApiBaseUrl': ({ url }) => session.setApiBaseUrl(url),
    'orders.buy': async (request) => {
      const account = (await session.state()).account;
      return engine.buy({
        intentId: request.intentId,
        request: {
          pool: request.pool,
          serviceKey: request.serviceKey,
          serviceName: request.serviceName,
          ...(request.premium !== undefined ? { premium: request.premium } : {}),
          ...(request.state !== undefined ? { state: request.state } : {}),
          ...(request.areas !== undefined ? { areas: request.areas } : {}),
          ...(request.duration !== undefined ? { duration: request.duration } : {}),
        },
        site: await siteOf(request.tabId),
        expectedPrice: request.expectedPrice,
        knownBalance: account?.balance ?? null,
        another: request.another ?? false,
      });
    },
    'orders.reject': ({ id }) => engine.reject(id),
    'orders.cancel': ({ id }) => engine.cancelRental(id),
    'orders.renew': ({ id, days }) => engine.renewRental(id, days),
    'orders.reuse': ({ id, intentId }) => engine.reuse(id, intentId),
    'orders.seen': async ({ id }) => {
      await engine.markSeen(id);
      return null;
    },
    'orders.sync': async ({ force }) => {
      engine.wake();
      await engine.sync(force ?? false);
      return null;
    },
    'orders.refreshRentals': async () => {
      const active = await session.current();
      if (!active) throw new SessionError('no_token', 'Add your Text2FA API token first.');
      const listed = new Map((await active.client.activeRentalNumbers()).map((r) => [r.orderId, r]));
      // Only the expiry of this account's live rentals is taken (messages and codes come from polling);
      // a rental missing from the list is left to polling too.
      await book.update((orders) => {
        let changed = false;
        const next = orders.map((o) => {
          const remote = o.pool === 'rental' && o.phase === 'active' && o.accountId === active.accountId ? listed.get(o.orderId ?? '') : undefined;
          const expiresAt = remote?.expiresAt != null ? remote.expiresAt + skew.value() : null;
          if (expiresAt === null || o.expiresAt === expiresAt) return o;
          changed = true;
          return { ...o, expiresAt, updatedAt: now() };
        });
        return changed ? next : orders;
      });
      return null;
    },
    'catalog.services': ({ pool, refresh }) => catalog.services(pool, refresh ?? false),
    'catalog.regions': ({ kind }) => catalog.regions(kind),
    'site.info': async ({ tabId }) => {
      return catalog.siteInfo(await urlOfTab(browser, tabId));
    },
    'site.normalize': async ({ text }) => ({ siteKey: typedSiteKey(text) }),
    'site.setChoice': async ({ siteKey: key, pool, choice }) => {
      // Queued like settings: the popup and the options page choosing at once must not undo each other.
      const run = choiceWrites.then(async () => serviceChoicesItem.setValue(withChoice(await serviceChoicesItem.getValue(), key, pool, choice)));
      choiceWrites = run.catch(() => undefined);
      await run;
      return null;
    },
    'settings.update': ({ patch }) => {
      // Queued, so the popup and the options page changing settings at once both take effect.
      const run = settingsWrites.then(async () => {
        const current = await getSettings();
        const next = { ...current, ...patch, defaults: { ...current.defaults, ...patch.defaults } };
        await settingsItem.setValue(next);
        return next;
      });
      settingsWrites = run.catch(() => undefined);
      return run;
    },
    'history.clear': async () => {
      await book.replaceHistory([]);
      return null;
    },
    'data.export': async () => buildExport(await getSettings(), await serviceChoicesItem.getValue(), await book.finished(), now()),
    'data.import': async ({ bundle }) => {
      const data = parseImport(bundle);
      await settingsItem.setValue(data.settings);
      await serviceChoicesItem.setValue(data.serviceChoices);
      await book.replaceHistory(data.history);
      return { orders: data.history.length };
    },
    'fill.request': ({ tabId, kind, frameId }) => requestFill(tabId, kind, frameId),
    'ui.dismissPinHint': async () => {
      await pinHintDismissedItem.setValue(true);
      return null;
    },
    'shortcut.take': async () => {
      const pending = await pendingShortcutPurchaseItem.getValue();
      if (pending) await pendingShortcutPurchaseItem.setValue(null);
      return pending;
    },
    'problems.clear': async () => {
      await problems.clear();
      return null;
    },
    'content.query': ({ purpose, claim }, sender) => delivery.instructionsFor(sender, purpose ?? 'auto', claim ?? null),
    'content.filled': async ({ kind, value, problem }, sender) => {
      await delivery.filled(sender, kind, value, problem ?? null);
      return null;
    },
  };

  const route = createMessageRouter({
    self: { id: browser.runtime.id, origin: browser.runtime.getURL('/') },
    handlers,
    describeError: toErrorInfo,
  });
  browser.runtime.onMessage.addListener((message: unknown, sender: SenderInfo) => route(message, sender));
  browser.alarms.onAlarm.addListener((alarm: { name: string }) => {
    if (alarm.name === WATCHDOG_ALARM) engine.wake();
  });
  const shortcuts = setupShortcuts({
    browser,
    engine,
    catalog,
    requestFill,
    siteOf,
    knownBalance: async () => (await session.state()).account?.balance ?? null,
    notify: (title, message, id) => alerts.problem(title, message, id),
  });
  browser.tabs.onUpdated.addListener((tabId: number, change: { status?: string }) => {
    if (change.status === 'complete') void delivery.tabLoaded(tabId);
  });
  orderBookItem.watch(async (value) => {
    await alerts.updateBadge(value.orders, await currentAccountId());
  });

  if (import.meta.env.MODE === 'test') {
    installTestHooks({ browser, shortcuts, notificationClicked: (id) => alerts.clicked(id), now });
  }

  void restrictStorageToTrustedContexts(browser);
  void engine.start();
  // Needs only the stored book: not held up by the start's sync with Text2FA.
  void delivery.resume();
}
