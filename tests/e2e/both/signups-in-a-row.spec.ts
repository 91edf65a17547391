/**
 * Several sign-ups in a row in one tab, in Chromium and Firefox: after the
 * first account is made, the user goes back to the sign-up (a reload, the
 * site's own link, or `pushState` back to the phone step), buys a new number,
 * and the page gets that number and, once its SMS comes, its code. The first
 * sign-up's code is spent: it never stands in the new code field.
 */
import { buyFor, expect, fixtureState, test, type DrivenPage, type ExtensionSession } from '../harness';

type Sim = { sms(body: Record<string, unknown>): Promise<unknown> };

/** What the page's state holds: its step, the phone digits and the code. */
async function pageState(page: DrivenPage): Promise<{ step: string; phone: string; code: string }> {
  const [step = '', phone = '', code = ''] = (await fixtureState(page)).split(':');
  return { step, phone, code };
}

/** Runs one sign-up on the page already at its phone step: buy, the number in, Send code, the SMS, the code in, Verify. */
async function signUp(session: ExtensionSession, page: DrivenPage, tabId: number, sim: Sim, intentId: string, code: string) {
  const order = await buyFor(session, tabId, intentId);
  await expect.poll(async () => (await pageState(page)).phone.endsWith(order.number.replace(/\D/g, '').slice(-10)), { timeout: 20_000 }).toBe(true);
  await page.click('button[type=submit]');
  await expect.poll(async () => (await pageState(page)).step).toBe('code');
  // Time for a stale code to land, if the extension had one for this page: none may.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  expect((await pageState(page)).code).toBe('');
  await sim.sms({ order_id: Number(order.orderId), text: `Your Quillbox code is ${code}` });
  await expect.poll(async () => (await pageState(page)).code, { timeout: 20_000 }).toBe(code);
  await page.click('button[type=submit]');
  await expect.poll(async () => (await pageState(page)).step).toBe('done');
}

const WAYS_BACK: [string, (page: DrivenPage, url: string) => Promise<void>][] = [
  ['a reload', (page, url) => page.goto(url)],
  ['the site’s own link', (page, url) => page.goto(`${url}?again=1`)],
  ['pushState back to the phone step', (page) => page.click('#again')],
];

for (const [way, goBack] of WAYS_BACK) {
  test(`a second sign-up in the same tab after ${way} gets its own number and code, never the first one's`, async ({ signedIn, fixtures, sim }) => {
    const url = fixtures.url('shop.test', '/signup-steps/');
    const { page, tabId } = await signedIn.openTab(url);
    await expect.poll(() => page.evaluate(() => (window as unknown as { __fixture?: unknown }).__fixture !== undefined)).toBe(true);
    await signUp(signedIn, page, tabId, sim, 'first', '446127');
    await goBack(page, url);
    await expect.poll(async () => (await page.evaluate(() => (window as unknown as { __fixture?: unknown }).__fixture !== undefined)) && (await pageState(page)).step).toBe('phone');
    await signUp(signedIn, page, tabId, sim, 'second', '553901');
  });
}
