/**
 * The component-library code widgets (../widget-pages.ts) through the real
 * extension, in Chromium and Firefox: a number is bought for the page's tab,
 * the simulator delivers an SMS, and the code must land in the widget's own
 * framework state (what its onChange / v-model / output received) with no
 * click. The pages are taken a framework at a time in one browser each, so
 * the suite launches a browser per group rather than per page; every page is
 * checked (soft assertions), so one failure does not hide the others.
 */
import type { FixtureWindow } from '../../fixtures/pages/_shared/fixture';
import { buyFor, expect, fixtureState, test, type DrivenPage } from '../harness';
import { WIDGET_PAGES, type WidgetPage } from '../widget-pages';

// A different six-digit code for each page, none in ascending order: a shifted box order shows.
const codeFor = (i: number): string => String((305_917 + i * 70_103) % 1_000_000).padStart(6, '0');

const mounted = (page: DrivenPage) => page.evaluate(() => (window as FixtureWindow).__fixture !== undefined);
const notes = (page: DrivenPage) => page.evaluate(() => document.querySelectorAll('t2fa-toast').length);

const GROUPS: [string, WidgetPage[]][] = [
  ['React', WIDGET_PAGES.filter((w) => w.framework === 'React')],
  ['Vue, Svelte and Angular', WIDGET_PAGES.filter((w) => w.framework !== 'React')],
];

for (const [group, pages] of GROUPS) {
  test(`${group} widgets: an SMS code lands in each widget's state with no click`, async ({ signedIn, fixtures, sim }) => {
    test.setTimeout(60_000 + pages.length * 20_000);
    for (const w of pages) {
      const i = WIDGET_PAGES.indexOf(w);
      const code = codeFor(i);
      const { page, tabId } = await signedIn.openTab(fixtures.url('shop.test', `/${w.name}/`));
      await expect.poll(() => mounted(page), { message: `${w.name} mounted` }).toBe(true);
      const order = await buyFor(signedIn, tabId, `widget-${w.name}`);
      await sim.sms({ order_id: Number(order.orderId), text: `Your verification code is ${code}. Do not share it.` });
      await expect.soft.poll(() => fixtureState(page), { timeout: 20_000, message: `${w.library} (${w.pkg}): the widget's state` }).toBe(code);
      // The in-page note says it was filled (it offers Copy only when a fill fails).
      await expect.soft.poll(() => notes(page), { message: `${w.library}: one note` }).toBe(1);
      await page.close();
    }
  });
}

test('on a page with nothing to fill the code is only offered for copying, and no field is touched', async ({ signedIn, fixtures, sim }) => {
  const { page, tabId } = await signedIn.openTab(fixtures.url('shop.test', '/nothing-to-fill/'));
  await expect.poll(() => mounted(page)).toBe(true);
  const order = await buyFor(signedIn, tabId, 'widget-nothing');
  await sim.sms({ order_id: Number(order.orderId), text: 'Your verification code is 408317' });
  // The note with Copy is how the user gets the code here.
  await expect.poll(() => notes(page), { timeout: 30_000 }).toBe(1);
  const touched = await page.evaluate(() => Object.entries((window as FixtureWindow).__fixture!.others!()).filter(([, v]) => v !== ''));
  expect(touched).toEqual([]);
});
