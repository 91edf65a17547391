/**
 * Wires the background service worker together. Everything that must exist
 * when the worker wakes up for an event (listeners) is registered
 * synchronously here, before any `await`.
 */
import type { WxtBrowser } from 'wxt/browser';
import { createText2faClient } from '../text2fa';
import { createMessageRouter, type Handlers, type SenderInfo, type WakeMessage } from '../messaging';
import { getSettings, historyItem, orderBookItem, pendingShortcutPurchaseItem, serviceChoicesItem, settingsItem } from '../storage';
import { createCatalog } from './catalog';
import { buildExport, parseImport } from './data';
import { setupShortcuts } from './shortcuts';
import { OrderBookStore } from '../orders/book';
import { OrderEngine } from '../orders/engine';
import { siteKey } from '../services';
import type { OrderSite } from '../orders/model';
import { createSession, SessionError, tokenFingerprint } from './session';
import { toErrorInfo } from './errors';
import { ClockSkew } from './clock';
import { createAlerts } from './alerts';
import { createClipboard } from './clipboard';
import { accountItem, tokenHandoffItem, tokenItem } from '../storage';
import { createDelivery, urlOfTab } from './delivery';
import { twinMessage } from '../orders/twin-words';

/** The alarm that restarts polling after the browser stopped the worker (30 s: packed extensions' minimum). */
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

/**
 * Test builds only: keeps every runtime message the background receives (and
 * who sent it) on `globalThis.__t2faMessages`, so browser tests can prove that
 * dormant pages send nothing and that no message ever carries the token.
 */
function recordMessagesForTests(browser: WxtBrowser): void {
  const log: { message: unknown; url: string | undefined; tab: number | undefined; at: number }[] = [];
  (globalThis as { __t2faMessages?: typeof log }).__t2faMessages = log;
  browser.runtime.onMessage.addListener((message: unknown, sender: SenderInfo) => {
    log.push({ message, url: sender.url, tab: sender.tab?.id, at: Date.now() });
    return undefined;
  });
}

/** Starts the background: message routing, session, order engine, alerts, watchdog. */
export function setupBackground(browser: WxtBrowser, now: () => number = Date.now): void {
  const skew = new ClockSkew();
  const session = createSession({
    createClient: ({ baseUrl, token }) =>
      createText2faClient({ baseUrl, token, onServerTime: (server, local) => skew.observe(server, local) }),
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
    const token = await tokenItem.getValue();
    return token ? tokenFingerprint(token) : null;
  };
  const delivery = createDelivery({
    browser,
    orders: () => book.orders(),
    accountId: currentAccountId,
    settings: getSettings,
    markCodeFilled: (id) => engine.markSeen(id),
    markPhoneFilled: (id) => engine.markPhoneFilled(id),
    markPhoneProblem: (id, problem) => engine.markPhoneProblem(id, problem),
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
        if (live) void browser.alarms.create(WATCHDOG_ALARM, { periodInMinutes: 0.5 });
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
    'orders.sync': async () => {
      engine.wake();
      await engine.sync();
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
    'site.setChoice': async ({ siteKey: key, choice }) => {
      const choices = { ...(await serviceChoicesItem.getValue()) };
      if (choice) choices[key] = choice;
      else delete choices[key];
      await serviceChoicesItem.setValue(choices);
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
      await historyItem.setValue({ orders: [] });
      return null;
    },
    'data.export': async () =>
      buildExport(await getSettings(), await serviceChoicesItem.getValue(), (await historyItem.getValue()).orders, now()),
    'data.import': async ({ bundle }) => {
      const data = parseImport(bundle);
      await settingsItem.setValue(data.settings);
      await serviceChoicesItem.setValue(data.serviceChoices);
      await historyItem.setValue({ orders: data.history });
      return { orders: data.history.length };
    },
    'fill.request': ({ tabId, kind, frameId }) => requestFill(tabId, kind, frameId),
    'shortcut.take': async () => {
      const pending = await pendingShortcutPurchaseItem.getValue();
      if (pending) await pendingShortcutPurchaseItem.setValue(null);
      return pending;
    },
    'content.query': ({ purpose }, sender) => delivery.instructionsFor(sender, purpose ?? 'auto'),
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
  if (import.meta.env.MODE === 'test') recordMessagesForTests(browser);
  browser.runtime.onMessage.addListener((message: unknown, sender: SenderInfo) => route(message, sender));
  browser.alarms.onAlarm.addListener((alarm: { name: string }) => {
    if (alarm.name === WATCHDOG_ALARM) engine.wake();
  });
  setupShortcuts({
    browser,
    engine,
    catalog,
    requestFill,
    siteOf,
    knownBalance: async () => (await session.state()).account?.balance ?? null,
    notify: (title, message) => alerts.problem(title, message),
  });
  browser.tabs.onUpdated.addListener((tabId: number, change: { status?: string }) => {
    if (change.status === 'complete') void delivery.tabLoaded(tabId);
  });
  orderBookItem.watch(async (value) => {
    await alerts.updateBadge(value.orders, await currentAccountId());
  });

  void restrictStorageToTrustedContexts(browser);
  void engine.start();
}
