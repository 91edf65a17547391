/**
 * A purchase whose connection closes after Text2FA made the order, in each
 * browser's own network stack. Chromium may send the POST again by itself
 * (a second paid order for one click); another browser may not, and the
 * purchase's answer is then simply lost. Either way the user is charged once:
 * a resent twin is refunded and reported, a lost answer is found in the
 * account's list, and the page holds the one number that is live.
 * The chaos test (Chromium only) does the same under many faults at once.
 */
import { clickText, expect, fixtureState, popupFor, readOrders, serviceKey, test } from '../harness';

type StoredOrder = Awaited<ReturnType<typeof readOrders>>[number] & { twin?: { reportedAt: number | null } | null };

test('a purchase whose answer the connection drops is charged once: a resent twin is refunded and reported, the page holds the live number', async ({
  signedIn,
  simulator,
  sim,
  fixtures,
}, testInfo) => {
  test.setTimeout(120_000);
  const choice = { pool: 's1', serviceKey: await serviceKey(signedIn, 'Google'), serviceName: 'Google' };
  expect((await signedIn.send('site.setChoice', { siteKey: 'shop.test', pool: 's1', choice })).ok).toBe(true);
  const { page, tabId } = await signedIn.openTab(fixtures.url('shop.test', '/phone-country/'));
  await expect.poll(() => page.evaluate(() => (window as unknown as { __fixture?: unknown }).__fixture !== undefined)).toBe(true);
  // The popup first reads the account and prices over the same connection, so the purchase goes on a reused
  // keep-alive connection: the case in which a browser may resend a request that got no answer.
  const popup = await popupFor(signedIn, tabId);
  await expect.poll(() => popup.text('[data-testid="balance"]')).toBe('$50.00');
  await sim.fault({ fault: 'drop-after', endpoint: 'request-number-s1', count: 1 });
  await clickText(popup, 'button', /^Get number/);

  // One waiting order for the click, whatever the network did with the request.
  let live: StoredOrder | undefined;
  await expect
    .poll(
      async () => {
        live = (await readOrders(signedIn) as StoredOrder[]).find((o) => o.phase === 'waiting' && !o.twin && o.site && o.number);
        return live !== undefined;
      },
      { timeout: 45_000 },
    )
    .toBe(true);
  await expect.poll(() => fixtureState(page), { timeout: 20_000 }).toBe(`+1${live!.number}`);

  // Past the one-minute reject lock, every twin can be refunded.
  await sim.clock(61_000);
  const resent = (await sim.counters()).purchases > 1;
  testInfo.annotations.push({ type: 'network', description: resent ? `${testInfo.project.name} resent the purchase` : `${testInfo.project.name} did not resend the purchase` });
  await expect
    .poll(
      async () => {
        const known: StoredOrder[] = await readOrders(signedIn);
        const held = await sim.orders(simulator.demoToken);
        const unknown = held.filter((r) => !known.some((o) => o.pool === r.pool && o.orderId === String(r.order_id)));
        const unsettled = known.filter((o) => o.phase === 'purchasing' || (o.twin && o.twin.reportedAt === null));
        return { orders: held.length, unknown: unknown.length, unsettled: unsettled.length };
      },
      { timeout: 60_000, message: 'every order at Text2FA is known and every twin settled' },
    )
    .toEqual({ orders: resent ? 2 : 1, unknown: 0, unsettled: 0 });

  const held = await sim.orders(simulator.demoToken);
  const charged = held.filter((r) => r.status !== 'rejected');
  expect(charged.map((r) => String(r.order_id))).toEqual([live!.orderId]);
  const book: StoredOrder[] = await readOrders(signedIn);
  const twins = book.filter((o) => o.twin);
  expect(twins.length).toBe(resent ? 1 : 0);
  if (resent) {
    expect(twins[0]).toMatchObject({ phase: 'rejected', refund: 0.5 });
    // Told once in the popup, with the amount refunded; the page kept the live number.
    const again = await popupFor(signedIn, tabId);
    await expect
      .poll(() => again.text('[data-testid="twin-notices"]'))
      .toContain(`Text2FA charged twice for one Google purchase (extra number ${twins[0]!.number as string}). The extra charge was refunded: $0.50.`);
    expect(await fixtureState(page)).toBe(`+1${live!.number}`);
  }
  await expect.poll(() => popup.text('[data-testid="balance"]'), { timeout: 20_000 }).toBe('$49.50');
});
