// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { act } from 'preact/test-utils';
import type { BuyRequest } from '@/utils/messaging';
import type { Order } from '@/utils/orders/model';
import { DEFAULT_SETTINGS } from '@/utils/storage';
import {
  button,
  card,
  choose,
  cleanup,
  click,
  field,
  Failure,
  flush,
  googleInfo,
  key,
  makeOrder,
  noSiteInfo,
  NOW,
  queryButton,
  renderPopup,
  text,
  type,
} from './popup-harness';

afterEach(cleanup);

const buyButton = (root: HTMLElement) => root.querySelector<HTMLButtonElement>('form.buy button[type="submit"]')!;
const serviceName = (root: HTMLElement) => text(root.querySelector('[data-testid="service-name"]'));

/** A fake `orders.buy` that answers with an order made from the request. */
function bought(request: BuyRequest, patch: Partial<Order> = {}): Order {
  return makeOrder({
    id: request.intentId,
    pool: request.pool,
    serviceKey: request.serviceKey,
    serviceName: request.serviceName,
    createdAt: NOW,
    ...patch,
  });
}

describe('This site', () => {
  it('shows the site, its matched service with price and stock, and one button to buy', async () => {
    const { root, payloads } = await renderPopup();
    expect(text(root.querySelector('[data-testid="site-key"]'))).toBe('google.com');
    expect(serviceName(root)).toBe('Google');
    expect(text(root.querySelector('.service-button'))).toContain('$0.50 · 120 left');
    expect(text(root)).toContain('Matched to google.com.');
    expect(text(buyButton(root))).toBe('Get number — $0.50');
    expect(buyButton(root).disabled).toBe(false);
    expect(payloads('site.info')).toEqual([{ tabId: 7 }]);
    expect(payloads('catalog.services')).toContainEqual({ pool: 's1' });
    expect(payloads('catalog.regions')).toEqual([{ kind: 'us' }]);
    expect(payloads('orders.sync')).toHaveLength(1);
  });

  it('says when the page is not a web site, and still lets the user pick a service and buy', async () => {
    const { root, payloads } = await renderPopup({ info: noSiteInfo, handlers: { 'orders.buy': (r) => bought(r) } });
    expect(text(root.querySelector('[data-testid="no-site"]'))).toContain("isn't a web site");
    expect(serviceName(root)).toBe('Choose a service');
    expect(buyButton(root).disabled).toBe(true);
    expect(text(root)).toContain('Choose a service first.');

    await click(root.querySelector<HTMLButtonElement>('.service-button')!);
    const search = field(root, 'Search services');
    await type(search, 'amaz');
    await key(search, 'Enter');
    expect(serviceName(root)).toBe('Amazon');
    expect(text(buyButton(root))).toBe('Get number — $0.40');
    // No site to remember the choice for.
    expect(payloads('site.setChoice')).toEqual([]);

    await click(buyButton(root));
    const [request] = payloads('orders.buy');
    expect(request).toMatchObject({ pool: 's1', serviceKey: 'amzn01', serviceName: 'Amazon', expectedPrice: 0.4 });
    expect(request).not.toHaveProperty('tabId');
  });

  it('says when no service matched a web site', async () => {
    const { root } = await renderPopup({
      info: { url: 'https://example.org/', siteKey: 'example.org', matches: { s1: null, s2: null, rental: null }, choices: {} },
    });
    expect(text(root)).toContain('No S1 service matched example.org. Pick the one you need.');
    expect(buyButton(root).disabled).toBe(true);
  });

  it('uses the remembered choice for the site (its pool too), and can forget it', async () => {
    const { root, payloads } = await renderPopup({
      info: { ...googleInfo, choices: { s2: { pool: 's2', serviceKey: 'amzn02', serviceName: 'Amazon' } } },
    });
    expect(root.querySelector<HTMLInputElement>('input[type="radio"][value="s2"]')!.checked).toBe(true);
    expect(serviceName(root)).toBe('Amazon');
    expect(text(root)).toContain('Your choice for google.com.');
    expect(text(buyButton(root))).toBe('Get number — $0.30');

    await click(button(root, 'Forget'));
    expect(payloads('site.setChoice')).toEqual([{ siteKey: 'google.com', pool: 's2', choice: null }]);
    expect(serviceName(root)).toBe('Google');
    expect(text(root)).toContain('Matched to google.com.');
  });

  it('searches the pool in the picker, moves with the arrows, picks with Enter and remembers the pick', async () => {
    const { root, payloads } = await renderPopup();
    const trigger = root.querySelector<HTMLButtonElement>('.service-button')!;
    await click(trigger);
    const dialog = root.querySelector('[role="dialog"]')!;
    expect(text(dialog)).toContain('Choose a service (S1)');
    const search = field(root, 'Search services');
    expect(document.activeElement).toBe(search);

    await type(search, 'whats');
    const options = [...dialog.querySelectorAll('[role="option"]')];
    expect(options.map((o) => text(o.querySelector('.name')))).toEqual(['WhatsApp', 'WhatsApp Business']);
    expect(search.getAttribute('aria-activedescendant')).toBe(options[0]!.id);
    await key(search, 'ArrowDown');
    expect(search.getAttribute('aria-activedescendant')).toBe(options[1]!.id);
    await key(search, 'Enter');

    expect(root.querySelector('[role="dialog"]')).toBeNull();
    expect(serviceName(root)).toBe('WhatsApp Business');
    expect(payloads('site.setChoice')).toEqual([
      { siteKey: 'google.com', pool: 's1', choice: { pool: 's1', serviceKey: 'wapb01', serviceName: 'WhatsApp Business' } },
    ]);
    expect(document.activeElement).toBe(trigger);
  });

  it('keeps the S1 choice when a rental service is picked for the same site, and forgets per kind (issue 18)', async () => {
    const { root, payloads } = await renderPopup({
      info: { ...googleInfo, choices: { s1: { pool: 's1', serviceKey: 'amzn01', serviceName: 'Amazon' } } },
    });
    expect(serviceName(root)).toBe('Amazon');
    await click(root.querySelector<HTMLInputElement>('input[type="radio"][value="rental"]')!);
    // No rental pick yet: the rental match, not the S1 choice.
    expect(serviceName(root)).toBe('Google');
    await click(root.querySelector<HTMLButtonElement>('.service-button')!);
    const search = field(root, 'Search services');
    await type(search, 'uber');
    await key(search, 'Enter');
    expect(serviceName(root)).toBe('Uber');
    expect(payloads('site.setChoice')).toEqual([
      { siteKey: 'google.com', pool: 'rental', choice: { pool: 'rental', serviceKey: 'uber03', serviceName: 'Uber' } },
    ]);

    await click(root.querySelector<HTMLInputElement>('input[type="radio"][value="s1"]')!);
    expect(serviceName(root)).toBe('Amazon');
    expect(text(root)).toContain('Your choice for google.com.');
    await click(button(root, 'Forget'));
    expect(payloads('site.setChoice').at(-1)).toEqual({ siteKey: 'google.com', pool: 's1', choice: null });
    expect(serviceName(root)).toBe('Google');
    await click(root.querySelector<HTMLInputElement>('input[type="radio"][value="rental"]')!);
    expect(serviceName(root)).toBe('Uber');
  });

  it('opens on the default kind when the site has a pick for it, else on the kind it has one for', async () => {
    const s1 = { pool: 's1' as const, serviceKey: 'amzn01', serviceName: 'Amazon' };
    const rental = { pool: 'rental' as const, serviceKey: 'uber03', serviceName: 'Uber' };
    const both = await renderPopup({ info: { ...googleInfo, choices: { s1, rental } } });
    expect(both.root.querySelector<HTMLInputElement>('input[type="radio"][value="s1"]')!.checked).toBe(true);
    cleanup();
    const rentedOnly = await renderPopup({ info: { ...googleInfo, choices: { rental } } });
    expect(rentedOnly.root.querySelector<HTMLInputElement>('input[type="radio"][value="rental"]')!.checked).toBe(true);
    expect(serviceName(rentedOnly.root)).toBe('Uber');
  });

  it('closes the picker with Esc without changing the service, and will not pick a sold-out one', async () => {
    const { root, payloads } = await renderPopup();
    await click(root.querySelector<HTMLButtonElement>('.service-button')!);
    const search = field(root, 'Search services');
    await type(search, 'kraken');
    expect(text(root.querySelector('[role="option"]'))).toContain('Sold out');
    await key(search, 'Enter');
    expect(root.querySelector('[role="dialog"]')).not.toBeNull();
    await key(search, 'Escape');
    expect(root.querySelector('[role="dialog"]')).toBeNull();
    expect(serviceName(root)).toBe('Google');
    expect(payloads('site.setChoice')).toEqual([]);
  });

  it('shows the purchase pending, then the number large with Copy; every click is a new intent', async () => {
    let answer: (order: Order) => void = () => {};
    const { root, payloads, items, copied } = await renderPopup({
      handlers: { 'orders.buy': () => new Promise<Order>((resolve) => (answer = resolve)) },
    });
    await click(buyButton(root));
    expect(text(buyButton(root))).toBe('Getting number…');
    expect(buyButton(root).disabled).toBe(true);
    const [request] = payloads('orders.buy');
    expect(request).toEqual({
      intentId: 'intent-1',
      pool: 's1',
      serviceKey: 'goog01',
      serviceName: 'Google',
      expectedPrice: 0.5,
      tabId: 7,
    });

    const order = bought(request!);
    await act(async () => {
      items.orderBook.set({ orders: [order] });
      answer(order);
    });
    await flush();
    const shown = card(root, 'intent-1');
    expect(text(shown.querySelector('[data-testid="order-number"]'))).toBe('(205) 555-0123');
    expect(text(shown)).toContain('Waiting for the SMS');
    await click(button(shown, 'Copy number'));
    expect(copied).toEqual(['2055550123']);

    expect(text(buyButton(root))).toBe('Get number — $0.50');
    await click(buyButton(root));
    expect(payloads('orders.buy').map((r) => r.intentId)).toEqual(['intent-1', 'intent-2']);
  });

  const errors: Array<[string, Failure | Error, string]> = [
    ['insufficient_balance', new Failure('insufficient_balance', 'Your Text2FA balance is too low for this number.'), 'balance is too low'],
    ['unavailable', new Failure('unavailable', 'No numbers are available for this service right now.'), 'No numbers are available'],
    ['busy', new Failure('busy', 'Another number is being bought right now. Wait a moment.'), 'being bought right now'],
    ['rate_limited', new Failure('rate_limited', 'Too many requests.', { retryAfterMs: 3000 }), 'Try again in 3 s'],
    ['unauthorized', new Failure('unauthorized', 'Text2FA did not accept the API token.'), 'did not accept the API token'],
    ['no_token', new Failure('no_token', 'Add your Text2FA API token first.'), 'Add your Text2FA API token first.'],
    ['extension', new Error('Receiving end does not exist.'), "background did not answer"],
    ['malformed', new Failure('malformed', 'Text2FA sent an answer the extension could not understand (HTTP 200).'), 'could not understand'],
  ];
  it.each(errors)('shows a %s error inline with a retry that buys with a new intent', async (_kind, failure, words) => {
    let calls = 0;
    const { root, payloads } = await renderPopup({
      handlers: {
        'orders.buy': (r) => {
          calls += 1;
          if (calls === 1) throw failure;
          return bought(r);
        },
      },
    });
    await click(buyButton(root));
    const alert = root.querySelector('form.buy [role="alert"]')!;
    expect(text(alert)).toContain(words);
    if (_kind === 'insufficient_balance') expect(alert.querySelector('a')?.textContent).toBe('Top up');
    if (_kind === 'malformed') {
      // The redacted copy of what Text2FA sent, in the options page.
      expect(alert.querySelector('a')?.textContent).toBe('See what Text2FA sent');
      expect(alert.querySelector('a')?.getAttribute('href')).toBe('/options.html#problems');
    }
    await click(button(alert as HTMLElement, 'Retry'));
    expect(root.querySelector('form.buy [role="alert"]')).toBeNull();
    expect(payloads('orders.buy').map((r) => r.intentId)).toEqual(['intent-1', 'intent-2']);
  });

  // Sending the same request again cannot help these: the input or the limit must change first.
  it.each([
    ['validation', new Failure('validation', 'Text2FA rejected the request: The state is not valid.', { fieldErrors: { state: ['The state is not valid.'] } })],
    ['spending_limit', new Failure('spending_limit', 'This would pass your spending limit of $5.00 in 24 hours ($4.80 spent).')],
  ])('shows a %s refusal inline without a Retry', async (_kind, failure) => {
    const { root } = await renderPopup({ handlers: { 'orders.buy': () => { throw failure; } } });
    await click(buyButton(root));
    const alert = root.querySelector('form.buy [role="alert"]')!;
    expect(text(alert)).toContain(failure.message);
    expect(queryButton(alert as HTMLElement, 'Retry')).toBeNull();
  });

  it('says a purchase that got no answer once, above the views, and its retry buys nothing by itself', async () => {
    const { root, payloads } = await renderPopup({ handlers: { 'orders.buy': () => { throw new Failure('network', 'fetch failed'); } } });
    await click(buyButton(root));
    expect(root.querySelector('form.buy [role="alert"]')).toBeNull();
    const banner = root.querySelector('[data-testid="connection"]') as HTMLElement;
    expect(text(banner)).toContain('could not be reached');
    expect([...root.querySelectorAll('[role="alert"]')].filter((a) => /reached|answer/.test(text(a)))).toHaveLength(1);
    await click(button(banner, 'Try again'));
    expect(payloads('orders.buy')).toHaveLength(1);
    expect(root.querySelector('[data-testid="connection"]')).toBeNull();
  });

  it('says "offline" once, in the offline notice, for a network error while the browser is offline', async () => {
    const { root } = await renderPopup({
      online: false,
      handlers: {
        'orders.buy': () => {
          throw new Failure('network', 'fetch failed');
        },
      },
    });
    await click(buyButton(root));
    expect(text(root.querySelector('[data-testid="offline"]'))).toContain('You are offline');
    expect(root.querySelector('form.buy [role="alert"]')).toBeNull();
    expect(root.querySelector('[data-testid="connection"]')).toBeNull();
  });

  it('sends the S1 state and premium, and adds the premium to the price', async () => {
    const { root, payloads } = await renderPopup({ handlers: { 'orders.buy': (r) => bought(r) } });
    await choose(field<HTMLSelectElement>(root, 'State'), 'AL');
    await type(field(root, 'Premium bid ($)'), '0.25');
    expect(text(buyButton(root))).toBe('Get number — $0.75');
    await click(buyButton(root));
    expect(payloads('orders.buy')[0]).toMatchObject({ state: 'AL', premium: 0.25, expectedPrice: 0.75 });

    await type(field(root, 'Premium bid ($)'), 'lots');
    expect(text(root.querySelector('.field-error'))).toContain('from $0.00 to $50.00');
    expect(buyButton(root).disabled).toBe(true);
  });

  it('validates S2 area codes (3 digits, comma separated) and sends them', async () => {
    const { root, payloads } = await renderPopup({ handlers: { 'orders.buy': (r) => bought(r) } });
    await click(root.querySelector<HTMLInputElement>('input[type="radio"][value="s2"]')!);
    expect(payloads('catalog.services')).toContainEqual({ pool: 's2' });
    expect(serviceName(root)).toBe('Google');
    expect(text(buyButton(root))).toBe('Get number — $0.35');

    const areas = field(root, 'Area codes (optional)');
    await type(areas, '610, 21');
    expect(text(root.querySelector('.field-error'))).toContain('“21” is not a US area code');
    expect(areas.getAttribute('aria-invalid')).toBe('true');
    expect(buyButton(root).disabled).toBe(true);

    await type(areas, '610, 212,610');
    expect(root.querySelector('.field-error')).toBeNull();
    await click(buyButton(root));
    expect(payloads('orders.buy')[0]).toMatchObject({ pool: 's2', serviceKey: 'goog02', areas: ['610', '212'] });
  });

  it('rents for the days the service offers, with a state only when one is picked', async () => {
    const { root, payloads } = await renderPopup({ handlers: { 'orders.buy': (r) => bought(r, { pool: 'rental' }) } });
    await click(root.querySelector<HTMLInputElement>('input[type="radio"][value="rental"]')!);
    expect(payloads('catalog.regions')).toContainEqual({ kind: 'rental' });
    const days = field<HTMLSelectElement>(root, 'Days');
    expect([...days.options].map((o) => o.value)).toEqual(['7', '14', '30', '90']);
    expect(days.value).toBe('7');
    expect(text(buyButton(root))).toBe('Rent number — $3.50');
    await click(buyButton(root));
    expect(payloads('orders.buy')[0]).toMatchObject({ pool: 'rental', serviceKey: 'goog03', duration: 7, expectedPrice: 3.5 });
    expect(payloads('orders.buy')[0]).not.toHaveProperty('state');

    await choose(days, '14');
    await choose(field<HTMLSelectElement>(root, 'State'), 'TX');
    expect(text(buyButton(root))).toBe('Rent number — $7.00');
    await click(buyButton(root));
    expect(payloads('orders.buy')[1]).toMatchObject({ duration: 14, state: 'TX', expectedPrice: 7 });
  });

  it('starts from the user’s defaults', async () => {
    const { root } = await renderPopup({
      settings: { ...DEFAULT_SETTINGS, defaults: { ...DEFAULT_SETTINGS.defaults, pool: 's2', areas: ['610'] } },
    });
    expect(root.querySelector<HTMLInputElement>('input[type="radio"][value="s2"]')!.checked).toBe(true);
    expect(field(root, 'Area codes (optional)').value).toBe('610');
  });

  it('shows the site’s live number and rejects it for another one of the same', async () => {
    const order = makeOrder();
    const { root, payloads } = await renderPopup({
      orders: [order],
      handlers: {
        'orders.reject': () => ({ ...order, rejectRetryAt: NOW + 15_000 }),
        'orders.buy': (r) => bought(r, { number: '2055550177' }),
      },
    });
    const shown = card(root, 'order-1');
    expect(text(shown.querySelector('[data-testid="order-number"]'))).toBe('(205) 555-0123');
    await click(button(shown, 'Reject and get another'));
    expect(payloads('orders.reject')).toEqual([{ id: 'order-1' }]);
    expect(payloads('orders.buy')).toEqual([
      { pool: 's1', serviceKey: 'goog01', serviceName: 'Google', expectedPrice: 0.5, tabId: 7, intentId: 'intent-1', another: true },
    ]);
  });

  it('does not buy another when the reject is refused', async () => {
    const { root, payloads } = await renderPopup({
      orders: [makeOrder()],
      handlers: {
        'orders.reject': () => {
          throw new Failure('not_allowed', 'A code already arrived for this number, so it can no longer be rejected.');
        },
      },
    });
    await click(button(card(root, 'order-1'), 'Reject and get another'));
    expect(text(root.querySelector('form.buy [role="alert"]'))).toContain('can no longer be rejected');
    expect(payloads('orders.buy')).toEqual([]);
  });
});

