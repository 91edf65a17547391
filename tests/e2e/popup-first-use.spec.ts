/**
 * What a first-time user ran into in the real popup (issue 13): keys typed
 * into the service picker as it opens, area codes and premiums checked
 * before anything is sent, one message when Text2FA can't be reached, the
 * token field, and wording. Against the simulator over HTTP, in Chromium.
 */
import { SimControl } from '../support/sim-control';
import { createText2faClient } from '../../utils/text2fa';
import { buyGoogle, expect, googleKey, newestTabId, readOrders, send, test } from './fixtures';
import {
  choosePool,
  clickThenType,
  commitField,
  openOptions,
  openOrdersTab,
  openPickerAndType,
  openSite,
  pickerSearch,
  pointApiAt,
  popupFor,
  submitToken,
  toastText,
  UNREACHABLE_API,
  unreachableSayings,
} from './ux-driver';

test('the service picker takes every key typed the moment it opens; Enter picks only what is highlighted', async ({ context, signedIn }) => {
  const popup = await popupFor(signedIn, await openSite(context));
  await expect(popup.getByTestId('service-name')).toHaveText('Google');

  await openPickerAndType(popup, 'Other');
  await expect(pickerSearch(popup)).toHaveValue('Other');
  await popup.keyboard.press('Enter');
  await expect(popup.getByTestId('service-name')).toHaveText('Other');

  // An empty search highlights nothing, so Enter picks nothing.
  await openPickerAndType(popup, '');
  await expect(pickerSearch(popup)).toBeFocused();
  await popup.keyboard.press('Enter');
  await expect(pickerSearch(popup)).toBeVisible();
  await expect(popup.getByRole('dialog')).toContainText('Type a name, or use the arrow keys');
  await popup.keyboard.press('Escape');
  await expect(popup.getByTestId('service-name')).toHaveText('Other');

  await choosePool(popup, 'S2');
  await openPickerAndType(popup, 'Amazon');
  await expect(pickerSearch(popup)).toHaveValue('Amazon');
  await popup.keyboard.press('Enter');
  await expect(popup.getByTestId('service-name')).toHaveText('Amazon');
  expect(await readOrders(popup)).toEqual([]);
});

test('area codes and premiums Text2FA would refuse are named in the popup and the options page, and nothing is sent', async ({ context, signedIn, simulator, extensionId }) => {
  const sim = new SimControl(simulator.url);
  const popup = await popupFor(signedIn, await openSite(context));
  await expect(popup.getByTestId('service-name')).toHaveText('Google');
  await choosePool(popup, 'S2');
  await popup.getByLabel('Area codes (optional)').fill('212, 100');
  await expect(popup.locator('form.buy .field-error')).toContainText('“100” is not a US area code');
  await expect(popup.locator('form.buy button[type="submit"]')).toBeDisabled();
  await choosePool(popup, 'S1');
  await popup.getByLabel('Premium bid ($)').fill('60');
  await expect(popup.locator('form.buy .field-error')).toContainText('from $0.00 to $50.00');
  await expect(popup.locator('form.buy button[type="submit"]')).toBeDisabled();

  const options = await openOptions(context, extensionId, simulator.baseUrl);
  await commitField(options, 'S2 area codes', '212, 100');
  await expect(options.locator('#default-areas-error')).toContainText('“100” is not a US area code');
  await commitField(options, 'S2 area codes', Array.from({ length: 11 }, (_, i) => String(300 + i)).join(', '));
  await expect(options.locator('#default-areas-error')).toContainText('That is 11 area codes; Text2FA takes at most 10.');
  await commitField(options, 'S1 premium bid', '60');
  await expect(options.locator('#default-premium-error')).toContainText('from $0.00 to $50.00');
  expect((await sim.counters()).purchases).toBe(0);
  expect(await readOrders(popup)).toEqual([]);
});

test('a token that cannot be one is explained in the popup and the options page before it is sent', async ({ context, openPopup, simulator, extensionId }) => {
  const sim = new SimControl(simulator.url);
  const popup = await openPopup();
  await expect(popup.getByRole('heading', { name: 'Connect your Text2FA account' })).toBeVisible();
  await sim.resetCounters();
  await popup.getByRole('button', { name: 'Save token' }).click();
  await expect(popup.locator('#setup-error')).toContainText('Paste your API token');
  await submitToken(popup, 'x'.repeat(20_000));
  await expect(popup.locator('#setup-error')).toContainText('That is 20,000 characters; an API token is at most 512.');

  const options = await openOptions(context, extensionId, simulator.baseUrl);
  await submitToken(options, 'x'.repeat(20_000));
  await expect(options.locator('#token-input-error')).toContainText('That is 20,000 characters; an API token is at most 512.');
  expect((await sim.counters()).requests['account-details'] ?? 0).toBe(0);
});

test('with Text2FA unreachable: one message, the purchase in doubt is "Checking with Text2FA" and not live, and Check now answers', async ({ context, signedIn, simulator }) => {
  const popup = await popupFor(signedIn, await openSite(context));
  await expect(popup.getByTestId('service-name')).toHaveText('Google');
  await pointApiAt(popup, UNREACHABLE_API);

  await popup.getByRole('button', { name: 'Get number — $0.50' }).click();
  await expect(popup.getByTestId('connection')).toContainText('could not be reached');
  const card = popup.locator('.site [data-order-id]');
  await expect(card.getByTestId('order-status')).toHaveText('Checking with Text2FA');
  await expect(unreachableSayings(popup)).toHaveCount(1);
  await expect(popup.getByRole('tab', { name: /Orders/ })).toHaveText('Orders');

  await popup.getByRole('tab', { name: /Orders/ }).click();
  await expect(popup.locator('#orders-title')).toContainText('(0 live)');
  await popup.getByRole('button', { name: 'Check now' }).click();
  await expect(popup.getByTestId('last-check')).toContainText('Last tried at');
  await expect(unreachableSayings(popup)).toHaveCount(1);

  // Back online: the check answers, the message goes, and the purchase that never reached Text2FA ends as not bought.
  await pointApiAt(popup, simulator.baseUrl);
  await popup.getByRole('button', { name: 'Check now' }).click();
  await expect(popup.getByTestId('last-check')).toContainText('Checked with Text2FA at', { timeout: 30_000 });
  await expect(popup.getByTestId('connection')).toHaveCount(0);
  expect((await readOrders(popup)).map((o) => o.phase)).toEqual(['failed']);
});

