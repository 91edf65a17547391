/**
 * What must never happen, checked in the real extension: a web page talking
 * to it, a content script reading the token, or the token travelling in any
 * message or landing anywhere but its own storage entry.
 */
import { expect, inContentScript, readOrders, send, test } from './fixtures';
import { createText2faClient } from '../../utils/text2fa';
import { SimControl } from '../support/sim-control';

test('a web page cannot message the extension, directly or through the content script', async ({ context, extensionId, simulator, signedIn }) => {
  const page = await context.newPage();
  await page.goto(`http://shop.test:${new URL(simulator.url).port}/__sim/`);
  const direct = await page.evaluate(async (id) => {
    const runtime = (globalThis as { chrome?: { runtime?: { sendMessage?(id: string, m: unknown): Promise<unknown> } } }).chrome?.runtime;
    if (!runtime?.sendMessage) return 'no runtime';
    try {
      await runtime.sendMessage(id, { t2fa: 1, type: 'session.get', payload: {} });
      return 'answered';
    } catch {
      return 'refused';
    }
  }, extensionId);
  expect(['no runtime', 'refused']).toContain(direct);

  // A page posting our message shapes to the window reaches no listener of ours.
  await page.evaluate(() => {
    window.postMessage({ t2fa: 1, target: 'content', type: 'wake', fill: 'code' }, '*');
    window.postMessage({ t2fa: 1, type: 'orders.buy', payload: {} }, '*');
  });
  await page.waitForTimeout(1_000);
  const stats = await page.evaluate(() => document.documentElement.getAttribute('data-t2fa-test'));
  expect(JSON.parse(stats ?? '{}')).toEqual({ wakes: 0, queries: 0, observers: 0, scans: 0 });
  expect((await readOrders(signedIn)).length).toBe(0);
});

test('a content script cannot read the token from storage', async ({ context, signedIn, simulator }) => {
  const page = await context.newPage();
  await page.goto(`http://shop.test:${new URL(simulator.url).port}/__sim/`);
  const outcome = await inContentScript(
    context,
    page,
    `chrome.storage.local.get('token').then((v) => JSON.stringify(v), (e) => 'refused: ' + e.message)`,
  );
  expect(String(outcome)).toMatch(/^refused/);
  expect(String(outcome)).not.toContain(simulator.demoToken);
  expect(signedIn.url()).toContain('chrome-extension://');
});

test('across a whole order no runtime message carries the token, and it is stored in one place only', async ({
  context,
  serviceWorker,
  signedIn,
  simulator,
}) => {
  const sim = new SimControl(simulator.url);
  const key = (await createText2faClient({ baseUrl: simulator.baseUrl, token: simulator.demoToken }).servicesS1())[0]!.key;
  const page = await context.newPage();
  await page.goto(`http://shop.test:${new URL(simulator.url).port}/__sim/`);
  const bought = await send(signedIn, 'orders.buy', { intentId: 'audit', pool: 's1', serviceKey: key, serviceName: 'Any', expectedPrice: null });
  expect(bought.ok).toBe(true);
  await sim.sms({ order_id: Number((bought.data as { orderId: string }).orderId), text: 'Your code is 123789' });
  await expect.poll(async () => (await readOrders(signedIn))[0]?.phase, { timeout: 20_000 }).toBe('received');
  for (const type of ['session.get', 'account.refresh', 'orders.sync', 'data.export'] as const) expect((await send(signedIn, type)).ok).toBe(true);

  const messages = await serviceWorker.evaluate(() => JSON.stringify((globalThis as unknown as { __t2faMessages: unknown[] }).__t2faMessages));
  expect(JSON.parse(messages).length).toBeGreaterThan(5);
  expect(messages).not.toContain(simulator.demoToken);

  const stored = await signedIn.evaluate(async () => {
    const chrome = (globalThis as unknown as { chrome: { storage: { local: { get(): Promise<Record<string, unknown>> }; session: { get(): Promise<Record<string, unknown>> } } } }).chrome;
    return { local: await chrome.storage.local.get(), session: await chrome.storage.session.get() };
  });
  const { token, ...rest } = stored.local;
  expect(token).toBe(simulator.demoToken);
  expect(JSON.stringify(rest)).not.toContain(simulator.demoToken);
  expect(JSON.stringify(stored.session)).not.toContain(simulator.demoToken);
});

test('a web page cannot tell the extension is installed: no message from it, and its one web-accessible file only at a per-session address', async ({
  context,
  extensionId,
  simulator,
}) => {
  const page = await context.newPage();
  await page.addInitScript(() => {
    const seen: unknown[] = [];
    (globalThis as { __seen?: unknown[] }).__seen = seen;
    addEventListener('message', (event) => seen.push(event.data));
  });
  await page.goto(`http://shop.test:${new URL(simulator.url).port}/__sim/`);
  await expect.poll(() => page.evaluate(() => document.documentElement.hasAttribute('data-t2fa-test'))).toBe(true);
  expect(await page.evaluate(() => JSON.stringify((globalThis as { __seen?: unknown[] }).__seen))).toBe('[]');

  const probe = await page.evaluate(
    (url) => fetch(url).then(() => 'loaded', () => 'blocked'),
    `chrome-extension://${extensionId}/content-active.js`,
  );
  expect(probe).toBe('blocked');
  // The content script itself still reaches it, at the address the browser gives it for this session.
  const own = await inContentScript(context, page, `fetch(chrome.runtime.getURL('/content-active.js')).then((r) => r.ok, () => false)`);
  expect(own).toBe(true);
});
