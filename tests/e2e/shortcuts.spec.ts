/**
 * Keyboard shortcuts and the context menu in the real extension. Playwright's
 * keyboard cannot press browser shortcuts, so the tests fire the same events
 * the browser fires (`commands.onCommand`, `contextMenus.onClicked`) inside
 * the service worker; everything after that is the product's own path.
 */
import { execFileSync } from 'node:child_process';
import type { Page, Worker } from '@playwright/test';
import { startFixtureServer, type FixtureServer } from '../support/fixture-server';
import { SimControl } from '../support/sim-control';
import { buyGoogle, expect, readOrders, send, test, newestTabId, googleKey, fixtureState } from './fixtures';

let fixtures: FixtureServer;

test.beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build-fixtures.mjs'], { stdio: ['ignore', 'ignore', 'inherit'] });
  fixtures = await startFixtureServer({ port: 0 });
});
test.afterAll(() => fixtures.close());


type Dispatchable = { dispatch(...args: unknown[]): void };

/** Fires a browser event in the worker as the browser would. */
async function fire(worker: Worker, event: 'commands.onCommand' | 'contextMenus.onClicked' | 'notifications.onClicked', args: unknown[]): Promise<void> {
  await worker.evaluate(
    ({ event, args }) => {
      const [namespace, name] = event.split('.') as [string, string];
      const chrome = (globalThis as unknown as { chrome: Record<string, Record<string, Dispatchable>> }).chrome;
      chrome[namespace]![name]!.dispatch(...args);
    },
    { event, args },
  );
}



test('"Get a number for this site" with confirmation off buys the site\'s service and fills the number', async ({
  context,
  signedIn,
  serviceWorker,
  simulator,
}) => {
  const page = await context.newPage();
  await page.goto(fixtures.url('shop.test', '/phone-country/'));
  const tabId = await newestTabId(signedIn);
  const choice = { pool: 's1', serviceKey: await googleKey(simulator.baseUrl, simulator.demoToken), serviceName: 'Google' };
  expect((await send(signedIn, 'site.setChoice', { siteKey: 'shop.test', choice })).ok).toBe(true);
  expect((await send(signedIn, 'settings.update', { patch: { confirmBeforeBuying: false } })).ok).toBe(true);

  await fire(serviceWorker, 'commands.onCommand', ['get-number', { id: tabId }]);
  await expect.poll(async () => (await readOrders(signedIn)).length, { timeout: 20_000 }).toBe(1);
  const [order] = await readOrders(signedIn);
  expect(order).toMatchObject({ serviceName: 'Google', site: { siteKey: 'shop.test', tabId } });
  await expect.poll(() => fixtureState(page), { timeout: 20_000 }).toBe(`+1${order!.number}`);
  expect((await new SimControl(simulator.url).counters()).purchases).toBe(1);
});

test('"Get a number for this site" with confirmation on waits for the popup and buys nothing yet', async ({
  context,
  signedIn,
  serviceWorker,
  simulator,
}) => {
  const page = await context.newPage();
  await page.goto(fixtures.url('shop.test', '/label-only/'));
  const tabId = await newestTabId(signedIn);
  await fire(serviceWorker, 'commands.onCommand', ['get-number', { id: tabId }]);
  await expect
    .poll(() =>
      signedIn.evaluate(async () => {
        const chrome = (globalThis as unknown as { chrome: { storage: { session: { get(k: string): Promise<Record<string, { tabId: number } | undefined>> } } } }).chrome;
        return (await chrome.storage.session.get('pendingShortcutPurchase')).pendingShortcutPurchase?.tabId;
      }),
    )
    .toBe(tabId);
  expect((await new SimControl(simulator.url).counters()).purchases).toBe(0);
});

