// @vitest-environment happy-dom
/**
 * What a first-time user ran into in the popup (issue 13), as component
 * tests: the service picker's keyboard, local checks with clear messages,
 * offline feedback and wording.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { act } from 'preact/test-utils';
import { button, card, cleanup, click, Failure, field, flush, googleInfo, key, makeOrder, NOW, openTab, renderPopup, signedIn, signedOut, text, type } from './popup-harness';

afterEach(cleanup);

const buyButton = (root: HTMLElement) => root.querySelector<HTMLButtonElement>('form.buy button[type="submit"]')!;
const serviceName = (root: HTMLElement) => text(root.querySelector('[data-testid="service-name"]'));

/** What a key press does to the page: its character goes into whatever has focus, if that takes text. */
function pressKey(char: string): void {
  const target = document.activeElement;
  if (target instanceof HTMLInputElement) {
    target.value += char;
    target.dispatchEvent(new Event('input', { bubbles: true }));
  }
}

describe('the service picker', () => {
  it('has its search box focused as soon as it renders, so keys typed right after the click land', async () => {
    const { root } = await renderPopup();
    const trigger = root.querySelector<HTMLButtonElement>('.service-button')!;
    trigger.focus();
    // No act() and no timers: only the microtask in which Preact renders runs before the first key.
    trigger.click();
    await Promise.resolve();
    await Promise.resolve();
    for (const char of 'Other') pressKey(char);
    await flush();
    const search = field(root, 'Search services');
    expect(search.value).toBe('Other');
    await key(search, 'Enter');
    expect(serviceName(root)).toBe('Other');
  });

  it('highlights nothing for an empty search, so Enter picks nothing and says what to do', async () => {
    const { root, payloads } = await renderPopup();
    await click(root.querySelector<HTMLButtonElement>('.service-button')!);
    const search = field(root, 'Search services');
    expect(root.querySelector('[role="option"][aria-selected="true"]')).toBeNull();
    expect(search.hasAttribute('aria-activedescendant')).toBe(false);
    await key(search, 'Enter');
    expect(root.querySelector('[role="dialog"]')).not.toBeNull();
    expect(text(root.querySelector('[role="dialog"]'))).toContain('Type a name, or use the arrow keys');
    expect(payloads('site.setChoice')).toEqual([]);

    // The arrows start from the current service, which is then highlighted and picked by Enter.
    await key(search, 'ArrowDown');
    expect(text(root.querySelector('[role="option"][aria-selected="true"] .name'))).toBe('Google');
    await key(search, 'ArrowDown');
    expect(text(root.querySelector('[role="option"][aria-selected="true"] .name'))).toBe('Amazon');
    await key(search, 'Enter');
    expect(serviceName(root)).toBe('Amazon');
  });
});

describe('checks before anything is sent', () => {
  it('names an area code Text2FA would refuse, and buys nothing', async () => {
    const { root, payloads } = await renderPopup();
    await click(root.querySelector<HTMLInputElement>('input[type="radio"][value="s2"]')!);
    await type(field(root, 'Area codes (optional)'), '212, 100');
    expect(text(root.querySelector('.field-error'))).toContain('“100” is not a US area code');
    expect(buyButton(root).disabled).toBe(true);
    await type(field(root, 'Area codes (optional)'), Array.from({ length: 11 }, (_, i) => String(300 + i)).join(','));
    expect(text(root.querySelector('.field-error'))).toContain('That is 11 area codes; Text2FA takes at most 10.');
    expect(payloads('orders.buy')).toEqual([]);
  });

  it('says a 422 once, and offers no Retry that could not help', async () => {
    const message = 'Text2FA rejected the request: The areas must be comma-separated 3-digit US area codes.';
    const { root, payloads } = await renderPopup({
      handlers: {
        'orders.buy': () => {
          throw new Failure('validation', message, { fieldErrors: { areas: ['The areas must be comma-separated 3-digit US area codes.'] } });
        },
      },
    });
    await click(root.querySelector<HTMLInputElement>('input[type="radio"][value="s2"]')!);
    await click(buyButton(root));
    const alert = root.querySelector('form.buy [role="alert"]')!;
    expect(text(alert)).toBe(message);
    expect(alert.querySelector('button')).toBeNull();
    expect(payloads('orders.buy')).toHaveLength(1);
  });

  it('Setup says what is wrong with an empty or impossible token instead of doing nothing', async () => {
    const { root, staged, payloads } = await renderPopup({ session: signedOut, cachedAccount: null });
    await click(button(root, 'Save token'));
    expect(text(root.querySelector('#setup-error'))).toContain('Paste your API token');
    expect(field(root, 'API token').getAttribute('aria-invalid')).toBe('true');
    await type(field(root, 'API token'), 'x'.repeat(20_000));
    expect(root.querySelector('#setup-error')).toBeNull();
    await click(button(root, 'Save token'));
    expect(text(root.querySelector('#setup-error'))).toContain('That is 20,000 characters; an API token is at most 512.');
    expect(staged).toEqual([]);
    expect(payloads('session.setToken')).toEqual([]);
  });
});

