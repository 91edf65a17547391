/**
 * The order engine inside the real built extension: the service worker is
 * stopped and the browser relaunched in the middle of orders, purchases race
 * and lose their answers, the simulator injects every fault, and a content
 * script tries to forge messages.
 */
import { SimControl } from '../support/sim-control';
import { buyGoogle as buy, expect, extensionWorker, launchWithExtension, readOrders, send, stopServiceWorker, test, signIn, googleKey } from './fixtures';



test('a relaunch with the same profile keeps every order and goes on polling', async ({ userDataDir, simulator }) => {
  test.setTimeout(120_000);
  const sim = new SimControl(simulator.url);
  const key = await googleKey(simulator.baseUrl, simulator.demoToken);
  let context = await launchWithExtension(userDataDir);
  let id = new URL((await extensionWorker(context)).url()).host;
  let page = await context.newPage();
  await page.goto(`chrome-extension://${id}/popup.html`);
  expect((await send(page, 'dev.setApiBaseUrl', { url: simulator.baseUrl })).ok).toBe(true);
  expect((await signIn(page, simulator.demoToken)).ok).toBe(true);
  const first = await buy(page, key, 'keep-1');
  const second = await buy(page, key, 'keep-2', { another: true });
  expect(first.ok && second.ok).toBe(true);
  await context.close();

  context = await launchWithExtension(userDataDir);
  try {
    id = new URL((await extensionWorker(context)).url()).host;
    page = await context.newPage();
    await page.goto(`chrome-extension://${id}/popup.html`);
    const ids = (await readOrders(page)).map((o) => o.id).sort();
    expect(ids).toEqual(['keep-1', 'keep-2']);
    await sim.sms({ order_id: Number((second.data as { orderId: string }).orderId), text: 'Your code is 908070' });
    await expect
      .poll(async () => (await readOrders(page)).find((o) => o.id === 'keep-2')?.phase, { timeout: 60_000 })
      .toBe('received');
    expect((await sim.counters()).purchases).toBe(2);
  } finally {
    await context.close();
  }
});

test('a slow purchase with the worker stopped during it ends with one purchase, adopted', async ({
  context,
  signedIn,
  simulator,
}) => {
  test.setTimeout(90_000);
  const sim = new SimControl(simulator.url);
  const key = await googleKey(simulator.baseUrl, simulator.demoToken);
  await sim.fault({ fault: 'slow', endpoint: 'request-number-s1', delayMs: 30_000 });
  const pending = buy(signedIn, key, 'slow-1');
  await expect.poll(async () => (await readOrders(signedIn)).find((o) => o.id === 'slow-1')?.phase).toBe('purchasing');
  await expect.poll(async () => (await sim.counters()).purchases).toBe(1);
  await stopServiceWorker(context, signedIn);
  expect((await pending).ok).toBe(false);

  // Any event restarts the worker; it reconciles the intent instead of buying again.
  await send(signedIn, 'session.get');
  await expect.poll(async () => (await readOrders(signedIn)).find((o) => o.id === 'slow-1')?.phase, { timeout: 30_000 }).toBe('waiting');
  const counters = await sim.counters();
  expect(counters.purchases).toBe(1);
  expect(counters.requests['request-number-s1']).toBe(1);
});

test('two purchases clicked at once end with one order', async ({ signedIn, simulator }) => {
  const sim = new SimControl(simulator.url);
  const key = await googleKey(simulator.baseUrl, simulator.demoToken);
  const [a, b, again] = await Promise.all([buy(signedIn, key, 'race-a'), buy(signedIn, key, 'race-b'), buy(signedIn, key, 'race-a')]);
  const succeeded = [a, b].filter((r) => r.ok);
  expect(succeeded).toHaveLength(1);
  expect([a, b].find((r) => !r.ok)?.error?.kind).toBe('busy');
  expect(again.ok).toBe(true);
  expect((await sim.counters()).purchases).toBe(1);
  expect((await readOrders(signedIn)).filter((o) => o.phase === 'waiting')).toHaveLength(1);
});

for (const fault of ['429', '500', '503', 'malformed', 'html', 'slow', 'drop'] as const) {
  test(`polling recovers from a ${fault} fault and still delivers the code`, async ({ signedIn, simulator }) => {
    test.setTimeout(90_000);
    const sim = new SimControl(simulator.url);
    const bought = await buy(signedIn, await googleKey(simulator.baseUrl, simulator.demoToken), `fault-${fault}`);
    expect(bought.ok).toBe(true);
    await sim.fault({ fault, endpoint: 'reserved-list-s1', count: 2, retryAfter: '2', delayMs: 17_000 });
    await sim.sms({ order_id: Number((bought.data as { orderId: string }).orderId), text: 'Your verification code is 314159' });
    await expect
      .poll(async () => (await readOrders(signedIn)).find((o) => o.id === `fault-${fault}`)?.phase, { timeout: 75_000 })
      .toBe('received');
    // The popup still answers: the worker did not crash.
    expect((await send(signedIn, 'session.get')).ok).toBe(true);
  });
}

test('a message forged by a content script to buy, reject or read the token is refused', async ({
  context,
  signedIn,
  simulator,
}) => {
  const sim = new SimControl(simulator.url);
  const key = await googleKey(simulator.baseUrl, simulator.demoToken);
  const bought = await buy(signedIn, key, 'victim');
  const page = await context.newPage();
  await page.goto(`${simulator.url}/__sim/counters`);
  // Run code inside our content script's own isolated world, as a compromised content script would.
  const cdp = await context.newCDPSession(page);
  const contexts: { id: number; name: string; auxData?: { type?: string } }[] = [];
  cdp.on('Runtime.executionContextCreated', (event: { context: { id: number; name: string; auxData?: { type?: string } } }) => {
    contexts.push(event.context);
  });
  await cdp.send('Runtime.enable');
  await expect.poll(() => contexts.some((c) => c.auxData?.type === 'isolated')).toBe(true);
  const world = contexts.find((c) => c.auxData?.type === 'isolated')!;
  const attempt = async (message: unknown) => {
    const result = await cdp.send('Runtime.evaluate', {
      expression: `chrome.runtime.sendMessage(${JSON.stringify(message)}).then((r) => JSON.stringify(r), (e) => JSON.stringify({ transport: String(e) }))`,
      contextId: world.id,
      awaitPromise: true,
      returnByValue: true,
    });
    return JSON.parse(String((result as { result: { value: string } }).result.value)) as { ok?: boolean; error?: { kind: string } };
  };
  const forged = [
    { t2fa: 1, type: 'orders.buy', payload: { intentId: 'forged', pool: 's1', serviceKey: key, serviceName: 'Google', expectedPrice: null } },
    { t2fa: 1, type: 'orders.reject', payload: { id: 'victim' } },
    { t2fa: 1, type: 'session.get', payload: {} },
    { t2fa: 1, type: 'session.setToken', payload: {} },
  ];
  for (const message of forged) {
    const reply = await attempt(message);
    expect(reply).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(JSON.stringify(reply)).not.toContain(simulator.demoToken);
  }
  expect((await sim.counters()).purchases).toBe(1);
  expect((await readOrders(signedIn)).find((o) => o.id === 'victim')?.phase).toBe('waiting');
  expect(bought.ok).toBe(true);
});
