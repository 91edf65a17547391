/**
 * Getting codes (and numbers) into the right page, and only there.
 *
 * The background never pushes a code into a tab: it sends the tab a "wake"
 * nudge with no data, and each frame's content script asks what to fill.
 * The answer is computed from the sender as the browser reports it (its
 * frame URL and its tab's URL), so a frame of another site, another site's
 * tab, or a forged claim gets nothing.
 *
 * The extension has no `tabs` permission and no host permission for web
 * sites, so the browser hides tab URLs from `tabs.get`. Where the background
 * needs one (which site a purchase is for, whether the ordering tab still
 * shows that site), it asks the tab's top-frame content script, whose answer
 * a page cannot forge: see `urlOfTab`.
 */
import type { WxtBrowser } from 'wxt/browser';
import type { FillInstructions, FillPurpose, SenderInfo, WakeMessage, WhereMessage } from '../messaging';
import { extractOriginBoundDomains } from '../otp';
import { latestCode, isLive, type Order } from '../orders/model';
import { siteKey } from '../services';
import { codeNamesOtherBrand } from '../brands';
import type { Settings } from '../storage';

export interface DeliveryDeps {
  browser: WxtBrowser;
  orders(): Promise<Order[]>;
  accountId(): Promise<string | null>;
  settings(): Promise<Settings>;
  markCodeFilled(orderId: string): Promise<void>;
  markPhoneFilled(orderId: string): Promise<void>;
  /** The service names Text2FA's catalogue has listed, without asking it: the brands an SMS may name. */
  serviceNames?(): Promise<string[]>;
  /** The page's phone field did not take the order's number (null clears an earlier problem). */
  markPhoneProblem(orderId: string, problem: string | null): Promise<void>;
  /**
   * Makes `toTabId` the order's tab if it is still bound to `fromTabId`; true when `toTabId` holds it now
   * (false: another tab took it over first).
   */
  moveToTab(orderId: string, fromTabId: number | null, toTabId: number): Promise<boolean>;
}

/** The site the SMS says it is meant for (`@domain #code`) when that is another site than the order's, else null. */
export function siteNamedInstead(sms: string | null, orderSiteKey: string): string | null {
  if (!sms) return null;
  const domains = extractOriginBoundDomains(sms);
  if (domains.length === 0 || domains.some((domain) => siteKey(domain) === orderSiteKey)) return null;
  return siteKey(domains[0]!) ?? domains[0]!;
}

/** How many ended numbers a page is told about (newest first): enough for any sign-up. */
const RETIRED_LIMIT = 10;

/** Digits of a number without a leading US country code, for comparing numbers however they are written. */
const nationalDigits = (number: string) => number.replace(/\D/g, '').replace(/^1(?=\d{10}$)/, '');

/** Whether the SMS names the site it is meant for (`@domain #code`) and that site is another one. */
export function smsNamesAnotherSite(sms: string | null, orderSiteKey: string): boolean {
  return siteNamedInstead(sms, orderSiteKey) !== null;
}

/**
 * The URL a tab shows: from the browser when it tells us (the popup's
 * activeTab grant), else from our content script in the tab's top frame.
 * Null for tabs without our content script (browser pages, closed tabs).
 */
export async function urlOfTab(browser: WxtBrowser, tabId: number): Promise<string | null> {
  return (await readTab(browser, tabId)) ?? null;
}

/** `urlOfTab`, telling a closed tab (undefined) from an open one that does not say (null). */
async function readTab(browser: WxtBrowser, tabId: number): Promise<string | null | undefined> {
  const tab = await browser.tabs.get(tabId).catch(() => null);
  if (!tab) return undefined;
  if (tab.url) return tab.url;
  const where: WhereMessage = { t2fa: 1, target: 'content', type: 'where' };
  const answer: unknown = await browser.tabs.sendMessage(tabId, where, { frameId: 0 }).catch(() => null);
  return typeof answer === 'string' && /^https?:/.test(answer) ? answer : null;
}

/**
 * Where an order's tab is now: `gone` when the browser has no such tab (closed,
 * or an id from before the browser restarted), else the site its top frame
 * shows, or null when it does not say (loading, a browser page).
 */
async function tabNow(browser: WxtBrowser, tabId: number): Promise<'gone' | string | null> {
  const url = await readTab(browser, tabId);
  if (url === undefined) return 'gone';
  return url ? siteKey(url) : null;
}

/**
 * The address of the page a sender's frame is in. The top frame's own URL is
 * the tab's; a subframe's tab is asked through `urlOfTab`. `sender.tab.url`
 * is not used: Firefox leaves it out unless the extension may read the site.
 */
async function topUrlOfSender(browser: WxtBrowser, sender: SenderInfo, tabId: number): Promise<string | null> {
  if (sender.frameId === 0) return sender.url ?? null;
  return urlOfTab(browser, tabId);
}

