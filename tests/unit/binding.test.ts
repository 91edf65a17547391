// Which order a page serves (utils/background/binding.ts, through delivery): the second sign-up in one tab,
// spent codes, numbers queued for rejection, and a page that could be either of two orders.
import { describe, expect, it } from 'vitest';
import type { WxtBrowser } from 'wxt/browser';
import { createDelivery } from '@/utils/background/delivery';
import { newIntent, type Order } from '@/utils/orders/model';
import { DEFAULT_SETTINGS } from '@/utils/storage';

const SITE = 'https://shop.example/signup';

function order(id: string, tabId: number, createdAt: number, patch: Partial<Order> = {}): Order {
  const base = newIntent({
    intentId: id,
    accountId: 'acct',
    request: { pool: 's1', serviceKey: 'go', serviceName: 'Google' },
    site: { url: SITE, siteKey: 'shop.example', tabId, frameId: 0 },
    now: createdAt,
  });
  return { ...base, phase: 'waiting', orderId: id, number: `+1202555${String(createdAt).padStart(4, '0')}`, ...patch };
}

/** The first sign-up of the tab, done: its code filled into the page (spent) and its number filled before. */
const done = (tabId: number) =>
  order('first', tabId, 1000, {
    phase: 'completed',
    codes: [{ code: '446127', sms: 'Your code is 446127', seenAt: 2000 }],
    filledCode: '446127',
    phoneFilledAt: 1500,
  });

function browserWith(tabs: Record<number, string>): WxtBrowser {
  return {
    tabs: {
      get: async (id: number) => {
        if (!(id in tabs)) throw new Error('No tab with id');
        return { id };
      },
      query: async () => Object.keys(tabs).map((id) => ({ id: Number(id) })),
      sendMessage: async (id: number, message: { type?: string }) => (message.type === 'where' && id in tabs ? tabs[id] : undefined),
    },
  } as unknown as WxtBrowser;
}

function setup(orders: Order[], tabs: Record<number, string>) {
  const filled: { id: string; code: string }[] = [];
  const moved: string[] = [];
  const delivery = createDelivery({
    browser: browserWith(tabs),
    orders: async () => orders,
    accountId: async () => 'acct',
    settings: async () => ({ ...DEFAULT_SETTINGS, fillPhone: true }),
    markCodeFilled: async (id, code) => void filled.push({ id, code }),
    markPhoneFilled: async () => undefined,
    markPhoneProblem: async () => undefined,
    moveToTab: async (id, fromTabId, toTabId) => {
      const index = orders.findIndex((o) => o.id === id);
      const current = orders[index]!;
      if (current.site!.tabId !== fromTabId) return false;
      orders[index] = { ...current, site: { ...current.site!, tabId: toTabId } };
      moved.push(id);
      return true;
    },
  });
  return { delivery, filled, moved };
}

const from = (tabId: number, url = SITE) => ({ id: 'ext', url, frameId: 0, tab: { id: tabId } });

describe('the second sign-up in the same tab', () => {
  it('gets the new number in the phone field and no code of the first sign-up', async () => {
    const second = order('second', 1, 5000);
    const { delivery } = setup([done(1), second], { 1: SITE });
    const answer = await delivery.instructionsFor(from(1));
    expect(answer?.code).toBeNull();
    expect(answer?.phone).toBe(second.number);
    expect(answer?.phoneFresh).toBe(true);
  });

  it('gets the new code when its SMS comes, and only that order is marked filled', async () => {
    const second = order('second', 1, 5000, { phase: 'received', codes: [{ code: '90210', sms: 'code 90210', seenAt: 6000 }], unseenCode: '90210' });
    const { delivery, filled } = setup([done(1), second], { 1: SITE });
    expect((await delivery.instructionsFor(from(1)))?.code).toBe('90210');
    await delivery.filled(from(1), 'code', '90210');
    expect(filled).toEqual([{ id: 'second', code: '90210' }]);
    // Filling the old code again (a page's own leftovers) spends nothing of the second order.
    await delivery.filled(from(1), 'code', '446127');
    expect(filled).toHaveLength(1);
  });

  it('the shortcut and the menu ask for the code: none before the new SMS, never the first sign-up’s', async () => {
    const second = order('second', 1, 5000);
    const { delivery } = setup([done(1), second], { 1: SITE });
    const answer = await delivery.instructionsFor(from(1), 'code');
    expect(answer?.code).toBeNull();
    expect(answer?.awaiting).toBe(second.number);
  });

  it('a reload after the first sign-up, with no new order, fills nothing: the filled code is spent', async () => {
    const { delivery } = setup([done(1)], { 1: SITE });
    expect(await delivery.instructionsFor(from(1))).toBeNull();
    // The user's own request still gets the page's code.
    expect((await delivery.instructionsFor(from(1), 'code'))?.code).toBe('446127');
  });

  it('a newer code of an order whose first code was spent is not spent', async () => {
    const resent = order('one', 1, 1000, {
      phase: 'received',
      codes: [
        { code: '111111', sms: null, seenAt: 2000 },
        { code: '222222', sms: null, seenAt: 3000 },
      ],
      filledCode: '111111',
      unseenCode: '222222',
    });
    const { delivery } = setup([resent], { 1: SITE });
    expect((await delivery.instructionsFor(from(1)))?.code).toBe('222222');
  });

  it('after a browser restart (every tab renumbered) the restored tab takes the new order, not the spent one', async () => {
    const second = order('second', 1, 5000);
    const { delivery, moved } = setup([done(1), second], { 7: SITE });
    const answer = await delivery.instructionsFor(from(7));
    expect(answer?.phone).toBe(second.number);
    expect(answer?.code).toBeNull();
    expect(moved).toEqual(['second']);
  });
});

describe('a number queued for rejection', () => {
  it('is never the page’s number: the newer order serves, and the queued one is to be removed', async () => {
    const queued = order('queued', 1, 1000, { rejectRetryAt: 70_000, phoneFilledAt: 1200 });
    const { delivery } = setup([queued], { 1: SITE });
    const alone = await delivery.instructionsFor(from(1));
    expect(alone?.phone).toBeNull();
    expect(alone?.retiredPhones).toEqual([queued.number]);
    const another = order('another', 1, 2000);
    const { delivery: withAnother } = setup([queued, another], { 1: SITE });
    const answer = await withAnother.instructionsFor(from(1));
    expect(answer?.phone).toBe(another.number);
    expect(answer?.retiredPhones).toEqual([queued.number]);
  });
});

describe('a page that could belong to two orders', () => {
  it('asks which (nothing filled), and the number the user picks binds that order to the tab', async () => {
    const a = order('a', 1, 1000);
    const b = order('b', 2, 2000);
    // A restart: tabs 1 and 2 are gone, tab 9 shows the site.
    const orders = [a, b];
    const { delivery, moved } = setup(orders, { 9: SITE });
    const asked = await delivery.instructionsFor(from(9));
    expect(asked?.choices).toEqual([b.number, a.number]);
    expect(asked?.phone).toBeNull();
    expect(asked?.code).toBeNull();
    expect(moved).toEqual([]);
    const picked = await delivery.instructionsFor(from(9), 'auto', a.number!);
    expect(picked?.phone).toBe(a.number);
    expect(moved).toEqual(['a']);
    // Bound now: the next question is answered from the tab's own order, without asking.
    expect((await delivery.instructionsFor(from(9)))?.choices).toBeUndefined();
  });
});