describe('the "Get a number" shortcut', () => {
  it('shows the site’s service and price with the purchase button focused, and buys on Enter', async () => {
    const { root, payloads, items } = await renderPopup({
      pending: { tabId: 9, at: NOW - 2_000 },
      handlers: { 'orders.buy': (r) => bought(r) },
    });
    expect(text(root.querySelector('#confirm-title'))).toBe('Get a number for google.com?');
    expect(payloads('shortcut.take')).toHaveLength(1);
    expect(items.pending.value).toBeNull();
    expect(payloads('site.info')).toEqual([{ tabId: 9 }]);
    expect(serviceName(root)).toBe('Google');
    const focused = document.activeElement as HTMLButtonElement;
    expect(text(focused)).toBe('Get number — $0.50');

    // Enter on a focused button is its click.
    await click(focused);
    expect(payloads('orders.buy')[0]).toMatchObject({ serviceKey: 'goog01', tabId: 9, expectedPrice: 0.5 });
    expect(root.querySelector('#confirm-title')).toBeNull();
    expect(root.querySelector('[role="tablist"]')).not.toBeNull();
  });

  it('goes back to the usual popup on Esc without buying', async () => {
    const { root, payloads } = await renderPopup({ pending: { tabId: 9, at: NOW - 2_000 } });
    await key(document.activeElement!, 'Escape');
    expect(root.querySelector('#confirm-title')).toBeNull();
    expect(queryButton(root, 'This site')).not.toBeNull();
    expect(payloads('orders.buy')).toEqual([]);
  });

  it('ignores (and clears) a stale shortcut', async () => {
    const { root, payloads } = await renderPopup({ pending: { tabId: 9, at: NOW - 10 * 60_000 } });
    expect(root.querySelector('#confirm-title')).toBeNull();
    expect(payloads('shortcut.take')).toHaveLength(1);
    expect(payloads('site.info')).toEqual([{ tabId: 7 }]);
  });
});
