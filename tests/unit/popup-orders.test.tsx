// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act } from 'preact/test-utils';
import type { Order, OrderPhase } from '@/utils/orders/model';
import {
  account,
  button,
  card,
  cleanup,
  click,
  field,
  Failure,
  flush,
  key,
  makeOrder,
  NOW,
  openTab,
  queryButton,
  renderPopup,
  text,
  type,
} from './popup-harness';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const rental = (patch: Partial<Order> = {}) =>
  makeOrder({
    id: 'rent-1',
    pool: 'rental',
    serviceKey: 'goog03',
    orderId: '2001',
    number: '3125550142',
    price: 3.5,
    phase: 'active',
    remoteStatus: 'active',
    expiresAt: NOW + 7 * 86_400_000 - 60_000,
    request: { pool: 'rental', serviceKey: 'goog03', serviceName: 'Google', duration: 7 },
    site: null,
    ...patch,
  });

/** Renders the popup on the Orders tab with these orders in the book. */
async function ordersTab(orders: Order[], options: Parameters<typeof renderPopup>[0] = {}) {
  const popup = await renderPopup({ ...options, orders });
  await openTab(popup.root, 'Orders');
  return popup;
}

describe('Active orders', () => {
  const phases: Array<[OrderPhase, Partial<Order>, string]> = [
    ['purchasing', { number: null, orderId: null, expiresAt: null }, 'Getting the number…'],
    ['waiting', {}, 'Waiting for the SMS'],
    ['received', { codes: [{ code: '554433', sms: 'G-554433 is your code', seenAt: NOW }] }, 'Code received'],
    ['expired', {}, 'Expired'],
    ['rejected', { refund: 0.5 }, 'Rejected'],
    ['completed', { codes: [{ code: '554433', sms: null, seenAt: NOW }] }, 'Completed'],
    ['failed', { number: null, error: { kind: 'unavailable', message: 'No numbers available right now.', at: NOW } }, 'Not bought'],
  ];
  it.each(phases)('shows a %s order in words', async (phase, patch, words) => {
    const { root } = await ordersTab([makeOrder({ phase, ...patch })]);
    expect(text(card(root, 'order-1').querySelector('[data-testid="order-status"]'))).toBe(words);
  });

  it('shows rentals active and cancelled, with the refund', async () => {
    const { root } = await ordersTab([rental(), rental({ id: 'rent-2', phase: 'cancelled', remoteStatus: 'cancelled', refund: 3.5 })]);
    expect(text(card(root, 'rent-1').querySelector('[data-testid="order-status"]'))).toBe('Active');
    expect(text(card(root, 'rent-2').querySelector('[data-testid="order-status"]'))).toBe('Cancelled');
    expect(text(card(root, 'rent-2'))).toContain('$3.50 refunded');
  });

  it('shows an unknown server status word verbatim', async () => {
    const { root } = await ordersTab([makeOrder({ remoteStatus: 'waiting_for_sms' })]);
    expect(text(card(root, 'order-1'))).toContain('Waiting for the SMS (Text2FA says “waiting_for_sms”)');
  });

  it('lists the signed-in account first and shows another account’s order read-only', async () => {
    const foreign = makeOrder({ id: 'theirs', accountId: 'acct-2', createdAt: NOW, codes: [{ code: '111222', sms: null, seenAt: NOW }], phase: 'received', unseenCode: '111222' });
    const { root, payloads } = await ordersTab([foreign, makeOrder({ id: 'mine' })]);
    const cards = [...root.querySelectorAll('[data-order-id]')].map((c) => c.getAttribute('data-order-id'));
    expect(cards).toEqual(['mine', 'theirs']);
    const theirs = card(root, 'theirs');
    expect(text(theirs)).toContain('Another account');
    expect(text(theirs)).toContain('another Text2FA account');
    expect(queryButton(theirs, /Reject/)).toBeNull();
    expect(queryButton(theirs, 'Reuse number')).toBeNull();
    expect(queryButton(theirs, 'Copy code')).not.toBeNull();
    // Another account's codes are not marked seen from here.
    expect(payloads('orders.seen')).toEqual([]);
    expect(queryButton(card(root, 'mine'), /^Reject/)).not.toBeNull();
  });

  it('counts down to the expiry, live', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { root, clock } = await ordersTab([makeOrder({ expiresAt: NOW + 90_000 })]);
    const timer = () => text(card(root, 'order-1').querySelector('[role="timer"]'));
    expect(timer()).toBe('1:30 left');
    clock.now += 31_000;
    await act(async () => {
      vi.advanceTimersByTime(1000);
    });
    expect(timer()).toBe('0:59 left');
    clock.now += 60_000;
    await act(async () => {
      vi.advanceTimersByTime(1000);
    });
    expect(timer()).toBe('Ending…');
  });

  it('shows days left on a rental', async () => {
    const { root } = await ordersTab([rental()]);
    expect(text(card(root, 'rent-1').querySelector('[role="timer"]'))).toBe('6 d 23 h left');
  });

  it('shows a code large with Copy when it arrives, and marks it seen once', async () => {
    const order = makeOrder();
    const { root, items, payloads, copied } = await ordersTab([order]);
    expect(card(root, 'order-1').querySelector('[data-testid="order-code"]')).toBeNull();
    expect(text(root.querySelector('#tab-orders'))).toContain('(1 live)');

    const received = { ...order, phase: 'received' as const, codes: [{ code: '554433', sms: 'G-554433', seenAt: NOW }], unseenCode: '554433' };
    await act(async () => items.orderBook.set({ orders: [received] }));
    await flush();
    const shown = card(root, 'order-1');
    expect(text(shown.querySelector('[data-testid="order-code"]'))).toBe('554433');
    expect(text(root.querySelector('#tab-orders'))).toContain('new code');
    expect(payloads('orders.seen')).toEqual([{ id: 'order-1' }]);

    await click(button(shown, 'Copy code'));
    expect(copied).toEqual(['554433']);
    expect(text(shown)).toContain('Copied');
    // The store being written again (still unseen) does not send it twice.
    await act(async () => items.orderBook.set({ orders: [{ ...received, updatedAt: NOW + 1 }] }));
    await flush();
    expect(payloads('orders.seen')).toHaveLength(1);
  });

  it('rejects with the refund shown, and says the number will be rejected, with the countdown, for a too-early reject, not an error', async () => {
    const order = makeOrder();
    const { root, items, payloads } = await ordersTab([order], {
      handlers: { 'orders.reject': () => ({ ...order, rejectRetryAt: NOW + 15_000 }) },
    });
    const reject = button(card(root, 'order-1'), 'Reject (refund $0.50)');
    await click(reject);
    expect(payloads('orders.reject')).toEqual([{ id: 'order-1' }]);
    await act(async () => items.orderBook.set({ orders: [{ ...order, rejectRetryAt: NOW + 15_000 }] }));
    await flush();
    const shown = card(root, 'order-1');
    expect(text(shown)).toContain('This number will be rejected for its refund in 0:15');
    expect(text(card(root, 'order-1'))).toContain('To be rejected');
    expect(queryButton(shown, 'Copy number')).toBeNull();
    expect(shown.querySelector('[role="alert"]')).toBeNull();
    expect(queryButton(shown, /^Reject/)).toBeNull();

    await act(async () => items.orderBook.set({ orders: [{ ...order, phase: 'rejected', rejectRetryAt: null, refund: 0.5 }] }));
    await flush();
    expect(text(card(root, 'order-1'))).toContain('$0.50 refunded');
  });

  it('shows a failed reject inline with a retry', async () => {
    let calls = 0;
    const order = makeOrder();
    const { root, payloads } = await ordersTab([order], {
      handlers: {
        'orders.reject': () => {
          calls += 1;
          if (calls === 1) throw new Failure('network', 'fetch failed');
          return { ...order, phase: 'rejected', refund: 0.5 };
        },
      },
    });
    await click(button(card(root, 'order-1'), 'Reject (refund $0.50)'));
    const alert = card(root, 'order-1').querySelector('[role="alert"]') as HTMLElement;
    expect(text(alert)).toContain('could not be reached');
    await click(button(alert, 'Retry'));
    expect(payloads('orders.reject')).toHaveLength(2);
    expect(card(root, 'order-1').querySelector('[role="alert"]')).toBeNull();
  });

  it('shows a refused reject (code arrived) in words', async () => {
    const { root } = await ordersTab([makeOrder()], {
      handlers: {
        'orders.reject': () => {
          throw new Failure('not_allowed', 'A code already arrived for this number, so it can no longer be rejected.');
        },
      },
    });
    await click(button(card(root, 'order-1'), 'Reject (refund $0.50)'));
    expect(text(card(root, 'order-1').querySelector('[role="alert"]'))).toContain('can no longer be rejected');
  });

  it('shows the engine’s last error of a live order with a retry', async () => {
    const { root, payloads } = await ordersTab(
      [makeOrder({ error: { kind: 'server', message: 'Text2FA had a problem (HTTP 500).', at: NOW } })],
      { handlers: { 'orders.reject': () => makeOrder({ phase: 'rejected' }) } },
    );
    const alert = card(root, 'order-1').querySelector('[role="alert"]') as HTMLElement;
    expect(text(alert)).toContain('HTTP 500');
    await click(button(alert, 'Retry'));
    expect(payloads('orders.reject')).toEqual([{ id: 'order-1' }]);
  });

  it('says a purchase whose answer was lost is being checked, with nothing to retry', async () => {
    const { root } = await ordersTab([
      makeOrder({ phase: 'purchasing', number: null, orderId: null, error: { kind: 'timeout', message: 'Text2FA took too long.', at: NOW } }),
    ]);
    const shown = card(root, 'order-1');
    expect(text(shown)).toContain('Checking with Text2FA whether the number was bought');
    expect(text(shown.querySelector('[data-testid="order-status"]'))).toBe('Checking with Text2FA');
    expect(shown.querySelector('[role="alert"]')).toBeNull();
    expect(queryButton(shown, 'Retry')).toBeNull();
  });

  it('buys a failed purchase again with a new intent', async () => {
    const failed = makeOrder({ phase: 'failed', number: null, orderId: null, error: { kind: 'unavailable', message: 'No numbers available right now.', at: NOW } });
    const { root, payloads } = await ordersTab([failed], { handlers: { 'orders.buy': (r) => makeOrder({ id: r.intentId }) } });
    const alert = card(root, 'order-1').querySelector('[role="alert"]') as HTMLElement;
    expect(text(alert)).toContain('No numbers available');
    await click(button(alert, 'Try again'));
    expect(payloads('orders.buy')).toEqual([
      { pool: 's1', serviceKey: 'goog01', serviceName: 'Google', intentId: 'intent-1', expectedPrice: null, tabId: 7 },
    ]);
  });

  it('reuses an S1 number with a new intent id', async () => {
    const received = makeOrder({ phase: 'completed', codes: [{ code: '554433', sms: null, seenAt: NOW }] });
    const { root, payloads } = await ordersTab([received], { handlers: { 'orders.reuse': () => makeOrder({ id: 'intent-1' }) } });
    await click(button(card(root, 'order-1'), 'Reuse number'));
    expect(payloads('orders.reuse')).toEqual([{ id: 'order-1', intentId: 'intent-1' }]);
  });

  it('lists a rental’s messages newest first, each code with Copy', async () => {
    const order = rental({
      messages: [
        { id: '1', from: 'Google', text: 'G-111111 is your code', code: '111111', receivedAt: NOW - 60_000, seenAt: NOW - 60_000 },
        { id: '2', from: 'Google', text: 'Welcome to Google', code: null, receivedAt: NOW - 30_000, seenAt: NOW - 30_000 },
      ],
      unseenCode: '111111',
    });
    const { root, copied, payloads } = await ordersTab([order]);
    const list = card(root, 'rent-1').querySelector('.messages')!;
    expect(text(list.querySelector('h4'))).toBe('Messages (2)');
    const items = [...list.querySelectorAll('li')].map((li) => text(li.querySelector('.text')));
    expect(items).toEqual(['Welcome to Google', 'G-111111 is your code']);
    await click(button(list as HTMLElement, 'Copy code 111111'));
    expect(copied).toEqual(['111111']);
    expect(payloads('orders.seen')).toEqual([{ id: 'rent-1' }]);
    expect(payloads('orders.refreshRentals')).toHaveLength(1);
  });

  it('renews a rental by the days typed, saying what it costs and why a number of days is refused', async () => {
    const { root, payloads } = await ordersTab([rental()], { handlers: { 'orders.renew': () => rental() } });
    const shown = card(root, 'rent-1');
    const days = field(shown, 'Extra days');
    const note = () => text(shown.querySelector(`#${days.getAttribute('aria-describedby')}`));
    expect(days.value).toBe('7');
    // From the rental service's price per day ($0.50).
    expect(button(shown, 'Renew — $3.50').disabled).toBe(false);
    expect(note()).toBe('7 more days at $0.50 a day.');
    for (const bad of ['0', '400', '']) {
      await type(days, bad);
      expect(button(shown, 'Renew').disabled).toBe(true);
      expect(note()).toBe('Renew by a whole number of days from 1 to 365.');
      expect(days.getAttribute('aria-invalid')).toBe('true');
    }
    await type(days, '1');
    expect(note()).toBe('1 more day at $0.50 a day.');
    await type(days, '3');
    await click(button(shown, 'Renew — $1.50'));
    expect(payloads('orders.renew')).toEqual([{ id: 'rent-1', days: 3 }]);
    expect(payloads('catalog.services')).toContainEqual({ pool: 'rental' });
  });

  it('cancels a rental after a confirmation that Esc dismisses', async () => {
    const { root, payloads, items } = await ordersTab([rental()], { handlers: { 'orders.cancel': () => rental({ phase: 'cancelled' }) } });
    const open = button(card(root, 'rent-1'), 'Cancel rental');
    await click(open);
    const dialog = root.querySelector('[role="alertdialog"]') as HTMLElement;
    expect(text(dialog)).toContain('Cancel this rental?');
    expect(document.activeElement).toBe(button(dialog, 'Keep rental'));
    await key(dialog, 'Escape');
    expect(root.querySelector('[role="alertdialog"]')).toBeNull();
    expect(document.activeElement).toBe(open);
    expect(payloads('orders.cancel')).toEqual([]);

    await click(open);
    await click(button(root.querySelector('[role="alertdialog"]') as HTMLElement, 'Yes, cancel it'));
    expect(payloads('orders.cancel')).toEqual([{ id: 'rent-1' }]);
    await act(async () => items.orderBook.set({ orders: [rental({ phase: 'cancelled', remoteStatus: 'cancelled', refund: 3.5 })] }));
    await flush();
    expect(text(card(root, 'rent-1'))).toContain('$3.50 refunded');
    expect(queryButton(card(root, 'rent-1'), 'Cancel rental')).toBeNull();
  });

  it('says so when there are no orders, and retries a failed sync', async () => {
    let calls = 0;
    const { root, payloads } = await ordersTab([], {
      handlers: {
        'orders.sync': () => {
          calls += 1;
          if (calls === 1) throw new Failure('network', 'fetch failed');
          return null;
        },
      },
    });
    expect(text(root)).toContain('No numbers right now.');
    // Said once, above the views; the orders list does not repeat it.
    const alert = root.querySelector('[data-testid="connection"]') as HTMLElement;
    expect(text(alert)).toContain('could not be reached');
    expect(root.querySelector('.orders [role="alert"]')).toBeNull();
    await click(button(alert, 'Try again'));
    expect(payloads('orders.sync')).toEqual([{}, { force: true }]);
    expect(root.querySelector('[data-testid="connection"]')).toBeNull();
  });

  it('keeps the balance of the account in view while orders change', async () => {
    const { root, items } = await ordersTab([makeOrder()]);
    await act(async () => items.account.set({ ...account, balance: 12 }));
    expect(text(root.querySelector('[data-testid="balance"]'))).toBe('$12.00');
  });
});
