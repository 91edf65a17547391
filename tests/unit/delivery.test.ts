import { describe, expect, it } from 'vitest';
import type { WxtBrowser } from 'wxt/browser';
import { createDelivery } from '@/utils/background/delivery';
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

/** A browser whose open tabs show `tabs` (id → URL); closed tabs are absent. */
function browserWith(tabs: Record<number, string>): WxtBrowser {
  return {
    tabs: {
      get: async (id: number) => {
        if (!(id in tabs)) throw new Error('No tab with id');
        return { id, url: tabs[id] };
      },
      query: async () => Object.keys(tabs).map((id) => ({ id: Number(id) })),
      sendMessage: async () => undefined,
    },
  } as unknown as WxtBrowser;
}

function delivery(orders: Order[], tabs: Record<number, string>, fillPhone = false) {
  return createDelivery({
    browser: browserWith(tabs),
    orders: async () => orders,
    accountId: async () => 'acct',
    settings: async () => ({ ...DEFAULT_SETTINGS, fillPhone }),
    markCodeFilled: async () => undefined,
    markPhoneFilled: async () => undefined,
    markPhoneProblem: async () => undefined,
  });
}

const from = (tabId: number, url = SITE) => ({ id: 'ext', url, tab: { id: tabId, url } as { id: number } });

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

  it('another site, or the site framed inside another site, gets nothing', async () => {
    const d = delivery([order('a', 1, '111111', true, 10)], { 1: SITE });
    expect(await d.instructionsFor(from(1, 'https://other.example/'))).toBeNull();
    expect(await d.instructionsFor({ id: 'ext', url: SITE, tab: { id: 1, url: 'https://other.example/' } as { id: number } })).toBeNull();
  });
});

describe('which number a page’s phone field holds', () => {
  it('the newest number still waiting for its SMS, filled or not; a number with a code is not offered', async () => {
    const first = { ...order('a', 1, null, false, 10), phoneFilledAt: 11 };
    const second = order('b', 1, null, false, 20);
    const d = delivery([first, second], { 1: SITE }, true);
    expect(await d.instructionsFor(from(1))).toMatchObject({ phone: second.number, phoneFresh: true, retiredPhones: [] });
    const filled = { ...second, phoneFilledAt: 21 };
    expect(await delivery([first, filled], { 1: SITE }, true).instructionsFor(from(1))).toMatchObject({ phone: second.number, phoneFresh: false });
    const coded = order('b', 1, '222222', false, 20);
    expect((await delivery([coded], { 1: SITE }, true).instructionsFor(from(1)))?.phone).toBeNull();
  });

  it('names this tab’s rejected and expired numbers, even when no live order is left, so the page does not keep them', async () => {
    const rejected = { ...order('a', 1, null, false, 10), phase: 'rejected' as const };
    const expiredElsewhere = { ...order('c', 2, null, false, 5), phase: 'expired' as const };
    expect(await delivery([rejected, expiredElsewhere], { 1: SITE }, true).instructionsFor(from(1))).toMatchObject({ phone: null, retiredPhones: [rejected.number] });
    const next = order('b', 1, null, false, 20);
    expect(await delivery([rejected, next], { 1: SITE }, true).instructionsFor(from(1))).toMatchObject({ phone: next.number, retiredPhones: [rejected.number] });
  });
});
