/**
 * The background in Chromium and Firefox: the badge and title, and polling
 * that survives the browser stopping the background (Chromium's service
 * worker, Firefox's event page), brought back by the watchdog alarm alone.
 */
import { buyFor, expect, fixtureState, IDLE_PREF, readOrders, test } from '../harness';

const badge = (session: { control: { evaluate<R>(fn: () => Promise<R>): Promise<R> } }) =>
  session.control.evaluate(async () => {
    const api = ((globalThis as { browser?: unknown }).browser ?? (globalThis as { chrome?: unknown }).chrome) as {
      action: { getBadgeText(d: object): Promise<string>; getTitle(d: object): Promise<string> };
    };
    return { text: await api.action.getBadgeText({}), title: await api.action.getTitle({}) };
  });

test('the badge counts codes not yet seen and the title names the newest', async ({ signedIn, sim }) => {
  const first = await buyFor(signedIn, undefined, 'badge-1');
  const second = await buyFor(signedIn, undefined, 'badge-2');
  await sim.sms({ order_id: Number(first.orderId), text: 'Your code is 111222' });
  await expect.poll(() => badge(signedIn), { timeout: 20_000 }).toEqual({ text: '1', title: 'Text2FA: Google code 111222' });
  await sim.sms({ order_id: Number(second.orderId), text: 'Your code is 333444' });
  await expect.poll(async () => (await badge(signedIn)).text, { timeout: 20_000 }).toBe('2');
  expect((await badge(signedIn)).title).toMatch(/^Text2FA: Google code \d{6} \(\+1 more\)$/);
  expect((await signedIn.send('orders.seen', { id: 'badge-1' })).ok).toBe(true);
  expect((await signedIn.send('orders.seen', { id: 'badge-2' })).ok).toBe(true);
  await expect.poll(() => badge(signedIn)).toEqual({ text: '', title: 'Text2FA' });
});

test.describe('stopped while an order waits', () => {
  // Firefox unloads its event page 2 s after the last event; Chromium's worker is stopped by the test.
  test.use({ firefoxPrefs: { [IDLE_PREF]: 2_000 } });

  test('the background is stopped, an SMS comes, and the alarm alone brings it back to fill the code', async ({ signedIn, fixtures, sim }) => {
    test.setTimeout(120_000);
    const { page, tabId } = await signedIn.openTab(fixtures.url('shop.test', '/label-only/'));
    const order = await buyFor(signedIn, tabId, 'stopped');
    const startsBefore = (await signedIn.storage<number[]>('__t2faTestStarts'))?.length ?? 0;

    await signedIn.stopBackground();
    // From here the test only reads storage and talks to the simulator: nothing wakes the background but its alarm.
    await sim.sms({ order_id: Number(order.orderId), text: 'G-554433 is your Google verification code.' });
    await expect.poll(() => fixtureState(page), { timeout: 75_000, intervals: [1_000] }).toBe('554433');
    expect((await signedIn.storage<number[]>('__t2faTestStarts'))?.length ?? 0).toBeGreaterThan(startsBefore);
    expect((await readOrders(signedIn)).find((o) => o.id === 'stopped')?.phase).toBe('received');
  });
});

test('Firefox keeps the event page polling while an order waits, past its idle timeout', async ({ signedIn, sim, extensionBrowser }) => {
  test.skip(extensionBrowser !== 'firefox', 'Chromium keeps its service worker alive while it fetches; only Firefox unloads a busy event page');
  test.setTimeout(120_000);
  await buyFor(signedIn, undefined, 'kept');
  const startsBefore = (await signedIn.storage<number[]>('__t2faTestStarts'))?.length ?? 0;
  // Past Firefox's 30 s idle timeout, counting the polls in each 10 s window, touching nothing of the extension.
  const polls: number[] = [];
  let last = (await sim.counters()).total;
  for (let window = 0; window < 5; window += 1) {
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const total = (await sim.counters()).total;
    polls.push(total - last);
    last = total;
  }
  expect(polls.every((n) => n > 0), `requests per 10 s: ${polls.join(', ')}`).toBe(true);
  expect((await signedIn.storage<number[]>('__t2faTestStarts'))?.length ?? 0).toBe(startsBefore);
});