describe('when Text2FA does not answer', () => {
  const unreachable = () => {
    throw new Failure('network', 'Could not reach Text2FA. Check your internet connection and try again.');
  };
  const sayings = (root: HTMLElement) => [...root.querySelectorAll('[role="alert"]')].filter((a) => /could not be reached|reach Text2FA/i.test(text(a)));

  it('says so once for the whole popup, however many parts got no answer, and a purchase in doubt is not a live number', async () => {
    const { root, items } = await renderPopup({
      handlers: { 'orders.sync': unreachable, 'account.refresh': unreachable, 'catalog.services': unreachable, 'orders.buy': unreachable },
      info: { ...googleInfo, matches: { s1: null, s2: null, rental: null } },
    });
    expect(sayings(root)).toHaveLength(1);
    expect(text(root)).toContain('The S1 services could not be loaded');
    expect(text(root)).not.toContain('No S1 service matched');

    // What the engine leaves after a purchase whose answer was lost.
    const uncertain = makeOrder({ phase: 'purchasing', number: null, orderId: null, error: { kind: 'network', message: 'Could not reach Text2FA.', at: NOW } });
    await act(async () => items.orderBook.set({ orders: [uncertain] }));
    await flush();
    expect(sayings(root)).toHaveLength(1);
    expect(text(card(root, 'order-1').querySelector('[data-testid="order-status"]'))).toBe('Checking with Text2FA');
    expect(text(card(root, 'order-1'))).not.toContain('Getting your number');
    expect(root.querySelector('[role="tab"] .badge')).toBeNull();
    await openTab(root, 'Orders');
    expect(text(root.querySelector('#orders-title'))).toContain('(0 live)');
    expect(sayings(root)).toHaveLength(1);
  });

  it('says it once on the Account tab and on the shortcut’s confirmation too', async () => {
    const problem = { kind: 'network', message: 'Could not reach Text2FA. Check your internet connection and try again.', at: NOW };
    const { root } = await renderPopup({ session: { ...signedIn, problem } });
    await openTab(root, 'Account');
    expect(sayings(root)).toHaveLength(1);

    const confirm = await renderPopup({ pending: { tabId: 7, at: NOW }, handlers: { 'catalog.services': unreachable, 'orders.sync': unreachable } });
    expect(text(confirm.root)).toContain('Get a number for google.com?');
    expect(sayings(confirm.root)).toHaveLength(1);
  });

  it('"Check now" asks Text2FA even right after the popup’s own check, and says when it tried', async () => {
    let answer = false;
    const { root, payloads, clock } = await renderPopup({ handlers: { 'orders.sync': () => (answer ? null : unreachable()) } });
    await openTab(root, 'Orders');
    clock.now = NOW + 5_000;
    await click(button(root, 'Check now'));
    expect(payloads('orders.sync')).toEqual([{}, { force: true }]);
    expect(text(root.querySelector('[data-testid="last-check"]'))).toBe(`Last tried at ${new Date(NOW + 5_000).toLocaleTimeString()}.`);
    expect(sayings(root)).toHaveLength(1);
    answer = true;
    clock.now = NOW + 9_000;
    await click(button(root, 'Check now'));
    expect(text(root.querySelector('[data-testid="last-check"]'))).toBe(`Checked with Text2FA at ${new Date(NOW + 9_000).toLocaleTimeString()}.`);
    expect(sayings(root)).toHaveLength(0);
  });
});

describe('wording', () => {
  it('counts one message as "1 message" in the history', async () => {
    const message = (id: string) => ({ id, from: 'Uber', text: `Code ${id}`, code: null, receivedAt: NOW, seenAt: NOW });
    const { root } = await renderPopup({
      history: [
        makeOrder({ id: 'one', pool: 'rental', phase: 'expired', messages: [message('1')] }),
        makeOrder({ id: 'two', pool: 'rental', phase: 'expired', messages: [message('2'), message('3')], createdAt: NOW - 60_000 }),
      ],
    });
    await openTab(root, 'History');
    const rows = [...root.querySelectorAll('.past-row')].map((row) => text(row));
    expect(rows[0]).toContain('1 message');
    expect(rows[0]).not.toContain('1 messages');
    expect(rows[1]).toContain('2 messages');
  });

  it('links a spending-limit refusal to the limit in the options', async () => {
    const { root, env } = await renderPopup({
      handlers: {
        'orders.buy': () => {
          throw new Failure('spending_limit', 'This would pass your spending limit of $5.00 in 24 hours ($4.80 spent).');
        },
      },
    });
    const opened: Array<string | undefined> = [];
    env.openOptions = (section) => void opened.push(section);
    await click(buyButton(root));
    const alert = root.querySelector('form.buy [role="alert"]') as HTMLElement;
    expect(text(alert)).toBe('This would pass your spending limit of $5.00 in 24 hours ($4.80 spent). Change it in the options');
    await click(button(alert, 'Change it in the options'));
    expect(opened).toEqual(['orders']);
  });
});
