/**
 * Codes and numbers reaching pages through the real extension: the content
 * script stays dormant without an order, fills only the ordering site (never
 * another site's tab or a cross-site frame), waits for late fields, refuses
 * codes whose SMS names another site, and fills the phone field.
 */
import { execFileSync } from 'node:child_process';
import type { BrowserContext, Page } from '@playwright/test';
import { startFixtureServer, type FixtureServer } from '../support/fixture-server';
import { SimControl } from '../support/sim-control';
import { buyGoogle, expect, inContentScript, send, test, newestTabId, googleKey, fixtureState } from './fixtures';

let fixtures: FixtureServer;

test.beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build-fixtures.mjs'], { stdio: ['ignore', 'ignore', 'inherit'] });
  fixtures = await startFixtureServer({ port: 0 });
});
test.afterAll(() => fixtures.close());



/** Buys an S1 number bound to the tab showing `page`, and returns its order id at Text2FA. */
async function buyFor(extensionPage: Page, tabId: number, serviceKey: string, intentId: string): Promise<string> {
  const reply = await buyGoogle(extensionPage, serviceKey, intentId, { tabId, another: true });
  if (!reply.ok) throw new Error(`purchase failed: ${JSON.stringify(reply.error)}`);
  return (reply.data as { orderId: string }).orderId;
}


/** The content script's own counters (test builds only). */
async function contentStats(page: Page): Promise<{ wakes: number; queries: number; observers: number; scans: number } | null> {
  const raw = await page.evaluate(() => document.documentElement.getAttribute('data-t2fa-test'));
  return raw ? JSON.parse(raw) : null;
}

test('on a page with no waiting order the content script sends nothing, observes nothing, scans nothing', async ({
  context,
  signedIn,
  serviceWorker,
}) => {
  const page = await context.newPage();
  await page.goto(fixtures.url('shop.test', '/react-otp-input/'));
  await expect.poll(() => contentStats(page)).toEqual({ wakes: 0, queries: 0, observers: 0, scans: 0 });
  await page.getByRole('textbox').first().click();
  await page.waitForTimeout(1_500);
  expect(await contentStats(page)).toEqual({ wakes: 0, queries: 0, observers: 0, scans: 0 });
  const fromPage = await serviceWorker.evaluate(
    (url) => ((globalThis as unknown as { __t2faMessages: { url?: string }[] }).__t2faMessages ?? []).filter((m) => m.url?.startsWith(url)).length,
    fixtures.url('shop.test', '/'),
  );
  expect(fromPage).toBe(0);
  expect(signedIn.url()).toContain('popup.html');
});

test('the code lands in a page whose Content-Security-Policy allows only its own scripts', async ({ context, signedIn, simulator }) => {
  const sim = new SimControl(simulator.url);
  const shop = await context.newPage();
  const response = await shop.goto(fixtures.url('shop.test', '/label-only/?csp=strict'));
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
  const orderId = await buyFor(signedIn, await newestTabId(signedIn), await googleKey(simulator.baseUrl, simulator.demoToken), 'strict-csp');
  await sim.sms({ order_id: Number(orderId), text: 'Your code is 314159' });
  await expect.poll(() => fixtureState(shop), { timeout: 20_000 }).toBe('314159');
  expect((await contentStats(shop))?.scans ?? 0).toBeGreaterThan(0);
});

test('a content script of another site that asks anyway gets nothing', async ({ context, signedIn, simulator }) => {
  const sim = new SimControl(simulator.url);
  const shop = await context.newPage();
  await shop.goto(fixtures.url('shop.test', '/label-only/'));
  const orderId = await buyFor(signedIn, await newestTabId(signedIn), await googleKey(simulator.baseUrl, simulator.demoToken), 'asked');
  await sim.sms({ order_id: Number(orderId), text: 'Your code is 135246' });
  await expect.poll(() => fixtureState(shop), { timeout: 20_000 }).toBe('135246');

  const other = await context.newPage();
  await other.goto(fixtures.url('other.test', '/label-only/'));
  const answer = await inContentScript(
    context,
    other,
    `chrome.runtime.sendMessage({ t2fa: 1, type: 'content.query', payload: { purpose: 'code' } }).then((r) => JSON.stringify(r))`,
  );
  expect(JSON.parse(answer as string)).toEqual({ ok: true, data: null });
});

test('a field that appears after the code arrived is filled when it appears', async ({ context, signedIn, simulator }) => {
  const sim = new SimControl(simulator.url);
  const page = await context.newPage();
  await page.goto(fixtures.url('shop.test', '/late-field/'));
  const orderId = await buyFor(signedIn, await newestTabId(signedIn), await googleKey(simulator.baseUrl, simulator.demoToken), 'late');
  await sim.sms({ order_id: Number(orderId), text: 'Your verification code is 246800' });
  await expect.poll(async () => (await contentStats(page))?.observers ?? 0, { timeout: 20_000 }).toBe(1);
  expect(await fixtureState(page)).toBe('');
  await page.locator('#send').click();
  await expect.poll(() => fixtureState(page), { timeout: 20_000 }).toBe('246800');
});

