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
import { codeSpent, digitsOf, mayTakeOver, retiredNumbers, servingOrder } from './binding';
import { siteKey } from '../services';
import { codeNamesOtherBrand } from '../brands';
import type { Settings } from '../storage';

export interface DeliveryDeps {
  browser: WxtBrowser;
  orders(): Promise<Order[]>;
  accountId(): Promise<string | null>;
  settings(): Promise<Settings>;
  /** A page was filled with this code of the order: it is spent (and seen). */
  markCodeFilled(orderId: string, code: string): Promise<void>;
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

/** What a page gets when there is nothing to fill, before the fields that say why. */
const NOTHING: FillInstructions = { code: null, autofillCode: false, phone: null, phoneFresh: false, retiredPhones: [], autoSubmit: false, serviceName: 'Text2FA' };

/** The orders of other tabs this page could belong to: nothing is filled, the note asks which. */
function choicesInstructions(choices: Order[]): FillInstructions {
  return { ...NOTHING, choices: choices.flatMap((o) => (o.number ? [o.number] : [])).slice(0, 4) };
}

/** What the page serves and what it was given: see `binding.ts`. */
interface Binding {
  /** This tab's orders for the site (with any it just took over). */
  own: Order[];
  serving: Order | null;
  /** Orders of other tabs that could each be this page's (more than one): the user picks. */
  choices: Order[];
}

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
   * The orders of this sender's site, for its account. Null when the frame may get nothing: no site, or a
   * frame of the site inside another site's page.
   */
  async function siteOrdersOf(sender: SenderInfo): Promise<{ tabId: number; site: string; orders: Order[] } | null> {
    const frameSite = sender.url ? siteKey(sender.url) : null;
    const tabId = sender.tab?.id;
    if (!frameSite || tabId === undefined) return null;
    const topUrl = await topUrlOf(sender, tabId);
    if (!topUrl || siteKey(topUrl) !== frameSite) return null;
    const accountId = await deps.accountId();
    const orders = (await deps.orders()).filter((o) => o.accountId === accountId && o.site?.siteKey === frameSite);
    return { tabId, site: frameSite, orders };
  }

  /**
   * Orders of other tabs whose sign-up may have moved to this tab: their tab is gone, shows another site, or
   * does not say (a page loading); `move` marks the ones to bind to this tab when taken (not a loading tab's).
   */
  async function movableTo(tabId: number, site: string, orders: Order[]): Promise<{ order: Order; move: boolean }[]> {
    const found: { order: Order; move: boolean }[] = [];
    for (const order of orders) {
      if (order.site?.tabId === tabId || !mayTakeOver(order)) continue;
      const orderingTab = order.site?.tabId;
      const now = orderingTab === null || orderingTab === undefined ? 'gone' : await tabNow(browser, orderingTab);
      if (now !== site) found.push({ order, move: now !== null });
    }
    return found;
  }

  /**
   * What this sender's page serves (the rule is in `binding.ts`): its tab's newest order, else the order a
   * sign-up moved here with, bound to this tab as it is taken (when two tabs ask at once, only the first gets
   * it). When orders from more than one other tab could each be this page's, `choices` lists them and nothing
   * is served until the user picks one (`claim`, a number).
   */
  async function bindingFor(sender: SenderInfo, claim: string | null = null): Promise<Binding | null> {
    const where = await siteOrdersOf(sender);
    if (!where) return null;
    const { tabId, orders } = where;
    const own = orders.filter((o) => o.site?.tabId === tabId);
    const serving = servingOrder(own);
    if (serving) return { own, serving, choices: [] };
    let movable = await movableTo(tabId, where.site, orders);
    if (claim !== null) movable = movable.filter((m) => m.order.number !== null && digitsOf(m.order.number) === digitsOf(claim));
    if (new Set(movable.map((m) => m.order.site?.tabId ?? null)).size > 1) {
      return { own, serving: null, choices: movable.map((m) => m.order).sort((a, b) => b.createdAt - a.createdAt) };
    }
    const taken: Order[] = [];
    for (const { order, move } of movable) {
      if (!move || (await deps.moveToTab(order.id, order.site?.tabId ?? null, tabId))) taken.push(order);
    }
    return { own: [...own, ...taken], serving: servingOrder(taken), choices: [] };
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
    /** Answers a content script's `content.query` for its own frame (`claim`: the number the user picked in the note). */
    async instructionsFor(sender: SenderInfo, purpose: FillPurpose = 'auto', claim: string | null = null): Promise<FillInstructions | null> {
      const binding = await bindingFor(sender, claim);
      if (!binding) return null;
      const { serving } = binding;
      if (binding.choices.length > 0) return choicesInstructions(binding.choices);
      const retiredPhones = purpose === 'auto' ? retiredNumbers(binding.own, serving, RETIRED_LIMIT) : [];
      if (!serving) return retiredPhones.length > 0 ? { ...NOTHING, retiredPhones } : null;
      const settings = await deps.settings();
      if (purpose === 'phone') {
        // The user asked for the number in a field they chose: the page's live number, even if filled before.
        if (!isLive(serving) || !serving.number) return null;
        return { ...NOTHING, phone: serving.number, phoneFresh: true, serviceName: serving.serviceName };
      }
      // A spent code (filled into a page already) fills again only when the user asks for it.
      const codeEntry = purpose === 'code' || !codeSpent(serving) ? latestCode(serving) : null;
      const waiting = serving.pool !== 'rental' && isLive(serving) && serving.codes.length === 0 && serving.number !== null;
      const phone = purpose === 'auto' && settings.fillPhone && settings.autofill && waiting ? serving.number : null;
      if (!codeEntry && !phone && retiredPhones.length === 0) return purpose === 'code' ? { ...NOTHING, serviceName: serving.serviceName, awaiting: serving.number } : null;
      const key = serving.site?.siteKey ?? '';
      const namedSite = codeEntry ? siteNamedInstead(codeEntry.sms, key) : null;
      // An SMS naming another brand is only a likely mismatch: it stops automatic filling, not the user's own request.
      const namedBrand =
        purpose === 'auto' && codeEntry && namedSite === null ? codeNamesOtherBrand(serving, codeEntry, await deps.serviceNames?.()) : null;
      return {
        code: codeEntry?.code ?? null,
        // An explicit request fills even with automatic filling off; a code bound to another site never.
        autofillCode: (settings.autofill || purpose === 'code') && !!codeEntry && namedSite === null && namedBrand === null,
        phone,
        phoneFresh: serving.phoneFilledAt === null,
        retiredPhones,
        autoSubmit: settings.autoSubmitSites.includes(key),
        serviceName: serving.serviceName,
        ...(namedSite !== null ? { namedSite } : {}),
        ...(namedBrand !== null ? { namedBrand } : {}),
      };
    },

    /**
     * Records what a content script filled into the page its order serves: the code is spent (never filled
     * again unasked); the number is not filled again unasked, or the phone field would not hold it.
     */
    async filled(sender: SenderInfo, kind: 'code' | 'phone', value: string, problem: string | null = null): Promise<void> {
      const order = (await bindingFor(sender))?.serving;
      if (!order) return;
      if (kind === 'code' && !problem && (order.codes.some((c) => c.code === value) || order.messages.some((m) => m.code === value))) {
        await deps.markCodeFilled(order.id, value);
      }
      if (kind === 'phone' && order.number && value.replace(/\D/g, '').endsWith(digitsOf(order.number))) {
        // Tried once either way: a field that refused the number is not filled again unasked.
        await deps.markPhoneFilled(order.id);
        await deps.markPhoneProblem(order.id, problem);
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
