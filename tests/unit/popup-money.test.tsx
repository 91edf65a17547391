// @vitest-environment happy-dom
/**
 * What the popup says about money: a twin (one purchase charged twice), a
 * "Get number" that bought nothing because the site's number still waits,
 * and a number the page's phone field would not take.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { button, cleanup, click, makeOrder, NOW, renderPopup, text } from './popup-harness';

afterEach(cleanup);

describe('a purchase charged twice', () => {
  it('tells the user once, with the amount refunded, until they dismiss it', async () => {
    const twin = makeOrder({
      id: 'remote:s1:1002',
      orderId: '1002',
      number: '2055550177',
      phase: 'rejected',
      refund: 0.5,
      site: null,
      twin: { of: 'order-1', foundAt: NOW, reportedAt: NOW, dismissedAt: null },
    });
    const { root, payloads } = await renderPopup({ orders: [makeOrder(), twin] });
    const notice = root.querySelector('[data-testid="twin-notices"]');
    expect(text(notice)).toContain('Text2FA charged twice for one Google purchase (extra number 2055550177). The extra charge was refunded: $0.50.');
    await click(button(notice!, 'OK'));
    expect(payloads('orders.seen')).toEqual([{ id: 'remote:s1:1002' }]);
  });

  it('shows no notice for a dismissed twin', async () => {
    const twin = makeOrder({ id: 't', phase: 'rejected', refund: 0.5, twin: { of: 'order-1', foundAt: NOW, reportedAt: NOW, dismissedAt: NOW } });
    const { root } = await renderPopup({ orders: [twin] });
    expect(root.querySelector('[data-testid="twin-notices"]')).toBeNull();
  });
});

describe('"Get number" while this site\'s number still waits', () => {
  it('says nothing was bought, shows that order, and offers "Get another"', async () => {
    const waiting = makeOrder({ id: 'waiting-1' });
    const { root, payloads } = await renderPopup({
      orders: [waiting],
      handlers: { 'orders.buy': (request) => (request.another ? makeOrder({ id: request.intentId, number: '2055550199', createdAt: NOW }) : waiting) },
    });
    await click(root.querySelector<HTMLButtonElement>('form.buy button[type="submit"]')!);
    const note = root.querySelector('[data-testid="still-waiting"]');
    expect(text(note)).toContain('Nothing was bought: your Google number for google.com is still waiting for its SMS.');
    expect(root.querySelector('[data-order-id="waiting-1"]')).not.toBeNull();
    await click(button(note!, 'Get another'));
    expect(payloads('orders.buy').map((p) => p.another ?? false)).toEqual([false, true]);
    expect(root.querySelector('[data-testid="still-waiting"]')).toBeNull();
  });
});

describe('a number the page would not take', () => {
  it('says so on the order, beside the number\'s Copy', async () => {
    const { root } = await renderPopup({ orders: [makeOrder({ phoneFillProblem: 'the page shows another country or number' })] });
    const order = root.querySelector('[data-order-id="order-1"]')!;
    expect(text(order.querySelector('[data-testid="phone-not-filled"]'))).toContain('Not filled in the page: the page shows another country or number');
    expect(button(order, 'Copy number')).toBeDefined();
  });
});