test('"Fill the latest code" fills the focused field on the ordering site when automatic filling is off', async ({
  context,
  signedIn,
  serviceWorker,
  simulator,
}) => {
  const sim = new SimControl(simulator.url);
  expect((await send(signedIn, 'settings.update', { patch: { autofill: false } })).ok).toBe(true);
  const page = await context.newPage();
  await page.goto(fixtures.url('shop.test', '/label-only/'));
  const tabId = await newestTabId(signedIn);
  const bought = await buyGoogle(signedIn, await googleKey(simulator.baseUrl, simulator.demoToken), 'shortcut-fill', { tabId });
  await sim.sms({ order_id: Number((bought.data as { orderId: string }).orderId), text: 'Your verification code is 665544' });
  await expect.poll(async () => (await readOrders(signedIn))[0]?.phase, { timeout: 20_000 }).toBe('received');
  await page.waitForTimeout(1_000);
  expect(await fixtureState(page)).toBe('');

  await page.locator('input').first().focus();
  await fire(serviceWorker, 'commands.onCommand', ['fill-code', { id: tabId }]);
  await expect.poll(() => fixtureState(page), { timeout: 20_000 }).toBe('665544');
});

test('the context menu fills the number into the field that was right-clicked', async ({ context, signedIn, serviceWorker, simulator }) => {
  expect((await send(signedIn, 'settings.update', { patch: { fillPhone: false } })).ok).toBe(true);
  const page = await context.newPage();
  await page.goto(fixtures.url('shop.test', '/phone-international/'));
  const tabId = await newestTabId(signedIn);
  const bought = await buyGoogle(signedIn, await googleKey(simulator.baseUrl, simulator.demoToken), 'menu-fill', { tabId });
  expect(bought.ok).toBe(true);
  await page.waitForTimeout(1_000);
  expect(await fixtureState(page)).toBe('');

  await page.locator('input[type=tel], input[autocomplete=tel]').first().click({ button: 'right' });
  await fire(serviceWorker, 'contextMenus.onClicked', [{ menuItemId: 't2fa-fill-number', frameId: 0, editable: true }, { id: tabId }]);
  const number = (bought.data as { number: string }).number;
  await expect.poll(() => fixtureState(page), { timeout: 20_000 }).toBe(`+1${number}`);
});

/** The ids of the tabs the browser has active (the worker may see ids without the `tabs` permission). */
const activeTabs = (worker: Worker) =>
  worker.evaluate(async () => {
    const chrome = (globalThis as unknown as { chrome: { tabs: { query(q: object): Promise<{ id?: number }[]> } } }).chrome;
    return (await chrome.tabs.query({ active: true })).map((tab) => tab.id);
  });

test('clicking a code notification copies the code and brings the ordering tab to the front', async ({ context, signedIn, serviceWorker, simulator }) => {
  expect((await send(signedIn, 'settings.update', { patch: { autofill: false } })).ok).toBe(true);
  const ordering = await context.newPage();
  await ordering.goto(fixtures.url('shop.test', '/label-only/'));
  const orderingTab = await newestTabId(signedIn);
  const bought = await buyGoogle(signedIn, await googleKey(simulator.baseUrl, simulator.demoToken), 'notified', { tabId: orderingTab });
  expect(bought.ok).toBe(true);
  const elsewhere = await context.newPage();
  await elsewhere.goto(fixtures.url('other.test', '/label-only/'));
  await elsewhere.bringToFront();
  await expect.poll(() => activeTabs(serviceWorker)).not.toContain(orderingTab);

  await new SimControl(simulator.url).sms({ order_id: Number((bought.data as { orderId: string }).orderId), text: 'Your code is 775533' });
  await expect.poll(async () => (await readOrders(signedIn))[0]?.unseenCode, { timeout: 20_000 }).toBe('775533');
  await fire(serviceWorker, 'notifications.onClicked', ['code:notified']);

  await expect.poll(() => activeTabs(serviceWorker), { timeout: 10_000 }).toContain(orderingTab);
  await expect.poll(async () => (await readOrders(signedIn))[0]?.unseenCode).toBeNull();
  // Filling was off: the code went to the clipboard, not into the page, and the user pastes it.
  expect(await fixtureState(ordering)).toBe('');
  await ordering.locator('input').first().focus();
  await ordering.keyboard.press('Control+V');
  await expect.poll(() => fixtureState(ordering)).toBe('775533');
});