test('renewing a rental says what it costs, and why a number of days is refused', async ({ signedIn, simulator }) => {
  const rentals = await createText2faClient({ baseUrl: simulator.baseUrl, token: simulator.demoToken }).rentalServiceList();
  const google = rentals.find((s) => s.name === 'Google')!;
  const reply = await send(signedIn, 'orders.buy', {
    intentId: 'rent-renew', pool: 'rental', serviceKey: google.key, serviceName: 'Google', expectedPrice: null, duration: 7,
  });
  expect(reply.ok, JSON.stringify(reply)).toBe(true);
  const popup = await popupFor(signedIn, null);
  await openOrdersTab(popup);
  const card = popup.locator('[data-order-id="rent-renew"]');
  const days = card.getByLabel('Extra days');
  await days.fill('2');
  const cost = `$${(google.pricePerDay! * 2).toFixed(2)}`;
  await expect(card.getByRole('button', { name: `Renew — ${cost}` })).toBeEnabled();
  await expect(card).toContainText(`2 more days at $${google.pricePerDay!.toFixed(2)} a day.`);
  for (const bad of ['0', '400']) {
    await days.fill(bad);
    await expect(card.getByRole('button', { name: 'Renew' })).toBeDisabled();
    await expect(card.getByRole('alert')).toHaveText('Renew by a whole number of days from 1 to 365.');
  }
});

test('a spending-limit refusal shows dollars and links to the limit in the options', async ({ context, signedIn, extensionId }) => {
  expect((await send(signedIn, 'settings.update', { patch: { spendingLimit24h: 0.1 } })).ok).toBe(true);
  const popup = await popupFor(signedIn, await openSite(context));
  await popup.getByRole('button', { name: 'Get number — $0.50' }).click();
  const alert = popup.locator('form.buy').getByRole('alert');
  await expect(alert).toContainText('This would pass your spending limit of $0.10 in 24 hours ($0.00 spent).');
  await expect(alert.getByRole('button', { name: 'Retry' })).toHaveCount(0);
  const [options] = await Promise.all([context.waitForEvent('page'), alert.getByRole('button', { name: 'Change it in the options' }).click()]);
  await expect(options).toHaveURL(`chrome-extension://${extensionId}/options.html#orders`);
  await expect(options.locator('#orders-title')).toBeFocused();
  await expect(options.getByLabel('Limit spending per 24 hours')).toBeChecked();
});

test('the in-page note for another site’s code names the site the SMS named', async ({ context, signedIn, simulator }) => {
  const sim = new SimControl(simulator.url);
  const site = await openSite(context);
  const reply = await buyGoogle(signedIn, await googleKey(simulator.baseUrl, simulator.demoToken), 'phished', { tabId: await newestTabId(signedIn) });
  expect(reply.ok, JSON.stringify(reply)).toBe(true);
  await sim.sms({ order_id: Number((reply.data as { orderId: string }).orderId), text: 'Your code is 662211.\n\n@www.paypal.com #662211' });
  await expect.poll(() => toastText(site), { timeout: 20_000 }).toContain('Code 662211 is for paypal.com, not this site');
  await expect(site.locator('input[name="code"]')).toHaveValue('');
});

test('options: a site’s service is changed with the picker, and auto-submit sites are reduced by the background', async ({ context, signedIn, simulator, extensionId }) => {
  expect((await send(signedIn, 'site.setChoice', { siteKey: 'x.com', pool: 's1', choice: { pool: 's1', serviceKey: 'x', serviceName: 'X (Twitter)' } })).ok).toBe(true);
  const options = await openOptions(context, extensionId, simulator.baseUrl);
  const choices = options.locator('#choices');
  await clickThenType(options, options.getByRole('button', { name: 'Change the S1 service for x.com' }), 'Disc');
  await expect(pickerSearch(options)).toHaveValue('Disc');
  // Enter picks what is highlighted, once the list has shown it.
  await expect(options.getByRole('dialog').getByRole('option', { selected: true })).toContainText('Discord');
  await options.keyboard.press('Enter');
  await expect(choices.getByRole('row', { name: /x\.com/ })).toContainText('Discord');
  await expect(options.getByRole('button', { name: 'Change the S1 service for x.com' })).toBeFocused();
  expect(await options.evaluate(async () => {
    const chrome = (globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<Record<string, unknown>> } } } }).chrome;
    return (await chrome.storage.local.get('serviceChoices')).serviceChoices;
  })).toMatchObject({ 'x.com': { s1: { pool: 's1', serviceName: 'Discord' } } });

  await options.getByLabel('Add a site').fill('https://www.Example.co.uk/login');
  await options.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(options.getByRole('button', { name: 'Remove example.co.uk from auto-submit' })).toBeVisible();
  await options.getByLabel('Add a site').fill('not a site');
  await options.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(options.locator('#auto-submit-site-error')).toContainText('is not a web site');
});