test('a code whose SMS names another site is offered for copying, not filled', async ({ context, signedIn, simulator }) => {
  const sim = new SimControl(simulator.url);
  const page = await context.newPage();
  await page.goto(fixtures.url('shop.test', '/react-controlled/'));
  const orderId = await buyFor(signedIn, await newestTabId(signedIn), await googleKey(simulator.baseUrl, simulator.demoToken), 'phished');
  await sim.sms({ order_id: Number(orderId), text: 'Your code is 918273.\n\n@bank.example #918273' });
  await expect(page.locator('t2fa-toast')).toHaveCount(1, { timeout: 20_000 });
  expect(await fixtureState(page)).toBe('');
});

/** The in-page note's text. It lives in a closed shadow root, which only the DevTools protocol can read. */
async function noteText(context: BrowserContext, page: Page): Promise<string> {
  interface DomNode { nodeName: string; nodeValue?: string; children?: DomNode[]; shadowRoots?: DomNode[] }
  const cdp = await context.newCDPSession(page);
  const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode };
  await cdp.detach();
  const text = (node: DomNode): string =>
    node.nodeName === '#text' ? (node.nodeValue ?? '') : node.nodeName === 'STYLE' ? '' : [...(node.shadowRoots ?? []), ...(node.children ?? [])].map(text).join('');
  const find = (node: DomNode): DomNode | null =>
    node.nodeName === 'T2FA-TOAST' ? node : [...(node.shadowRoots ?? []), ...(node.children ?? [])].map(find).find((n) => n !== null) ?? null;
  const toast = find(root);
  return toast ? text(toast) : '';
}

test('a code whose SMS names another brand is offered for copying, and the note names it', async ({ context, signedIn, simulator }) => {
  const sim = new SimControl(simulator.url);
  const page = await context.newPage();
  await page.goto(fixtures.url('shop.test', '/react-controlled/'));
  const orderId = await buyFor(signedIn, await newestTabId(signedIn), await googleKey(simulator.baseUrl, simulator.demoToken), 'paypal');
  await sim.sms({ order_id: Number(orderId), text: 'Your PayPal security code: 551234. Don\'t share it.' });
  await expect(page.locator('t2fa-toast')).toHaveCount(1, { timeout: 20_000 });
  await expect.poll(() => noteText(context, page)).toBe('Google code 551234 — the SMS names PayPal: copy it where it belongsCopy×');
  expect(await fixtureState(page)).toBe('');
});

const submitted = (page: Page) => page.evaluate(() => (window as unknown as { __fixture: { submitted(): boolean } }).__fixture.submitted());

test('the form is submitted after the code only on a site the user turned auto-submit on for', async ({ context, signedIn, simulator }) => {
  const sim = new SimControl(simulator.url);
  const key = await googleKey(simulator.baseUrl, simulator.demoToken);
  const first = await context.newPage();
  await first.goto(fixtures.url('shop.test', '/label-only/'));
  const firstOrder = await buyFor(signedIn, await newestTabId(signedIn), key, 'no-submit');
  await sim.sms({ order_id: Number(firstOrder), text: 'Your code is 102938' });
  await expect.poll(() => fixtureState(first), { timeout: 20_000 }).toBe('102938');
  await first.waitForTimeout(500);
  expect(await submitted(first)).toBe(false);

  expect((await send(signedIn, 'settings.update', { patch: { autoSubmitSites: ['shop.test'] } })).ok).toBe(true);
  const second = await context.newPage();
  await second.goto(fixtures.url('shop.test', '/label-only/'));
  const secondOrder = await buyFor(signedIn, await newestTabId(signedIn), key, 'submit');
  await sim.sms({ order_id: Number(secondOrder), text: 'Your code is 564738' });
  await expect.poll(() => fixtureState(second), { timeout: 20_000 }).toBe('564738');
  await expect.poll(() => submitted(second)).toBe(true);
});

test('when the ordering tab is gone, the code goes to another tab of the site, once', async ({ context, signedIn, simulator }) => {
  const sim = new SimControl(simulator.url);
  const ordering = await context.newPage();
  await ordering.goto(fixtures.url('shop.test', '/label-only/'));
  const orderId = await buyFor(signedIn, await newestTabId(signedIn), await googleKey(simulator.baseUrl, simulator.demoToken), 'tab-gone');
  await ordering.close();
  const reopened = await context.newPage();
  await reopened.goto(fixtures.url('shop.test', '/label-only/'));
  await sim.sms({ order_id: Number(orderId), text: 'Your code is 246813' });
  await expect.poll(() => fixtureState(reopened), { timeout: 20_000 }).toBe('246813');
  // The code reached the user: a later page of the site does not get it again.
  const later = await context.newPage();
  await later.goto(fixtures.url('shop.test', '/label-only/'));
  await expect.poll(async () => (await contentStats(later))?.wakes ?? 0, { timeout: 10_000 }).toBeGreaterThan(0);
  await later.waitForTimeout(1_000);
  expect(await fixtureState(later)).toBe('');
});
