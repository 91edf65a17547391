/**
 * Keyboard shortcuts, the context menu and a code notification's click, in
 * Chromium and Firefox. Neither browser lets a test press an extension's
 * shortcut, so the background's test hook fires the handler the browser's
 * event would (utils/background/test-hooks.ts); everything after is the
 * product's own path.
 */
import { buyFor, expect, fixtureState, readOrders, test } from '../harness';

test('"Fill the latest code" fills the focused field on the ordering site when automatic filling is off', async ({ signedIn, fixtures, sim }) => {
  expect((await signedIn.send('settings.update', { patch: { autofill: false } })).ok).toBe(true);
  const { page, tabId } = await signedIn.openTab(fixtures.url('shop.test', '/label-only/'));
  const order = await buyFor(signedIn, tabId, 'shortcut-fill');
  await sim.sms({ order_id: Number(order.orderId), text: 'Your verification code is 665544' });
  await expect.poll(async () => (await readOrders(signedIn))[0]?.phase, { timeout: 20_000 }).toBe('received');
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(await fixtureState(page)).toBe('');

  await page.focus('input');
  await signedIn.hook('command', { command: 'fill-code', tabId });
  await expect.poll(() => fixtureState(page), { timeout: 20_000 }).toBe('665544');
});

test('"Get a number" with confirmation on buys nothing and leaves the confirmation to the popup', async ({ signedIn, fixtures, sim }) => {
  const { tabId } = await signedIn.openTab(fixtures.url('shop.test', '/label-only/'));
  await signedIn.hook('command', { command: 'get-number', tabId });
  // The popup opened for the confirming Enter and took the pending purchase; or, where the browser
  // would not open it from here, the purchase waits for the popup and a notification says so.
  const handedOver = () =>
    signedIn.control.evaluate(async () => {
      const api = ((globalThis as { browser?: unknown }).browser ?? (globalThis as { chrome?: unknown }).chrome) as {
        extension: { getViews(q: object): unknown[] };
        notifications: { getAll(): Promise<Record<string, unknown>> };
        storage: { session: { get(k: string): Promise<Record<string, { tabId: number } | undefined>> } };
      };
      return {
        popups: api.extension.getViews({ type: 'popup' }).length,
        pending: (await api.storage.session.get('pendingShortcutPurchase')).pendingShortcutPurchase?.tabId ?? null,
        notified: 'confirm-shortcut-purchase' in (await api.notifications.getAll()),
      };
    });
  await expect
    .poll(async () => {
      const state = await handedOver();
      return state.popups > 0 || (state.pending === tabId && state.notified);
    })
    .toBe(true);
  expect((await sim.counters()).purchases).toBe(0);
});

test('"Get a number" with confirmation off buys the site\'s service and fills the number', async ({ signedIn, fixtures, sim }) => {
  const { page, tabId } = await signedIn.openTab(fixtures.url('shop.test', '/phone-country/'));
  const services = await signedIn.send('catalog.services', { pool: 's1' });
  const google = (services.data as { key: string; name: string }[]).find((s) => s.name === 'Google')!;
  const choice = { pool: 's1', serviceKey: google.key, serviceName: 'Google' };
  expect((await signedIn.send('site.setChoice', { siteKey: 'shop.test', pool: 's1', choice })).ok).toBe(true);
  expect((await signedIn.send('settings.update', { patch: { confirmBeforeBuying: false } })).ok).toBe(true);

  await signedIn.hook('command', { command: 'get-number', tabId });
  await expect.poll(async () => (await readOrders(signedIn)).length, { timeout: 20_000 }).toBe(1);
  const [order] = await readOrders(signedIn);
  expect(order).toMatchObject({ serviceName: 'Google', site: { siteKey: 'shop.test', tabId } });
  await expect.poll(() => fixtureState(page), { timeout: 20_000 }).toBe(`+1${order!.number}`);
  expect((await sim.counters()).purchases).toBe(1);
});

test('the context menu fills the number into the field that was right-clicked', async ({ signedIn, fixtures }) => {
  expect((await signedIn.send('settings.update', { patch: { fillPhone: false } })).ok).toBe(true);
  const { page, tabId } = await signedIn.openTab(fixtures.url('shop.test', '/phone-international/'));
  const order = await buyFor(signedIn, tabId, 'menu-fill');
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(await fixtureState(page)).toBe('');

  // A right-click focuses the field it lands on; the menu's click then fills the focused field.
  await page.focus('input[type=tel], input[autocomplete=tel]');
  await signedIn.hook('menu', { menuItemId: 't2fa-fill-number', frameId: 0, tabId });
  await expect.poll(() => fixtureState(page), { timeout: 20_000 }).toBe(`+1${order.number}`);
});

test('clicking a code notification copies the code and brings the ordering tab to the front', async ({ signedIn, fixtures, sim }) => {
  expect((await signedIn.send('settings.update', { patch: { autofill: false } })).ok).toBe(true);
  const { page: ordering, tabId } = await signedIn.openTab(fixtures.url('shop.test', '/label-only/'));
  const order = await buyFor(signedIn, tabId, 'notified');
  const { page: elsewhere } = await signedIn.openTab(fixtures.url('other.test', '/label-only/'));
  await elsewhere.bringToFront();
  const activeTabs = () =>
    signedIn.control.evaluate(async () => {
      const api = ((globalThis as { browser?: unknown }).browser ?? (globalThis as { chrome?: unknown }).chrome) as {
        tabs: { query(q: object): Promise<{ id?: number }[]> };
      };
      return (await api.tabs.query({ active: true })).map((tab) => tab.id);
    });
  await expect.poll(activeTabs).not.toContain(tabId);

  await sim.sms({ order_id: Number(order.orderId), text: 'Your code is 775533' });
  await expect.poll(async () => (await readOrders(signedIn))[0]?.unseenCode, { timeout: 20_000 }).toBe('775533');
  await signedIn.hook('notificationClick', { notificationId: 'code:notified' });

  await expect.poll(activeTabs, { timeout: 10_000 }).toContain(tabId);
  await expect.poll(async () => (await readOrders(signedIn))[0]?.unseenCode).toBeNull();
  // Filling was off: the code went to the clipboard, not into the page, and the user pastes it.
  expect(await fixtureState(ordering)).toBe('');
  await ordering.bringToFront();
  await ordering.focus('input');
  await ordering.press('Control+V');
  await expect.poll(() => fixtureState(ordering)).toBe('775533');
});
