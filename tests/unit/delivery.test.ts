import { describe, expect, it } from 'vitest';
import type { WxtBrowser } from 'wxt/browser';
import { createDelivery } from '@/utils/background/delivery';
import { copyOnlyNote } from '@/utils/content/active';
import { newIntent, type Order } from '@/utils/orders/model';
import { DEFAULT_SETTINGS } from '@/utils/storage';

const SITE = 'https://shop.example/signup/code';

/** An order for shop.example bound to `tabId`, with `code` received (and unseen when `unseen`). */
function order(id: string, tabId: number, code: string | null, unseen: boolean, createdAt: number): Order {
  const base = newIntent({
    intentId: id,
    accountId: 'acct',
    request: { pool: 's1', serviceKey: 'go', serviceName: 'Google' },
    site: { url: SITE, siteKey: 'shop.example', tabId, frameId: 0 },
    now: createdAt,
  });
  return {
    ...base,
    phase: code ? 'received' : 'waiting',
    orderId: `${createdAt}`,
    number: `55500000${createdAt}`,
    codes: code ? [{ code, sms: `Your code is ${code}`, seenAt: createdAt + 1 }] : [],
    unseenCode: code && unseen ? code : null,
  };
}

/**
 * A browser whose open tabs show `tabs` (id → URL); closed tabs are absent.
 * With `hidesUrls` it behaves as Firefox (and Chromium) do for a site the
 * extension may not read: `tabs.get` leaves the URL out, and only our content
 * script in the tab's top frame can say where it is (the `where` message).
 */
function browserWith(tabs: Record<number, string>, hidesUrls = false): WxtBrowser {
  return {
    tabs: {
      get: async (id: number) => {
        if (!(id in tabs)) throw new Error('No tab with id');
        return hidesUrls ? { id } : { id, url: tabs[id] };
      },
      query: async () => Object.keys(tabs).map((id) => ({ id: Number(id) })),
      sendMessage: async (id: number, message: { type?: string }, options?: { frameId?: number }) => {
        if (message.type === 'where' && options?.frameId === 0 && id in tabs) return tabs[id];
        return undefined;
      },
    },
  } as unknown as WxtBrowser;
}

/** Moves an order in `orders` (in place) to `toTabId` if it is still bound to `fromTabId`, as the engine does. */
function mover(orders: Order[]) {
  return async (id: string, fromTabId: number | null, toTabId: number): Promise<boolean> => {
    const index = orders.findIndex((o) => o.id === id);
    const current = orders[index];
    if (!current?.site) return false;
    if (current.site.tabId === fromTabId) orders[index] = { ...current, site: { ...current.site, tabId: toTabId } };
    return orders[index]!.site!.tabId === toTabId;
  };
}

function delivery(orders: Order[], tabs: Record<number, string>, { hidesUrls = false, fillPhone = false } = {}) {
  return createDelivery({
    browser: browserWith(tabs, hidesUrls),
    orders: async () => orders,
    accountId: async () => 'acct',
    settings: async () => ({ ...DEFAULT_SETTINGS, fillPhone }),
    markCodeFilled: async () => undefined,
    markPhoneFilled: async () => undefined,
    markPhoneProblem: async () => undefined,
    moveToTab: mover(orders),
  });
}

/** A content script's message as both browsers report it: the frame's URL and id, the tab's id, no tab URL. */
const from = (tabId: number, url = SITE, frameId = 0) => ({ id: 'ext', url, frameId, tab: { id: tabId } });

