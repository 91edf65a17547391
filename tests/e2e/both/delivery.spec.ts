/**
 * Numbers and codes reaching pages through the real extension, in Chromium
 * and Firefox: the phone field after a purchase, the code in a single field,
 * split boxes, a React widget and a same-site frame, and never in a
 * cross-site frame or another site's tab.
 */
import { buyFor, contentStats, expect, fixtureState, readOrders, test } from '../harness';

test('after a purchase the number goes into the phone field, with the country set', async ({ signedIn, fixtures }) => {
  const { page, tabId } = await signedIn.openTab(fixtures.url('shop.test', '/phone-country/'));
  const order = await buyFor(signedIn, tabId, 'phone');
  await expect.poll(() => fixtureState(page), { timeout: 20_000 }).toBe(`+1${order.number}`);
  await expect.poll(async () => (await readOrders(signedIn)).find((o) => o.id === 'phone')?.phoneFilledAt).not.toBeNull();
});

for (const [name, path, code] of [
  ['a single field', '/label-only/', '135246'],
  ['split boxes', '/split-static/', '246810'],
  ['a React widget', '/react-otp-input/', '482913'],
  ['a same-site frame', '/frame-same-site/', '777123'],
] as const) {
  test(`the code lands by itself in ${name}`, async ({ signedIn, fixtures, sim }) => {
    const { page, tabId } = await signedIn.openTab(fixtures.url('shop.test', path));
    const order = await buyFor(signedIn, tabId, 'code');
    await sim.sms({ order_id: Number(order.orderId), text: `Your verification code is ${code}` });
    await expect.poll(() => fixtureState(page), { timeout: 20_000 }).toBe(code);
    // Filled means seen: the badge no longer counts it.
    await expect.poll(async () => (await readOrders(signedIn)).find((o) => o.id === 'code')?.unseenCode, { timeout: 10_000 }).toBeNull();
  });
}

test('a cross-site frame on the ordering page and another site\'s tab never receive the code', async ({ signedIn, fixtures, sim }) => {
  const { page: shop, tabId } = await signedIn.openTab(fixtures.url('shop.test', '/frame-cross-site/'));
  const { page: other } = await signedIn.openTab(fixtures.url('other.test', '/label-only/'));
  const order = await buyFor(signedIn, tabId, 'framed');
  await sim.sms({ order_id: Number(order.orderId), text: 'Your verification code is 777123' });
  await expect.poll(() => fixtureState(shop), { timeout: 20_000 }).toBe('777123');
  // Give a wrongly woken frame time to fill, then look.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const wallet = await shop.evaluateInFrame('other.test', () => [...document.querySelectorAll('input')].map((i) => i.value).join(''));
  expect(wallet).toBe('');
  expect(await fixtureState(other)).toBe('');
  expect((await contentStats(other))?.queries ?? 0).toBe(0);
});

test('a sign-up reopened in a new tab takes its order over: the code lands there, and a later tab of the site gets nothing', async ({ signedIn, fixtures, sim }) => {
  const { page: first, tabId } = await signedIn.openTab(fixtures.url('shop.test', '/label-only/'));
  const order = await buyFor(signedIn, tabId, 'moved');
  // Closed once its content script has asked what to fill (closing a page mid-load is not what this test is about).
  await expect.poll(async () => (await contentStats(first))?.queries ?? 0, { timeout: 10_000 }).toBeGreaterThan(0);
  await first.close();
  const { page: reopened, tabId: reopenedId } = await signedIn.openTab(fixtures.url('shop.test', '/label-only/'));
  // Woken by its load while the order waits, the new tab asks, and the order becomes its own: a code that the open
  // popup shows (and so counts as read) before the page asks for it still belongs to this page.
  await expect.poll(async () => ((await readOrders(signedIn)).find((o) => o.id === 'moved')?.site as { tabId?: number } | undefined)?.tabId, { timeout: 20_000 }).toBe(reopenedId);
  await sim.sms({ order_id: Number(order.orderId), text: 'Your verification code is 318274' });
  await expect.poll(() => fixtureState(reopened), { timeout: 20_000 }).toBe('318274');
  const { page: later } = await signedIn.openTab(fixtures.url('shop.test', '/label-only/'));
  await expect.poll(async () => (await contentStats(later))?.wakes ?? 0, { timeout: 10_000 }).toBeGreaterThan(0);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(await fixtureState(later)).toBe('');
});
