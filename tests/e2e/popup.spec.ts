/**
 * The real popup, built in test mode, against the simulator over HTTP.
 *
 * The popup page is opened in a tab of its own, so its "active tab" would be
 * itself: these tests open the site first and hand the popup the site's tab
 * with `popup.html?tab=<id>` (the test hook in components/stores/browser-env.ts).
 * Sites such as accounts.google.com are served by Playwright's routing, so no
 * request leaves the machine.
 *
 * Screenshots of the main states, light and dark, are the README's pictures
 * when `npm run screenshots` runs them (see ./screenshots.ts).
 * Buying S1 and S2 numbers and renting from the popup, and "Reject and get
 * another", run in Chromium and Firefox: tests/e2e/both/popup.spec.ts.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { SimControl } from '../support/sim-control';
import { expect, readOrders, send, test, signIn } from './fixtures';
import { SCREENSHOTS, screenshotPath } from './screenshots';
import { openSite, popupFor } from './ux-driver';


/** Saves the popup as it looks now, in light and in dark. */
async function shoot(page: Page, state: string): Promise<void> {
  // The README shows the popup as people use it every day: the first-run pin hint read (it has its own check in both/setup).
  // Dismissed by message, not by its button, so that focus stays where the test put it.
  const hint = page.getByTestId('pin-hint');
  if (await hint.isVisible()) {
    expect((await send(page, 'ui.dismissPinHint')).ok).toBe(true);
    await expect(hint).toBeHidden();
  }
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: screenshotPath(`popup-${state}-${scheme}.png`), fullPage: true, animations: 'disabled', caret: 'hide' });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** No serious or critical accessibility finding on the page as it is now, in both themes. */
async function expectAccessible(page: Page, label: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const results = await new AxeBuilder({ page }).analyze();
    const bad = results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
    expect(bad, `${label} (${scheme})`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Presses Tab until `target` has focus: keyboard only, like a user would. */
async function tabTo(page: Page, target: Locator, limit = 30): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${String(target)}`);
}

const siteCard = (popup: Page) => popup.locator('.site [data-order-id]');
const orderCard = (popup: Page, id: string) => popup.locator(`[data-order-id="${id}"]`);
const orderIdOf = async (popup: Page, id: string) => Number((await readOrders(popup)).find((o) => o.id === id)!.orderId);

/** Buys on "This site" and returns the new order's local id. */
async function buyHere(popup: Page, label: string | RegExp): Promise<string> {
  const before = new Set((await readOrders(popup)).map((o) => o.id));
  await popup.getByRole('button', { name: label }).click();
  await expect.poll(async () => (await readOrders(popup)).find((o) => !before.has(o.id) && o.phase !== 'purchasing')?.phase).toBeTruthy();
  return (await readOrders(popup)).find((o) => !before.has(o.id))!.id;
}

test('an S1 number for the site in the tab: its code arrives, shows large and is copied', SCREENSHOTS, async ({ context, signedIn, simulator }) => {
  const sim = new SimControl(simulator.url);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const popup = await popupFor(signedIn, await openSite(context));
  await expect(popup.getByTestId('site-key')).toHaveText('google.com');
  await expect(popup.getByTestId('service-name')).toHaveText('Google');
  await expect(popup.getByText('Matched to google.com.')).toBeVisible();
  await shoot(popup, 'site');
  // The other pools' forms, for their screenshots (buying from them, and renting, is tested in both browsers: both/popup.spec.ts).
  await popup.getByRole('radio', { name: 'S2' }).check();
  await popup.getByLabel('Area codes (optional)').fill('610');
  await expect(popup.getByRole('button', { name: 'Get number — $0.45' })).toBeEnabled();
  await shoot(popup, 's2');
  await popup.getByRole('radio', { name: 'Rental' }).check();
  await popup.getByLabel('Days').selectOption('14');
  await popup.getByLabel('State').selectOption('TX');
  await expect(popup.getByRole('button', { name: 'Rent number — $4.20' })).toBeEnabled();
  await shoot(popup, 'rental-form');
  await popup.getByRole('radio', { name: 'S1' }).check();

  const id = await buyHere(popup, 'Get number — $0.50');
  const card = siteCard(popup);
  await expect(card.getByTestId('order-number')).toHaveText(/^\(\d{3}\) 555-01\d\d$/);
  await expect(card.getByTestId('order-status')).toHaveText('Waiting for the SMS');
  await expect(popup.getByTestId('balance')).toHaveText('$49.50');
  const order = (await readOrders(popup)).find((o) => o.id === id)!;
  expect(order.site?.siteKey).toBe('google.com');
  await shoot(popup, 'number');

  await sim.sms({ order_id: Number(order.orderId), text: 'G-554433 is your Google verification code.' });
  await expect(card.getByTestId('order-code')).toHaveText('554433', { timeout: 20_000 });
  await expect(card.getByTestId('order-status')).toHaveText('Code received');
  await shoot(popup, 'code');
  await card.getByRole('button', { name: 'Copy code' }).click();
  await expect(card.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await popup.evaluate(() => navigator.clipboard.readText())).toBe('554433');
  // Shown is seen: the code no longer counts on the badge.
  await expect.poll(async () => (await readOrders(popup)).find((o) => o.id === id)?.unseenCode).toBeNull();
});

test('reject: too early it waits quietly, then the refund shows in the balance', SCREENSHOTS, async ({ context, signedIn, simulator }) => {
  test.setTimeout(90_000);
  const sim = new SimControl(simulator.url);
  const popup = await popupFor(signedIn, await openSite(context));
  const id = await buyHere(popup, 'Get number — $0.50');
  await expect(popup.getByTestId('balance')).toHaveText('$49.50');
  await popup.getByRole('tab', { name: /Orders/ }).click();
  const card = orderCard(popup, id);

  // Within the first minute Text2FA refuses: the engine retries by itself.
  await card.getByRole('button', { name: 'Reject (refund $0.50)' }).click();
  await expect(card.getByTestId('reject-queued')).toContainText('This number will be rejected for its refund');
  await expect(card.getByRole('alert')).toHaveCount(0);
  await shoot(popup, 'rejecting');

  await sim.clock(61_000);
  await expect(card.getByTestId('order-status')).toHaveText('Rejected', { timeout: 45_000 });
  await expect(card).toContainText('$0.50 refunded');
  await expect(popup.getByTestId('balance')).toHaveText('$50.00');
});

test('reuse an S1 number after its code came', async ({ context, signedIn, simulator }) => {
  const sim = new SimControl(simulator.url);
  const popup = await popupFor(signedIn, await openSite(context));
  const id = await buyHere(popup, 'Get number — $0.50');
  await sim.sms({ order_id: await orderIdOf(popup, id), text: 'G-112233 is your Google verification code.' });
  await expect(siteCard(popup).getByTestId('order-code')).toHaveText('112233', { timeout: 20_000 });
  const number = (await readOrders(popup)).find((o) => o.id === id)!.number;

  await siteCard(popup).getByRole('button', { name: 'Reuse number' }).click();
  await expect.poll(async () => (await readOrders(popup)).filter((o) => o.number === number && o.phase === 'waiting').length).toBe(1);
  const reused = (await readOrders(popup)).find((o) => o.id !== id)!;
  expect(reused.number).toBe(number);
  await popup.getByRole('tab', { name: /Orders/ }).click();
  await expect(orderCard(popup, reused.id).getByTestId('order-status')).toHaveText('Waiting for the SMS');
  expect((await sim.counters()).requests['reuse-number-s1']).toBe(1);
});

test('keyboard alone: pick a service, buy, copy, switch sections', async ({ context, signedIn }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const popup = await popupFor(signedIn, await openSite(context));
  await expect(popup.getByTestId('service-name')).toHaveText('Google');

  const trigger = popup.getByRole('button', { name: /^Service/ });
  await tabTo(popup, trigger);
  await popup.keyboard.press('Enter');
  const search = popup.getByRole('combobox', { name: 'Search services' });
  await expect(search).toBeFocused();
  await popup.keyboard.type('amaz');
  await popup.keyboard.press('Escape');
  await expect(search).toHaveCount(0);
  await expect(trigger).toBeFocused();
  await expect(popup.getByTestId('service-name')).toHaveText('Google');

  await popup.keyboard.press('Enter');
  await popup.keyboard.type('amaz');
  await popup.keyboard.press('Enter');
  await expect(popup.getByTestId('service-name')).toHaveText('Amazon');
  await expect(trigger).toBeFocused();
  await expect(popup.getByText('Your choice for google.com.')).toBeVisible();

  const buy = popup.getByRole('button', { name: 'Get number — $0.55' });
  await tabTo(popup, buy);
  await popup.keyboard.press('Enter');
  await expect(siteCard(popup).getByTestId('order-number')).toBeVisible();
  const copy = siteCard(popup).getByRole('button', { name: 'Copy number' });
  await copy.focus();
  await popup.keyboard.press('Enter');
  const number = (await readOrders(popup))[0]!.number;
  expect(await popup.evaluate(() => navigator.clipboard.readText())).toBe(number);

  const siteTab = popup.getByRole('tab', { name: 'This site' });
  await tabTo(popup, siteTab, 60);
  await popup.keyboard.press('ArrowRight');
  await expect(popup.getByRole('tab', { name: /Orders/ })).toBeFocused();
  await expect(popup.getByRole('heading', { name: /Active orders/ })).toBeVisible();
  // The remembered choice is the site's from now on.
  expect((await send(popup, 'site.info', { tabId: Number(new URL(popup.url()).searchParams.get('tab')) })).data).toMatchObject({
    choices: { s1: { pool: 's1', serviceName: 'Amazon' } },
  });
});

test('the "Get a number" shortcut: its confirmation offers the matched service, and Esc leaves without buying', SCREENSHOTS, async ({
  context,
  signedIn,
  simulator,
}) => {
  // One Enter buying from the confirmation runs in both browsers: both/popup.spec.ts.
  const sim = new SimControl(simulator.url);
  const site = await openSite(context);
  await popupFor(signedIn, site);
  // This popup reads (and takes) a pending shortcut as it starts: let it finish starting before one is stored.
  await expect(signedIn.getByTestId('site-key')).toHaveText('google.com');
  await site.bringToFront();
  const tabId = Number(new URL(signedIn.url()).searchParams.get('tab'));
  // What the background stores when the shortcut is pressed with confirmation on.
  await signedIn.evaluate(async (tab) => {
    const chrome = (globalThis as unknown as { chrome: { storage: { session: { set(v: object): Promise<void> } } } }).chrome;
    await chrome.storage.session.set({ pendingShortcutPurchase: { tabId: tab, at: Date.now() } });
  }, tabId);
  const popup = await popupFor(signedIn, null);
  await expect(popup.getByRole('heading', { name: 'Get a number for google.com?' })).toBeVisible();
  await expect(popup.getByRole('button', { name: 'Get number — $0.50' })).toBeFocused();
  await shoot(popup, 'shortcut');
  await popup.keyboard.press('Escape');
  await expect(popup.getByRole('tab', { name: 'This site' })).toBeVisible();
  await expect(popup.getByRole('heading', { name: /Get a number for/ })).toHaveCount(0);
  // Dismissed is taken: reopening does not ask again, and nothing was bought.
  await popup.reload();
  await expect(popup.getByRole('tab', { name: 'This site' })).toBeVisible();
  await expect(popup.getByRole('heading', { name: /Get a number for/ })).toHaveCount(0);
  expect(await readOrders(popup)).toEqual([]);
  expect((await sim.counters()).purchases).toBe(0);
});

test('errors inline with a retry, and offline said clearly', SCREENSHOTS, async ({ context, signedIn, simulator }) => {
  const sim = new SimControl(simulator.url);
  const popup = await popupFor(signedIn, await openSite(context));
  await sim.fault({ fault: '503', endpoint: 'request-number-s1' });
  await popup.getByRole('button', { name: 'Get number — $0.50' }).click();
  const alert = popup.locator('form.buy').getByRole('alert');
  await expect(alert).toBeVisible();
  await shoot(popup, 'error');
  await alert.getByRole('button', { name: 'Retry' }).click();
  await expect(siteCard(popup).getByTestId('order-number')).toBeVisible();
  expect((await sim.counters()).purchases).toBe(1);

  await context.setOffline(true);
  await expect(popup.getByTestId('offline')).toContainText('You are offline');
  await shoot(popup, 'offline');
  await context.setOffline(false);
  await expect(popup.getByTestId('offline')).toHaveCount(0);
});

test('a page that is not a web site says so, and a service can still be picked', SCREENSHOTS, async ({ signedIn }) => {
  // The popup page itself is the active tab here: an extension page, not a web site.
  const popup = await popupFor(signedIn, null);
  await expect(popup.getByTestId('no-site')).toContainText("isn't a web site");
  await expect(popup.getByRole('button', { name: 'Get number' })).toBeDisabled();
  await popup.getByRole('button', { name: /^Service/ }).click();
  await popup.getByRole('combobox', { name: 'Search services' }).fill('tele');
  await shoot(popup, 'picker');
  await popup.getByRole('option', { name: /Telegram/ }).click();
  await expect(popup.getByRole('button', { name: 'Get number — $0.60' })).toBeEnabled();
});

test('history lists finished orders with their codes and totals, searchable', SCREENSHOTS, async ({ context, signedIn, simulator }) => {
  const sim = new SimControl(simulator.url);
  const popup = await popupFor(signedIn, await openSite(context));
  const id = await buyHere(popup, 'Get number — $0.50');
  await sim.sms({ order_id: await orderIdOf(popup, id), text: 'G-998877 is your Google verification code.' });
  await expect(siteCard(popup).getByTestId('order-code')).toHaveText('998877', { timeout: 20_000 });
  await popup.getByRole('radio', { name: 'S2' }).check();
  const second = await buyHere(popup, 'Get number — $0.45');
  await sim.clock(61_000);
  await siteCard(popup).getByRole('button', { name: /^Reject \(refund/ }).click();
  await expect.poll(async () => (await readOrders(popup)).find((o) => o.id === second)?.phase).toBe('rejected');

  await popup.getByRole('tab', { name: 'History' }).click();
  const rows = popup.locator('.past-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('$0.45 back');
  await expect(popup.getByTestId('history-totals')).toContainText('$0.45');
  await sim.clock(21 * 60_000);
  // The S1 number completes when its lifetime ends; it joins history with its code.
  await expect(rows).toHaveCount(2, { timeout: 30_000 });
  await expect(popup.getByTestId('history-totals')).toContainText('$0.95');
  await shoot(popup, 'history');
  await popup.getByLabel('Search history').fill('998877');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('code 998877');
});

test('no serious or critical accessibility findings in the main views', SCREENSHOTS, async ({ context, openPopup, simulator }) => {
  // Fourteen scans (seven views, two themes) take a while on a busy two-core machine.
  test.setTimeout(240_000);
  const sim = new SimControl(simulator.url);
  let popup = await openPopup();
  await popup.setViewportSize({ width: 360, height: 600 });
  await expect(popup.getByRole('heading', { name: 'Connect your Text2FA account' })).toBeVisible();
  await expectAccessible(popup, 'setup');
  await shoot(popup, 'setup');
  expect((await signIn(popup, simulator.demoToken)).ok).toBe(true);

  popup = await popupFor(popup, await openSite(context));
  await expect(popup.getByTestId('service-name')).toHaveText('Google');
  await expectAccessible(popup, 'this site');
  await popup.getByRole('button', { name: /^Service/ }).click();
  await expectAccessible(popup, 'service picker');
  await popup.keyboard.press('Escape');

  const id = await buyHere(popup, 'Get number — $0.50');
  await sim.sms({ order_id: await orderIdOf(popup, id), text: 'G-135790 is your Google verification code.' });
  await expect(siteCard(popup).getByTestId('order-code')).toHaveText('135790', { timeout: 20_000 });
  await expectAccessible(popup, 'number with code');

  await popup.getByRole('radio', { name: 'Rental' }).check();
  const rental = await buyHere(popup, /^Rent number/);
  await popup.getByRole('tab', { name: /Orders/ }).click();
  await sim.sms({ number: (await readOrders(popup)).find((o) => o.id === rental)!.number!, text: 'Your code is 424242' });
  await expect(orderCard(popup, rental).getByRole('heading', { name: 'Messages (1)' })).toBeVisible({ timeout: 20_000 });
  await expectAccessible(popup, 'orders');
  await shoot(popup, 'orders');
  await orderCard(popup, rental).getByRole('button', { name: 'Cancel rental' }).click();
  await expectAccessible(popup, 'cancel confirmation');
  await popup.keyboard.press('Escape');

  await popup.getByRole('tab', { name: 'History' }).click();
  await expectAccessible(popup, 'history');
  await popup.getByRole('tab', { name: 'Account' }).click();
  await expectAccessible(popup, 'account');
  await shoot(popup, 'account');
});

test('a tour of the popup calls every one of the 21 API endpoints', SCREENSHOTS, async ({ context, openPopup, simulator }) => {
  test.setTimeout(180_000);
  const sim = new SimControl(simulator.url);
  let popup = await openPopup();
  await popup.getByLabel('API token').fill(simulator.demoToken);
  await popup.getByRole('button', { name: 'Save token' }).click(); // account-details
  await expect(popup.getByTestId('balance')).toHaveText('$50.00');

  // Opening on a site: services of the three pools, US states, the reserved lists.
  popup = await popupFor(popup, await openSite(context));
  await expect(popup.getByTestId('service-name')).toHaveText('Google');

  const s1 = await buyHere(popup, 'Get number — $0.50'); // request-number-s1, then polling
  await sim.sms({ order_id: await orderIdOf(popup, s1), text: 'G-101010 is your Google verification code.' });
  await expect(siteCard(popup).getByTestId('order-code')).toHaveText('101010', { timeout: 20_000 });
  await siteCard(popup).getByRole('button', { name: 'Reuse number' }).click(); // reuse-number-s1
  await expect.poll(async () => (await readOrders(popup)).filter((o) => o.phase === 'waiting').length).toBe(1);
  const reused = (await readOrders(popup)).find((o) => o.id !== s1)!.id;
  await sim.clock(61_000);
  await popup.getByRole('tab', { name: /Orders/ }).click();
  await orderCard(popup, reused).getByRole('button', { name: /^Reject \(refund/ }).click(); // reject-number-s1, number-details-s1
  await expect(orderCard(popup, reused).getByTestId('order-status')).toHaveText('Rejected');

  await popup.getByRole('tab', { name: 'This site' }).click();
  await popup.getByRole('radio', { name: 'S2' }).check();
  await buyHere(popup, 'Get number — $0.45'); // request-number-s2
  await sim.clock(61_000);
  await siteCard(popup).getByRole('button', { name: /^Reject \(refund/ }).click(); // reject-number-s2, number-details-s2
  await expect(siteCard(popup).getByTestId('order-status')).toHaveText('Rejected');

  await popup.getByRole('radio', { name: 'Rental' }).check(); // rental-states
  await expect(popup.getByLabel('State')).toContainText('Texas');
  const rental = await buyHere(popup, /^Rent number/); // request-rental-number, rental-message by polling
  await popup.getByRole('tab', { name: /Orders/ }).click(); // active-rental-numbers
  const card = orderCard(popup, rental);
  // Two messages, for the screenshot of an active rental (reading them is tested in both browsers: both/popup.spec.ts).
  const rentalNumber = (await readOrders(popup)).find((o) => o.id === rental)!.number!;
  await sim.sms({ number: rentalNumber, text: 'Your Google code is 246810' });
  await sim.sms({ number: rentalNumber, text: 'Welcome back to Google' });
  await expect(card.getByRole('heading', { name: 'Messages (2)' })).toBeVisible({ timeout: 20_000 });
  await shoot(popup, 'rental');
  await card.getByRole('button', { name: 'Renew' }).click(); // renew-rental
  await card.getByRole('button', { name: 'Cancel rental' }).click();
  await popup.getByRole('alertdialog').getByRole('button', { name: 'Yes, cancel it' }).click(); // cancel-rental
  await expect(card.getByTestId('order-status')).toHaveText('Cancelled');

  const { requests } = await sim.counters();
  const uncalled = Object.entries(requests)
    .filter(([, count]) => count < 1)
    .map(([endpoint]) => endpoint);
  expect(Object.keys(requests)).toHaveLength(21);
  expect(uncalled).toEqual([]);
});
