/**
 * The page holds the live number, in the real extension: "Reject and get
 * another" puts the new number in the phone field the extension filled, a
 * rejected number does not stay there, and a phone widget that shows "+1" in
 * its field keeps its country.
 *
 * The page-driving steps are small functions of their own (open a page, open
 * the popup over it, press a popup button, read the page) so the cross-browser
 * harness can run the same steps in Firefox.
 */
import { execFileSync } from 'node:child_process';
import type { BrowserContext, Page } from '@playwright/test';
import { startFixtureServer, type FixtureServer } from '../support/fixture-server';
import { SimControl } from '../support/sim-control';
import { buyGoogle, expect, fixtureState, googleKey, newestTabId, readOrders, send, test } from './fixtures';

let fixtures: FixtureServer;

test.beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build-fixtures.mjs'], { stdio: ['ignore', 'ignore', 'inherit'] });
  fixtures = await startFixtureServer({ port: 0 });
});
test.afterAll(() => fixtures.close());

/** Opens a fixture sign-up page on shop.test and waits until its framework is mounted; returns it and its tab id. */
async function openSignUp(context: BrowserContext, extensionPage: Page, pathname: string): Promise<{ page: Page; tabId: number }> {
  const page = await context.newPage();
  await page.goto(fixtures.url('shop.test', pathname));
  await page.waitForFunction(() => (window as unknown as { __fixture?: unknown }).__fixture !== undefined);
  return { page, tabId: await newestTabId(extensionPage) };
}

/** Remembers Google (S1) as the service for shop.test, as picking it in the popup does. */
async function chooseGoogle(extensionPage: Page, serviceKey: string): Promise<void> {
  const reply = await send(extensionPage, 'site.setChoice', { siteKey: 'shop.test', choice: { pool: 's1', serviceKey, serviceName: 'Google' } });
  expect(reply.ok).toBe(true);
}

/** Shows the popup (in the extension page's tab) as it is over the tab `tabId`. */
async function popupOver(popup: Page, tabId: number): Promise<Page> {
  const base = popup.url().replace(/\/popup\.html.*$/, '');
  await popup.goto(`${base}/popup.html?tab=${tabId}`);
  return popup;
}

/** Presses one of the popup's buttons by its name (the "This site" card's, or the purchase button). */
async function press(popup: Page, name: RegExp): Promise<void> {
  const button = popup.getByRole('button', { name });
  await expect(button).toBeEnabled({ timeout: 20_000 });
  await button.click();
}

/** What the page's phone field shows, as the user sees it. */
const phoneField = (page: Page) => page.locator('input[type=tel]').inputValue();

/** The number of the newest order of the book that is not `except`. */
async function newestNumber(extensionPage: Page, except: string[] = []): Promise<{ id: string; number: string }> {
  let found: { id: string; number: string } | undefined;
  await expect
    .poll(async () => {
      const orders = (await readOrders(extensionPage)).filter((o) => !except.includes(o.id) && o.number && o.phase === 'waiting');
      const newest = orders.sort((a, b) => b.createdAt - a.createdAt)[0];
      found = newest ? { id: newest.id, number: newest.number! } : undefined;
      return found !== undefined;
    })
    .toBe(true);
  return found!;
}

test('"Reject and get another" puts the new number in the phone field the extension filled', async ({ context, signedIn, simulator }) => {
  const sim = new SimControl(simulator.url);
  await chooseGoogle(signedIn, await googleKey(simulator.baseUrl, simulator.demoToken));
  const { page, tabId } = await openSignUp(context, signedIn, '/phone-country/');
  const popup = await popupOver(signedIn, tabId);
  await press(popup, /^Get number/);
  const first = await newestNumber(popup);
  await expect.poll(() => fixtureState(page), { timeout: 20_000 }).toBe(`+1${first.number}`);

  await sim.clock(61_000);
  await press(popup, /^Reject and get another$/);
  const second = await newestNumber(popup, [first.id]);
  expect(second.number).not.toBe(first.number);
  await expect.poll(() => fixtureState(page), { timeout: 20_000 }).toBe(`+1${second.number}`);
  expect((await readOrders(popup)).find((o) => o.id === first.id)?.phase).toBe('rejected');
});

test('a rejected number does not stay in the phone field: it is emptied and the in-page note says so', async ({ context, signedIn, simulator }) => {
  const sim = new SimControl(simulator.url);
  await chooseGoogle(signedIn, await googleKey(simulator.baseUrl, simulator.demoToken));
  const { page, tabId } = await openSignUp(context, signedIn, '/phone-country/');
  const popup = await popupOver(signedIn, tabId);
  await press(popup, /^Get number/);
  const first = await newestNumber(popup);
  await expect.poll(() => fixtureState(page), { timeout: 20_000 }).toBe(`+1${first.number}`);

  await sim.clock(61_000);
  await press(popup, /^Reject \(refund/);
  await expect.poll(() => phoneField(page), { timeout: 20_000 }).toBe('');
  await expect(page.locator('t2fa-toast')).toHaveCount(1);
});

test('a phone widget that shows "+1" in its field (react-phone-number-input) keeps its country', async ({ context, signedIn, simulator }) => {
  const { page, tabId } = await openSignUp(context, signedIn, '/phone-widget/');
  expect(await phoneField(page)).toBe('+1');
  const reply = await buyGoogle(signedIn, await googleKey(simulator.baseUrl, simulator.demoToken), 'widget', { tabId });
  expect(reply.ok).toBe(true);
  const number = (reply.data as { number: string }).number;
  await expect.poll(() => fixtureState(page), { timeout: 20_000 }).toBe(`+1${number}`);
  await expect.poll(async () => (await readOrders(signedIn)).find((o) => o.id === 'widget')?.phoneFilledAt).not.toBeNull();
  expect((await readOrders(signedIn)).find((o) => o.id === 'widget')?.phoneFillProblem).toBeNull();
});
