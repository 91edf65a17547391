/**
 * What a first-time user ran into in the real popup (issue 13): keys typed
 * into the service picker as it opens, area codes and premiums checked
 * before anything is sent, one message when Text2FA can't be reached, the
 * token field, and wording. Against the simulator over HTTP, in Chromium.
 */
import { SimControl } from '../support/sim-control';
import { expect, readOrders, test } from './fixtures';
import {
  choosePool,
  commitField,
  openOptions,
  openPickerAndType,
  openSite,
  pickerSearch,
  pointApiAt,
  popupFor,
  submitToken,
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
