/**
 * The real extension against a Text2FA that speaks like the third-party
 * guide: the simulator's `guide` shapes (`number_id`, messages without code
 * or id) and an API that takes only `Bearer <token>`. A user pastes the
 * token with its "Bearer " prefix, buys a number, and the code lands in the
 * page. Then an answer nobody has seen (injected, cut off, full of personal
 * data) reaches the options page's problem report redacted, is copied, and
 * cleared.
 */
import { execFileSync } from 'node:child_process';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { startFixtureServer, type FixtureServer } from '../support/fixture-server';
import { SimControl } from '../support/sim-control';
import { buyGoogle, expect, fixtureState, googleKey, newestTabId, send, test } from './fixtures';

let fixtures: FixtureServer;

test.beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build-fixtures.mjs'], { stdio: ['ignore', 'ignore', 'inherit'] });
  fixtures = await startFixtureServer({ port: 0 });
});
test.afterAll(() => fixtures.close());

/** Everything in `chrome.storage.local`, as the background wrote it. */
async function localStorage(page: Page): Promise<Record<string, unknown>> {
  return page.evaluate(async () => {
    const chrome = (globalThis as unknown as { chrome: { storage: { local: { get(k: null): Promise<Record<string, unknown>> } } } }).chrome;
    return chrome.storage.local.get(null);
  });
}

/** An answer cut off mid-way, carrying a number, a code, a name and an e-mail address. */
const UNREADABLE =
  '{"status":"success","data":{"number_id":7,"phone":"+1 (205) 555-0147","otp":"731904","message":"Your code is 731904",' +
  '"name":"Jane Roe","email":"jane@example.com"';
const REDACTED =
  '{"status":"success","data":{"number_id":7,"phone":"+# (###) ###-##47","otp":"######","message":"Your code is ######",' +
  '"name":"#### ###","email":"####@#######.###"';

test("the guide's shapes and a Bearer-only API: a full purchase fills its code, and an unreadable answer is reported redacted", async ({
  context,
  openPopup,
  simulator,
}) => {
  // Sign-in, a purchase, an SMS, the popup and the options page: the whole path, on a shared 2-core machine.
  test.setTimeout(120_000);
  const sim = new SimControl(simulator.url);
  await sim.shape(['guide']);
  await sim.auth('bearer');

  // A hurried user pastes the token as the guide writes it.
  const popup = await openPopup();
  await popup.getByLabel('API token').fill(`Bearer ${simulator.demoToken}`);
  await popup.getByRole('button', { name: 'Save token' }).click();
  await expect(popup.getByTestId('balance')).toHaveText('$50.00');
  const stored = await localStorage(popup);
  expect(stored.token).toBe(simulator.demoToken);
  // The form that worked is remembered under the token's fingerprint, never the token.
  expect(Object.values(stored.authForms as Record<string, string>)).toEqual(['bearer']);
  expect(JSON.stringify(stored.authForms)).not.toContain(simulator.demoToken);

  // A purchase for a sign-up page; the SMS carries no code field, only text.
  const shop = await context.newPage();
  await shop.goto(fixtures.url('shop.test', '/react-otp-input/'));
  const tabId = await newestTabId(popup);
  const reply = await buyGoogle(popup, await googleKey(simulator.baseUrl, simulator.demoToken), 'guide-purchase', { tabId });
  expect(reply.ok, JSON.stringify(reply)).toBe(true);
  const orderId = (reply.data as { orderId: string }).orderId;
  expect(orderId).toMatch(/^\d+$/);
  await sim.sms({ order_id: Number(orderId), text: 'Your verification code is 482913' });
  await expect.poll(() => fixtureState(shop), { timeout: 20_000 }).toBe('482913');
  await expect(shop.locator('t2fa-toast')).toHaveCount(1);
  expect((await sim.counters()).purchases).toBe(1);

  // An answer nobody has seen yet.
  await sim.fault({ fault: 'custom', endpoint: 'account-details', body: UNREADABLE });
  const refreshed = await send(popup, 'account.refresh');
  expect(refreshed.ok).toBe(false);
  expect(refreshed.error?.kind).toBe('malformed');

  // The popup's error leads to the report.
  await popup.reload();
  const link = popup.getByRole('link', { name: 'See what Text2FA sent' });
  await expect(link).toBeVisible();
  const [options] = await Promise.all([context.waitForEvent('page'), link.click()]);
  await expect(options).toHaveURL(/\/options\.html#problems$/);
  const section = options.locator('#problems');
  await expect(section.getByRole('heading', { name: 'Problems with Text2FA answers' })).toBeVisible();
  const entry = section.locator('li.opt-problem');
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText('account-details (HTTP 200)');
  await expect(entry).toContainText('the account (name, email, balance, currency); the answer was not valid JSON (possibly cut off)');
  await expect(entry.locator('pre')).toHaveText(REDACTED);
  const pageText = (await options.locator('body').textContent()) ?? '';
  for (const secret of ['731904', '555-0147', 'Jane', 'jane@example.com', simulator.demoToken]) expect(pageText).not.toContain(secret);

  const axe = await new AxeBuilder({ page: options }).include('#problems').analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

  // Copy report: plain text with the versions; nothing of the secrets.
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await section.getByRole('button', { name: 'Copy report' }).click();
  await expect(section.getByRole('status')).toContainText('Report copied');
  const report = await options.evaluate(() => navigator.clipboard.readText());
  const manifestVersion = await options.evaluate(
    () => (globalThis as unknown as { chrome: { runtime: { getManifest(): { version: string } } } }).chrome.runtime.getManifest().version,
  );
  expect(report).toContain(`Extension version: ${manifestVersion}`);
  expect(report).toMatch(/\nBrowser: Chrom(e|ium) \d+/);
  expect(report).toContain('Endpoint: account-details (HTTP 200)');
  expect(report).toContain(REDACTED);
  for (const secret of ['731904', '555-0147', 'Jane', simulator.demoToken]) expect(report).not.toContain(secret);

  // Clear empties the list, in storage too.
  await section.getByRole('button', { name: 'Clear' }).click();
  await expect(section).toContainText('No problems');
  await expect.poll(async () => ((await localStorage(options)).answerProblems as { entries: unknown[] }).entries).toEqual([]);
});
