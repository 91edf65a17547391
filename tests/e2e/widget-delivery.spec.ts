/**
 * The component-library code widgets (widget-pages.ts) through the real extension: a number is
 * bought for the page's tab, the simulator delivers an SMS, and the code must land in the
 * widget's own framework state (what its onChange / v-model / output received) without anyone
 * clicking anything. Data-driven over WIDGET_PAGES so another runner (Firefox) can take the
 * same list and the same steps.
 */
import { execFileSync } from 'node:child_process';
import { startFixtureServer, type FixtureServer } from '../support/fixture-server';
import { SimControl } from '../support/sim-control';
import type { FixtureWindow } from '../fixtures/pages/_shared/fixture';
import { buyGoogle, expect, fixtureState, googleKey, newestTabId, test } from './fixtures';
import { WIDGET_PAGES } from './widget-pages';

let fixtures: FixtureServer;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  execFileSync(process.execPath, ['scripts/build-fixtures.mjs'], { stdio: ['ignore', 'ignore', 'inherit'] });
  fixtures = await startFixtureServer({ port: 0 });
});
test.afterAll(() => fixtures.close());

// A different six-digit code for each page, none in ascending order: a shifted box order shows.
const codeFor = (i: number): string => String((305_917 + i * 70_103) % 1_000_000).padStart(6, '0');

for (const [i, w] of WIDGET_PAGES.entries()) {
  test(`${w.library} (${w.framework}, ${w.pkg}): an SMS code lands in the widget's state with no click`, async ({ context, signedIn, simulator }) => {
    const code = codeFor(i);
    const page = await context.newPage();
    await page.goto(fixtures.url('shop.test', `/${w.name}/`));
    await page.waitForFunction(() => (window as FixtureWindow).__fixture !== undefined);
    const reply = await buyGoogle(signedIn, await googleKey(simulator.baseUrl, simulator.demoToken), `widget-${w.name}`, {
      tabId: await newestTabId(signedIn),
      another: true,
    });
    expect(reply.ok, JSON.stringify(reply)).toBe(true);
    const orderId = Number((reply.data as { orderId: string }).orderId);

    await new SimControl(simulator.url).sms({ order_id: orderId, text: `Your verification code is ${code}. Do not share it.` });
    await expect.poll(() => fixtureState(page), { timeout: 30_000, message: `${w.name}: the widget's state` }).toBe(code);
    // the in-page note says it was filled (it offers Copy only when a fill fails)
    await expect(page.locator('t2fa-toast')).toHaveCount(1);
  });
}

test('on a page with nothing to fill the code is only offered for copying, and no field is touched', async ({ context, signedIn, simulator }) => {
  const page = await context.newPage();
  await page.goto(fixtures.url('shop.test', '/nothing-to-fill/'));
  await page.waitForFunction(() => (window as FixtureWindow).__fixture !== undefined);
  const reply = await buyGoogle(signedIn, await googleKey(simulator.baseUrl, simulator.demoToken), 'widget-nothing', {
    tabId: await newestTabId(signedIn),
    another: true,
  });
  expect(reply.ok, JSON.stringify(reply)).toBe(true);
  await new SimControl(simulator.url).sms({ order_id: Number((reply.data as { orderId: string }).orderId), text: 'Your verification code is 408317' });
  // the note with Copy is how the user gets the code here
  await expect(page.locator('t2fa-toast')).toHaveCount(1, { timeout: 30_000 });
  const touched = await page.evaluate(() => Object.entries((window as FixtureWindow).__fixture!.others!()).filter(([, v]) => v !== ''));
  expect(touched).toEqual([]);
});