describe('which code a page of the ordering site is offered', () => {
  it('the ordering tab gets its own order’s code', async () => {
    const d = delivery([order('a', 1, '111111', true, 10)], { 1: SITE });
    expect((await d.instructionsFor(from(1)))?.code).toBe('111111');
  });

  it('a tab with an order of its own never gets an earlier order’s code, even when that order’s tab is gone', async () => {
    const earlier = order('a', 1, '111111', true, 10);
    const mine = order('b', 2, null, false, 20);
    const d = delivery([earlier, mine], { 2: SITE });
    expect(await d.instructionsFor(from(2))).toBeNull();
    const withCode = order('b', 2, '222222', true, 20);
    expect((await delivery([earlier, withCode], { 2: SITE }).instructionsFor(from(2)))?.code).toBe('222222');
  });

  it('a tab that ordered nothing gets a code only when the ordering tab is gone and the user has not had the code', async () => {
    const unseen = order('a', 1, '111111', true, 10);
    expect((await delivery([unseen], { 3: SITE }).instructionsFor(from(3)))?.code).toBe('111111');
    // The ordering tab still shows the site: the code is for that page.
    expect(await delivery([unseen], { 1: SITE, 3: SITE }).instructionsFor(from(3))).toBeNull();
    // Already filled or read: it belonged to the page it went to, not to a later visit.
    const seen = order('a', 1, '111111', false, 10);
    expect(await delivery([seen], { 3: SITE }).instructionsFor(from(3))).toBeNull();
  });

  it('a sign-up reopened in another tab (or after a browser restart) takes the order over, and keeps it once the code was read', async () => {
    const orders = [order('a', 1, null, false, 10)];
    // Tab 1 is gone (closed, or an id from before the restart); tabs 3 and 4 show the site.
    const tabs: Record<number, string> = { 3: SITE, 4: SITE };
    const d = delivery(orders, tabs, { fillPhone: true });
    expect((await d.instructionsFor(from(3)))?.phone).toBe(orders[0]!.number);
    expect(orders[0]!.site!.tabId).toBe(3);
    // The code arrives, and the popup (open meanwhile) shows it: read, but this tab is now the order's.
    orders[0] = { ...orders[0]!, phase: 'received', codes: [{ code: '333333', sms: 'Code 333333', seenAt: 20 }], unseenCode: null };
    expect((await d.instructionsFor(from(3)))?.code).toBe('333333');
    // Another tab of the site gets nothing: the order's tab still shows the site.
    expect(await d.instructionsFor(from(4))).toBeNull();
  });

  it('an ordering tab that does not answer (a page loading) keeps its order; the other tab only gets the unread code', async () => {
    const orders = [order('a', 1, '111111', true, 10)];
    const d = delivery(orders, { 1: 'about:blank', 3: SITE }, { hidesUrls: true });
    expect((await d.instructionsFor(from(3)))?.code).toBe('111111');
    expect(orders[0]!.site!.tabId).toBe(1);
  });

  it('when two tabs ask at once for an order whose tab is gone, one of them takes it', async () => {
    const orders = [order('a', 1, '111111', true, 10)];
    const d = delivery(orders, { 3: SITE, 4: SITE });
    const answers = await Promise.all([d.instructionsFor(from(3)), d.instructionsFor(from(4))]);
    expect(answers.filter((a) => a?.code === '111111')).toHaveLength(1);
    expect([3, 4]).toContain(orders[0]!.site!.tabId);
  });

  it('another site, or the site framed inside another site, gets nothing', async () => {
    const d = delivery([order('a', 1, '111111', true, 10)], { 1: SITE });
    expect(await d.instructionsFor(from(1, 'https://other.example/'))).toBeNull();
    const framed = delivery([order('a', 1, '111111', true, 10)], { 1: 'https://other.example/' });
    expect(await framed.instructionsFor(from(1, SITE, 3))).toBeNull();
  });

  it('a same-site frame is answered from its tab\'s top frame, even where the browser hides tab URLs (Firefox)', async () => {
    for (const hidesUrls of [false, true]) {
      const d = delivery([order('a', 1, '111111', true, 10)], { 1: SITE }, { hidesUrls });
      expect((await d.instructionsFor(from(1, 'https://shop.example/frame/code', 5)))?.code).toBe('111111');
      const framed = delivery([order('a', 1, '111111', true, 10)], { 1: 'https://other.example/' }, { hidesUrls });
      expect(await framed.instructionsFor(from(1, SITE, 5))).toBeNull();
    }
  });

  it('ignores a tab URL in the sender: the top frame\'s own address decides', async () => {
    const d = delivery([order('a', 1, '111111', true, 10)], { 1: SITE });
    const claimsShop = { id: 'ext', url: 'https://other.example/', frameId: 0, tab: { id: 1, url: SITE } as { id: number } };
    expect(await d.instructionsFor(claimsShop)).toBeNull();
  });
});

describe('after the worker restarts', () => {
  it('wakes the pages of codes that reached neither a page nor the user, and no other', async () => {
    const woken: number[] = [];
    const browser = browserWith({ 1: SITE, 2: SITE, 3: 'https://other.example/' });
    const sendMessage = browser.tabs.sendMessage.bind(browser.tabs);
    browser.tabs.sendMessage = (async (id: number, message: { type?: string }, options?: { frameId?: number }) => {
      if (message.type === 'wake') woken.push(id);
      return sendMessage(id, message, options);
    }) as typeof browser.tabs.sendMessage;
    const orders = [order('a', 1, '111111', true, 10), order('b', 2, '222222', false, 20), order('c', 3, null, false, 30)];
    const d = createDelivery({
      browser,
      orders: async () => orders,
      accountId: async () => 'acct',
      settings: async () => DEFAULT_SETTINGS,
      markCodeFilled: async () => undefined,
      markPhoneFilled: async () => undefined,
      markPhoneProblem: async () => undefined,
      moveToTab: mover(orders),
    });
    await d.resume();
    expect(woken).toEqual([1]);
  });
});

