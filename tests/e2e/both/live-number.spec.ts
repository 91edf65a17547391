/**
 * The page holds the live number, in Chromium and Firefox: "Reject and get
 * another" puts the new number in the phone field the extension filled, a
 * rejected number does not stay there, and a phone widget that shows "+1" in
 * its field (react-phone-number-input) keeps its country.
 */
import { buyFor, clickText, expect, fixtureState, popupFor, readOrders, serviceKey, test, type DrivenPage, type ExtensionSession } from '../harness';

/** Opens a fixture sign-up page on shop.test and waits until its framework is mounted. */
async function openSignUp(session: ExtensionSession, url: string): Promise<{ page: DrivenPage; tabId: number }> {
  const opened = await session.openTab(url);
  await expect.poll(() => opened.page.evaluate(() => (window as unknown as { __fixture?: unknown }).__fixture !== undefined)).toBe(true);
  return opened;
}

/** Remembers Google (S1) as the service for shop.test, as picking it in the popup does. */
async function chooseGoogle(session: ExtensionSession): Promise<void> {
  const choice = { pool: 's1', serviceKey: await serviceKey(session, 'Google'), serviceName: 'Google' };
  expect((await session.send('site.setChoice', { siteKey: 'shop.test', pool: 's1', choice })).ok).toBe(true);
}

/** The newest waiting order of the book that is not one of `except`. */
async function newestWaiting(session: ExtensionSession, except: string[] = []): Promise<{ id: string; number: string }> {
  let found: { id: string; number: string } | undefined;
  await expect
    .poll(async () => {
      const waiting = (await readOrders(session)).filter((o) => !except.includes(o.id) && o.number && o.phase === 'waiting');
      const newest = waiting.sort((a, b) => (b.createdAt as number) - (a.createdAt as number))[0];
      found = newest ? { id: newest.id, number: newest.number as string } : undefined;
      return found !== undefined;
    })
    .toBe(true);
  return found!;
}

/** What the page's phone field shows, as the user sees it. */
const phoneField = (page: DrivenPage) => page.evaluate(() => document.querySelector<HTMLInputElement>('input[type=tel]')?.value ?? null);

/**
 * Buys a number from the popup over a sign-up page whose phone field then holds it, and moves the
 * simulator's clock past the minute in which Text2FA refuses a reject.
 */
async function numberInPage(session: ExtensionSession, url: string, sim: { clock(ms: number): Promise<unknown> }) {
  await chooseGoogle(session);
  const { page, tabId } = await openSignUp(session, url);
  const popup = await popupFor(session, tabId);
  await clickText(popup, 'button', /^Get number/);
  const first = await newestWaiting(session);
  await expect.poll(() => fixtureState(page), { timeout: 20_000 }).toBe(`+1${first.number}`);
  await sim.clock(61_000);
  return { page, popup, first };
}

test('"Reject and get another" puts the new number in the phone field the extension filled', async ({ signedIn, fixtures, sim }) => {
  const { page, popup, first } = await numberInPage(signedIn, fixtures.url('shop.test', '/phone-country/'), sim);
  await clickText(popup, 'button', 'Reject and get another');
  const second = await newestWaiting(signedIn, [first.id]);
  expect(second.number).not.toBe(first.number);
  await expect.poll(() => fixtureState(page), { timeout: 20_000 }).toBe(`+1${second.number}`);
  expect((await readOrders(signedIn)).find((o) => o.id === first.id)?.phase).toBe('rejected');
});

test('a rejected number does not stay in the phone field: it is emptied and the in-page note says so', async ({ signedIn, fixtures, sim }) => {
  const { page, popup } = await numberInPage(signedIn, fixtures.url('shop.test', '/phone-country/'), sim);
  await clickText(popup, 'button', /^Reject \(refund/);
  await expect.poll(() => phoneField(page), { timeout: 20_000 }).toBe('');
  await expect.poll(() => page.evaluate(() => document.querySelectorAll('t2fa-toast').length)).toBe(1);
});

test('a phone widget that shows "+1" in its field keeps its country', async ({ signedIn, fixtures }) => {
  const { page, tabId } = await openSignUp(signedIn, fixtures.url('shop.test', '/phone-widget/'));
  expect(await phoneField(page)).toBe('+1');
  const order = await buyFor(signedIn, tabId, 'widget');
  await expect.poll(() => fixtureState(page), { timeout: 20_000 }).toBe(`+1${order.number}`);
  await expect.poll(async () => (await readOrders(signedIn)).find((o) => o.id === 'widget')?.phoneFilledAt).not.toBeNull();
  expect((await readOrders(signedIn)).find((o) => o.id === 'widget')?.phoneFillProblem).toBeNull();
});
