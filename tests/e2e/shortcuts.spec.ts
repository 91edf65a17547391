/**
 * Chromium only: the browser's own `commands.onCommand` event, dispatched in
 * the service worker as the browser would, reaches the shortcut handlers.
 * Every shortcut, menu and notification path runs in both browsers through
 * the test hooks (tests/e2e/both/shortcuts.spec.ts); this one proves the
 * listener those hooks stand in for is registered.
 */
import { execFileSync } from 'node:child_process';
import type { Worker } from '@playwright/test';
import { startFixtureServer, type FixtureServer } from '../support/fixture-server';
import { SimControl } from '../support/sim-control';
import { buyGoogle, expect, readOrders, send, test, newestTabId, googleKey, fixtureState } from './fixtures';

let fixtures: FixtureServer;

test.beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build-fixtures.mjs'], { stdio: ['ignore', 'ignore', 'inherit'] });
  fixtures = await startFixtureServer({ port: 0 });
});
test.afterAll(() => fixtures.close());


type Dispatchable = { dispatch(...args: unknown[]): void };

/** Fires a browser event in the worker as the browser would. */
async function fire(worker: Worker, event: 'commands.onCommand' | 'contextMenus.onClicked' | 'notifications.onClicked', args: unknown[]): Promise<void> {
  await worker.evaluate(
    ({ event, args }) => {
      const [namespace, name] = event.split('.') as [string, string];
      const chrome = (globalThis as unknown as { chrome: Record<string, Record<string, Dispatchable>> }).chrome;
      chrome[namespace]![name]!.dispatch(...args);
    },
    { event, args },
  );
}



test('"Fill the latest code" fills the focused field on the ordering site when automatic filling is off', async ({
  context,
  signedIn,
  serviceWorker,
  simulator,
}) => {
  const sim = new SimControl(simulator.url);
  expect((await send(signedIn, 'settings.update', { patch: { autofill: false } })).ok).toBe(true);
  const page = await context.newPage();
  await page.goto(fixtures.url('shop.test', '/label-only/'));
  const tabId = await newestTabId(signedIn);
  const bought = await buyGoogle(signedIn, await googleKey(simulator.baseUrl, simulator.demoToken), 'shortcut-fill', { tabId });
  await sim.sms({ order_id: Number((bought.data as { orderId: string }).orderId), text: 'Your verification code is 665544' });
  await expect.poll(async () => (await readOrders(signedIn))[0]?.phase, { timeout: 20_000 }).toBe('received');
  await page.waitForTimeout(1_000);
  expect(await fixtureState(page)).toBe('');

  await page.locator('input').first().focus();
  await fire(serviceWorker, 'commands.onCommand', ['fill-code', { id: tabId }]);
  await expect.poll(() => fixtureState(page), { timeout: 20_000 }).toBe('665544');
});