export function createDelivery(deps: DeliveryDeps) {
  const { browser } = deps;
  const topUrlOf = (sender: SenderInfo, tabId: number) => topUrlOfSender(browser, sender, tabId);

  /** Whether a tab still shows the site an order was made for. */
  async function tabShowsSite(tabId: number, key: string): Promise<boolean> {
    return (await tabNow(browser, tabId)) === key;
  }

  /**
   * The orders whose codes this sender may receive: same account, the sender's
   * frame and its tab both on the order's site, and the tab is the ordering
   * tab. A tab that ordered nothing gets another tab's order only when that tab
   * no longer shows the site, and only while the order's code has not reached
   * the user: a code already filled or read belongs to the page it went to, not
   * to a later sign-up on the same site.
   *
   * `takeOver` lists the orders among them whose tab is closed or shows another
   * site (not one that merely does not answer, as a page loading): the sign-up
   * moved to this tab (reopened, or the browser restarted and gave every tab a
   * new id), and asking makes it this order's tab (see `instructionsFor`).
   */
  async function ordersFor(sender: SenderInfo): Promise<{ orders: Order[]; takeOver: Set<string> }> {
    const none = { orders: [], takeOver: new Set<string>() };
    const frameSite = sender.url ? siteKey(sender.url) : null;
    const tabId = sender.tab?.id;
    if (!frameSite || tabId === undefined) return none;
    // A frame of the ordering site inside another site's page gets nothing either.
    const topUrl = await topUrlOf(sender, tabId);
    if (!topUrl || siteKey(topUrl) !== frameSite) return none;
    const accountId = await deps.accountId();
    const candidates = (await deps.orders()).filter(
      (o) => o.accountId === accountId && o.site?.siteKey === frameSite && (isLive(o) || o.phase === 'completed'),
    );
    const own = candidates.filter((o) => o.site?.tabId === tabId);
    if (own.length > 0) return { orders: own, takeOver: new Set() };
    const allowed: Order[] = [];
    const takeOver = new Set<string>();
    for (const order of candidates) {
      if (order.unseenCode === null && latestCode(order) !== null) continue;
      const orderingTab = order.site?.tabId;
      const orderingTabNow = orderingTab === null || orderingTab === undefined ? 'gone' : await tabNow(browser, orderingTab);
      if (orderingTabNow === frameSite) continue;
      allowed.push(order);
      if (orderingTabNow !== null) takeOver.add(order.id);
    }
    return { orders: allowed, takeOver };
  }

  /**
   * The orders this sender's frame may fill from, moving to its tab the orders
   * whose sign-up moved here. When two tabs of the site ask at once, the first
   * to ask takes the order and the other gets nothing from it.
   */
  async function takeOrdersFor(sender: SenderInfo): Promise<Order[]> {
    const { orders, takeOver } = await ordersFor(sender);
    const tabId = sender.tab?.id;
    if (takeOver.size === 0 || tabId === undefined) return orders;
    const kept: Order[] = [];
    for (const order of orders) {
      if (!takeOver.has(order.id) || (await deps.moveToTab(order.id, order.site?.tabId ?? null, tabId))) kept.push(order);
    }
    return kept;
  }

  /**
   * Numbers this tab was given for this frame's site that ended without a code
   * (rejected, cancelled, expired): the page must not keep them. Newest first.
   */
  async function retiredFor(sender: SenderInfo): Promise<string[]> {
    const frameSite = sender.url ? siteKey(sender.url) : null;
    const tabId = sender.tab?.id;
    if (!frameSite || tabId === undefined) return [];
    const accountId = await deps.accountId();
    return (await deps.orders())
      .filter(
        (o) =>
          o.accountId === accountId &&
          o.site?.siteKey === frameSite &&
          o.site.tabId === tabId &&
          (o.phase === 'rejected' || o.phase === 'cancelled' || o.phase === 'expired') &&
          o.codes.length === 0 &&
          o.number !== null,
      )
      .sort((a, b) => b.updatedAt - a.updatedAt)
      .slice(0, RETIRED_LIMIT)
      .map((o) => o.number!);
  }

  /**
   * Nudges the tabs that may receive this order's code: the ordering tab
   * when it still shows the site, else every tab of that site.
   */
  async function wake(order: Order): Promise<void> {
    const key = order.site?.siteKey;
    if (!key) return;
    const message: WakeMessage = { t2fa: 1, target: 'content', type: 'wake' };
    const orderingTab = order.site?.tabId;
    if (typeof orderingTab === 'number' && (await tabShowsSite(orderingTab, key))) {
      await browser.tabs.sendMessage(orderingTab, message).catch(() => undefined);
      return;
    }
    const tabs = await browser.tabs.query({});
    await Promise.all(
      tabs.map(async (tab) => {
        if (tab.id !== undefined && (await tabShowsSite(tab.id, key))) {
          await browser.tabs.sendMessage(tab.id, message).catch(() => undefined);
        }
      }),
    );
  }

  return {
    /** Answers a content script's `content.query` for its own frame. */
    async instructionsFor(sender: SenderInfo, purpose: FillPurpose = 'auto'): Promise<FillInstructions | null> {
      const settings = await deps.settings();
      const orders = await takeOrdersFor(sender);
      const retiredPhones = purpose === 'auto' ? await retiredFor(sender) : [];
      if (orders.length === 0 && retiredPhones.length === 0) return null;
      // The page already holds one of our numbers: only that number's code belongs in it.
      // Otherwise, with several orders on one site, the newest code wins.
      const phoneInPage = orders.filter((o) => o.phoneFilledAt !== null).sort((a, b) => (b.phoneFilledAt ?? 0) - (a.phoneFilledAt ?? 0))[0];
      const withCode = (phoneInPage ? [phoneInPage] : orders)
        .map((order) => ({ order, code: latestCode(order) }))
        .filter((x) => x.code !== null)
        .sort((a, b) => (b.code?.seenAt ?? 0) - (a.code?.seenAt ?? 0))[0];
      const key = orders[0]?.site?.siteKey ?? '';
      if (purpose === 'phone') {
        // The user asked for the number in a field they chose: the newest live number, even if filled before.
        const newest = orders.filter((o) => isLive(o) && o.number).sort((a, b) => b.createdAt - a.createdAt)[0];
        if (!newest) return null;
        return { code: null, autofillCode: false, phone: newest.number, phoneFresh: true, retiredPhones: [], autoSubmit: false, serviceName: newest.serviceName };
      }
      // The live number: the newest of the site's numbers still waiting for an SMS (another purchase, a reuse or
      // "reject and get another" makes a newer one, which replaces the older one in the field we filled).
      const newestWaiting = orders
        .filter((o) => o.pool !== 'rental' && isLive(o) && o.codes.length === 0 && o.number)
        .sort((a, b) => b.createdAt - a.createdAt)[0];
      const phone = purpose === 'auto' && settings.fillPhone && settings.autofill && newestWaiting ? newestWaiting.number : null;
      const codeEntry = withCode?.code ?? null;
      if (!codeEntry && !phone && retiredPhones.length === 0) return null;
      const namedSite = codeEntry ? siteNamedInstead(codeEntry.sms, key) : null;
      // An SMS naming another brand is only a likely mismatch: it stops automatic filling, not the user's own request.
      const namedBrand =
        purpose === 'auto' && withCode && namedSite === null ? codeNamesOtherBrand(withCode.order, codeEntry, await deps.serviceNames?.()) : null;
      return {
        code: codeEntry?.code ?? null,
        // An explicit request fills even with automatic filling off; a code bound to another site never.
        autofillCode: (settings.autofill || purpose === 'code') && !!codeEntry && namedSite === null && namedBrand === null,
        phone,
        phoneFresh: newestWaiting?.phoneFilledAt === null,
        retiredPhones: phone ? retiredPhones.filter((n) => nationalDigits(n) !== nationalDigits(phone)) : retiredPhones,
        autoSubmit: settings.autoSubmitSites.includes(key),
        serviceName: (withCode?.order ?? newestWaiting ?? orders[0])?.serviceName ?? 'Text2FA',
        ...(namedSite !== null ? { namedSite } : {}),
        ...(namedBrand !== null ? { namedBrand } : {}),
      };
    },

    /**
     * Records what a content script filled (the code counts as seen; the number
     * is not filled again unasked), or that the phone field would not hold the number.
     */
    async filled(sender: SenderInfo, kind: 'code' | 'phone', value: string, problem: string | null = null): Promise<void> {
      for (const order of (await ordersFor(sender)).orders) {
        if (kind === 'code' && !problem && (order.codes.some((c) => c.code === value) || order.messages.some((m) => m.code === value))) {
          await deps.markCodeFilled(order.id);
        }
        if (kind === 'phone' && order.number && value.replace(/\D/g, '').endsWith(nationalDigits(order.number))) {
          // Tried once either way: a field that refused the number is not filled again unasked.
          await deps.markPhoneFilled(order.id);
          await deps.markPhoneProblem(order.id, problem);
        }
      }
    },

    wake,

    /**
     * The worker (re)started: a code saved just before the last worker was
     * stopped may never have been announced to its page. Wakes the pages of
     * every order whose code has reached neither a page nor the user.
     */
    async resume(): Promise<void> {
      const accountId = await deps.accountId();
      const unseen = (await deps.orders()).filter((o) => o.accountId === accountId && o.unseenCode !== null && o.site?.siteKey);
      for (const order of unseen) await wake(order);
    },

    /**
     * A page finished loading. Only while some order waits for a site does
     * the background ask which site the tab shows, and wake it if it matches.
     */
    async tabLoaded(tabId: number): Promise<void> {
      const accountId = await deps.accountId();
      const sites = new Set(
        (await deps.orders()).filter((o) => o.accountId === accountId && isLive(o) && o.site?.siteKey).map((o) => o.site!.siteKey),
      );
      if (sites.size === 0) return;
      const url = await urlOfTab(browser, tabId);
      if (!url || !sites.has(siteKey(url))) return;
      const message: WakeMessage = { t2fa: 1, target: 'content', type: 'wake' };
      await browser.tabs.sendMessage(tabId, message).catch(() => undefined);
    },
  };
}