describe('a code whose SMS names another brand', () => {
  /** The shop.example order with a code from `sms`; the catalogue lists `catalogue`. */
  function withSms(sms: string, catalogue: string[] = []) {
    const base = order('a', 1, '551234', true, 10);
    const received = { ...base, serviceName: 'Other', codes: [{ code: '551234', sms, seenAt: 11 }] };
    return createDelivery({
      browser: browserWith({ 1: SITE }),
      orders: async () => [received],
      accountId: async () => 'acct',
      settings: async () => ({ ...DEFAULT_SETTINGS, fillPhone: false }),
      markCodeFilled: async () => undefined,
      markPhoneFilled: async () => undefined,
      markPhoneProblem: async () => undefined,
      moveToTab: async () => false,
      serviceNames: async () => catalogue,
    });
  }

  it('is offered for copying, naming the brand, instead of being filled', async () => {
    const answer = await withSms('Your PayPal security code: 551234').instructionsFor(from(1));
    expect(answer).toMatchObject({ code: '551234', autofillCode: false, namedBrand: 'PayPal' });
  });

  it('knows the catalogue’s brands as well as the alias table’s', async () => {
    expect(await withSms('Your Venmo code is 551234').instructionsFor(from(1))).toMatchObject({ autofillCode: true });
    expect(await withSms('Your Venmo code is 551234', ['Venmo', 'Other']).instructionsFor(from(1))).toMatchObject({
      autofillCode: false,
      namedBrand: 'Venmo',
    });
  });

  it('is filled when the SMS names the site too, and when the user asks for it', async () => {
    const answer = await withSms('Sign in with Google to Shop: 551234').instructionsFor(from(1));
    expect(answer?.autofillCode).toBe(true);
    expect(answer).not.toHaveProperty('namedBrand');
    expect(await withSms('Your PayPal security code: 551234').instructionsFor(from(1), 'code')).toMatchObject({ autofillCode: true });
  });
});

describe('a code whose SMS names another site', () => {
  it('is offered for copying with the site it named, for the in-page note', async () => {
    const phished = order('a', 1, '662211', true, 10);
    phished.codes = [{ code: '662211', sms: 'Your code is 662211.\n\n@www.paypal.com #662211', seenAt: 11 }];
    const instructions = await delivery([phished], { 1: SITE }).instructionsFor(from(1));
    expect(instructions).toMatchObject({ code: '662211', autofillCode: false, namedSite: 'paypal.com' });
    expect(copyOnlyNote(instructions!, '662211')).toBe('Code 662211 is for paypal.com, not this site: copy it there if you need it.');
    // A code for this very site says nothing of the kind.
    const own = order('b', 1, '123456', true, 20);
    own.codes = [{ code: '123456', sms: 'Your code is 123456.\n\n@shop.example #123456', seenAt: 21 }];
    expect(await delivery([own], { 1: SITE }).instructionsFor(from(1))).not.toHaveProperty('namedSite');
  });
});

describe('which number a page’s phone field holds', () => {
  it('the newest number still waiting for its SMS, filled or not; a number with a code is not offered', async () => {
    const first = { ...order('a', 1, null, false, 10), phoneFilledAt: 11 };
    const second = order('b', 1, null, false, 20);
    const d = delivery([first, second], { 1: SITE }, { fillPhone: true });
    expect(await d.instructionsFor(from(1))).toMatchObject({ phone: second.number, phoneFresh: true, retiredPhones: [] });
    const filled = { ...second, phoneFilledAt: 21 };
    expect(await delivery([first, filled], { 1: SITE }, { fillPhone: true }).instructionsFor(from(1))).toMatchObject({ phone: second.number, phoneFresh: false });
    const coded = order('b', 1, '222222', false, 20);
    expect((await delivery([coded], { 1: SITE }, { fillPhone: true }).instructionsFor(from(1)))?.phone).toBeNull();
  });

  it('names this tab’s rejected and expired numbers, even when no live order is left, so the page does not keep them', async () => {
    const rejected = { ...order('a', 1, null, false, 10), phase: 'rejected' as const };
    const expiredElsewhere = { ...order('c', 2, null, false, 5), phase: 'expired' as const };
    expect(await delivery([rejected, expiredElsewhere], { 1: SITE }, { fillPhone: true }).instructionsFor(from(1))).toMatchObject({ phone: null, retiredPhones: [rejected.number] });
    const next = order('b', 1, null, false, 20);
    expect(await delivery([rejected, next], { 1: SITE }, { fillPhone: true }).instructionsFor(from(1))).toMatchObject({ phone: next.number, retiredPhones: [rejected.number] });
  });
});
