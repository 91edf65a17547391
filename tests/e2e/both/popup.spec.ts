/**
 * Buying from the real popup, in Chromium and Firefox: an S1 number for the
 * site in a tab (its service picked in the popup's list), "Reject and get
 * another" once Text2FA allows a reject, an S2 number from an area code, a
 * rental (messages, renewal, cancellation with a refund), and the "Get a
 * number" shortcut's confirmation, where one Enter buys.
 *
 * The popup is opened in a tab about the site's tab (`popupFor`); everything
 * after is clicks and keys on the popup's own controls. The Chromium-only
 * popup.spec.ts keeps what needs Playwright itself: the screenshots, a real
 * domain matched to its service, axe in both themes.
 */
import {
  clickText,
  control,
  expect,
  fixtureState,
  labelled,
  pasted,
  popupFor,
  readOrders,
  replaceText,
  serviceKey,
  test,
  type DrivenPage,
  type ExtensionSession,
} from '../harness';

const SITE_CARD = '.site [data-order-id]';

/** Picks a service in the popup's list with the keyboard, as the list is searched: Enter, its name, Enter. */
async function pickService(popup: DrivenPage, name: string): Promise<void> {
  await popup.focus('form.buy button[aria-haspopup="dialog"]');
  await popup.press('Enter');
  await expect.poll(() => popup.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('combobox');
  await popup.type(name);
  await popup.press('Enter');
  await expect.poll(() => popup.text('[data-testid="service-name"]')).toBe(name);
}

/** Clicks the purchase button (its label carries the price) and returns the new order's id once it is bought. */
async function buyHere(session: ExtensionSession, popup: DrivenPage, label: string): Promise<string> {
  const before = new Set((await readOrders(session)).map((o) => o.id));
  await clickText(popup, 'form.buy button[type="submit"]', label);
  let id: string | undefined;
  await expect
    .poll(async () => {
      const order = (await readOrders(session)).find((o) => !before.has(o.id));
      id = order?.id;
      return order?.phase;
    })
    .toMatch(/^(waiting|active)$/);
  return id!;
}

test('S1 for the site in the tab, "Reject and get another" after the first minute, then S2 from an area code', async ({
  signedIn,
  fixtures,
  sim,
}) => {
  test.setTimeout(120_000);
  const { page: site, tabId } = await signedIn.openTab(fixtures.url('shop.test', '/label-only/'));
  const popup = await popupFor(signedIn, tabId);
  // The site comes from the tab's own content script (Firefox gives the background no tab URL).
  await expect.poll(() => popup.text('[data-testid="site-key"]')).toBe('shop.test');

  // A made-up site matches no service: the user picks one from the list.
  await pickService(popup, 'Google');

  const first = await buyHere(signedIn, popup, 'Get number — $0.50');
  await expect.poll(() => popup.text(`${SITE_CARD} [data-testid="order-number"]`)).toMatch(/^\(\d{3}\) 555-01\d\d$/);
  expect(await popup.text(`${SITE_CARD} [data-testid="order-status"]`)).toBe('Waiting for the SMS');
  await expect.poll(() => popup.text('[data-testid="balance"]')).toBe('$49.50');
  expect((await readOrders(signedIn)).find((o) => o.id === first)?.site).toMatchObject({ siteKey: 'shop.test', tabId });
  const firstNumber = await popup.text(`${SITE_CARD} [data-testid="order-number"]`);

  // Text2FA accepts a reject one minute after the purchase.
  await sim.clock(61_000);
  await clickText(popup, `${SITE_CARD} button`, 'Reject and get another');
  await expect.poll(async () => (await readOrders(signedIn)).find((o) => o.id === first)?.phase, { timeout: 20_000 }).toBe('rejected');
  await expect.poll(() => popup.text(`${SITE_CARD} [data-testid="order-number"]`)).not.toBe(firstNumber);
  const second = (await readOrders(signedIn)).find((o) => o.id !== first)!;
  expect(second).toMatchObject({ phase: 'waiting', serviceName: 'Google', site: { siteKey: 'shop.test', tabId } });
  // $50 − 0.50 + 0.50 refunded − 0.50.
  await expect.poll(() => popup.text('[data-testid="balance"]')).toBe('$49.50');
  expect((await sim.counters()).purchases).toBe(2);

  // The new number's code shows large in the popup and lands in the page.
  await sim.sms({ order_id: Number(second.orderId), text: 'G-554433 is your Google verification code.' });
  await expect.poll(() => popup.text(`${SITE_CARD} [data-testid="order-code"]`), { timeout: 20_000 }).toBe('554433');
  expect(await popup.text(`${SITE_CARD} [data-testid="order-status"]`)).toBe('Code received');
  await expect.poll(() => fixtureState(site), { timeout: 20_000 }).toBe('554433');
  // Copy puts it on the clipboard (pasted back with the keyboard).
  await popup.click(`${SITE_CARD} .code-row button`);
  await expect.poll(() => popup.text(`${SITE_CARD} .code-row button`)).toBe('Copied');
  expect(await pasted(popup)).toBe('554433');

  // S2: a mistyped area code is explained and blocks the purchase; a whole one buys from it.
  await popup.click('form.buy input[type="radio"][value="s2"]');
  await pickService(popup, 'Google');
  const areas = await labelled(popup, 'Area codes (optional)');
  await popup.focus(areas);
  await popup.type('61');
  await expect.poll(() => popup.text('form.buy [role="alert"]')).toContain('“61” is not a US area code');
  expect((await control(popup, 'form.buy button[type="submit"]'))?.disabled).toBe(true);
  await popup.type('0');
  const s2 = await buyHere(signedIn, popup, 'Get number — $0.45');
  await expect.poll(() => popup.text(`${SITE_CARD} [data-testid="order-number"]`)).toMatch(/^\(610\) 555-01\d\d$/);
  expect((await readOrders(signedIn)).find((o) => o.id === s2)).toMatchObject({ pool: 's2', request: { areas: ['610'] } });
  await expect.poll(() => popup.text('[data-testid="balance"]')).toBe('$49.05');
});

test('a rental: requested for a state, its messages read, renewed, and cancelled with a refund', async ({ signedIn, fixtures, sim }) => {
  test.setTimeout(120_000);
  const { tabId } = await signedIn.openTab(fixtures.url('shop.test', '/label-only/'));
  const popup = await popupFor(signedIn, tabId);
  await popup.click('form.buy input[type="radio"][value="rental"]');
  await pickService(popup, 'Google');
  const days = await labelled(popup, 'Days');
  await expect.poll(async () => (await control(popup, days))?.value).toBe('7');
  await popup.select(days, '14');
  await popup.select(await labelled(popup, 'State'), 'TX');

  const id = await buyHere(signedIn, popup, 'Rent number — $4.20');
  await expect.poll(() => popup.text('[data-testid="balance"]')).toBe('$45.80');
  const rental = (await readOrders(signedIn)).find((o) => o.id === id)!;
  expect(rental.request).toMatchObject({ pool: 'rental', duration: 14, state: 'TX' });

  await popup.click('#tab-orders');
  const card = `[data-order-id="${id}"]`;
  await expect.poll(() => popup.text(`${card} [data-testid="order-status"]`)).toBe('Active');
  expect(await popup.text(`${card} [role="timer"]`)).toMatch(/^13 d 23 h left$/);
  await sim.sms({ number: String(rental.number), text: 'Your Google code is 246810' });
  await sim.sms({ number: String(rental.number), text: 'Welcome back to Google' });
  await expect.poll(() => popup.text(`${card} .messages h4`), { timeout: 20_000 }).toBe('Messages (2)');
  // Newest first.
  expect(await popup.text(`${card} .messages li:first-child .text`)).toBe('Welcome back to Google');
  expect(await popup.text(`${card} .messages li:nth-child(2)`)).toContain('246810');

  await replaceText(popup, await labelled(popup, 'Extra days'), '3');
  await clickText(popup, `${card} button`, 'Renew — $0.90');
  await expect.poll(() => popup.text(`${card} [role="timer"]`)).toMatch(/^16 d 23 h left$/);
  await expect.poll(() => popup.text('[data-testid="balance"]')).toBe('$44.90');

  // Cancelling asks first; Escape keeps the rental.
  await clickText(popup, `${card} button`, 'Cancel rental');
  await expect.poll(() => popup.text(`${card} [role="alertdialog"]`)).toContain('Cancel this rental?');
  await popup.press('Escape');
  await expect.poll(() => popup.text(`${card} [role="alertdialog"]`)).toBeNull();
  await clickText(popup, `${card} button`, 'Cancel rental');
  await clickText(popup, `${card} [role="alertdialog"] button`, 'Yes, cancel it');
  await expect.poll(() => popup.text(`${card} [data-testid="order-status"]`)).toBe('Cancelled');
  // Messages came, so the refund is the unused whole days: 16 × $0.30.
  expect(await popup.text(card)).toContain('$4.80 refunded');
  await expect.poll(() => popup.text('[data-testid="balance"]')).toBe('$49.70');
});

test('the "Get a number" shortcut\'s confirmation: the popup opens on it and one Enter buys for the tab', async ({ signedIn, fixtures }) => {
  const { page: site, tabId } = await signedIn.openTab(fixtures.url('shop.test', '/phone-country/'));
  const choice = { pool: 's1', serviceKey: await serviceKey(signedIn, 'Google'), serviceName: 'Google' };
  expect((await signedIn.send('site.setChoice', { siteKey: 'shop.test', pool: 's1', choice })).ok).toBe(true);
  // What the background keeps when the shortcut is pressed with confirmation on (both/shortcuts.spec.ts fires it).
  await signedIn.control.evaluate(async (tab) => {
    const api = ((globalThis as { browser?: unknown }).browser ?? (globalThis as { chrome?: unknown }).chrome) as {
      storage: { session: { set(items: object): Promise<void> } };
    };
    await api.storage.session.set({ pendingShortcutPurchase: { tabId: tab, at: Date.now() } });
  }, tabId);

  // The popup as the toolbar opens it: no `?tab=`, the pending purchase says which tab.
  const popup = await signedIn.openExtensionPage('popup.html');
  await expect.poll(() => popup.text('#confirm-title')).toBe('Get a number for shop.test?');
  await expect.poll(() => popup.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Get number — $0.50');
  await popup.press('Enter');
  await expect.poll(async () => (await readOrders(signedIn))[0]?.phase).toBe('waiting');
  const [order] = await readOrders(signedIn);
  expect(order).toMatchObject({ serviceName: 'Google', pool: 's1', site: { siteKey: 'shop.test', tabId } });
  await expect.poll(() => fixtureState(site), { timeout: 20_000 }).toBe(`+1${order!.number}`);
  // The pending purchase was taken: the popup opened again does not ask again.
  await popup.close();
  const again = await signedIn.openExtensionPage('popup.html');
  await expect.poll(() => again.text('#tab-site')).toBe('This site');
  expect(await again.text('#confirm-title')).toBeNull();
});
