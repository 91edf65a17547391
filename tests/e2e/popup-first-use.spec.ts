/**
 * What a first-time user ran into in the real popup (issue 13): keys typed
 * into the service picker as it opens, area codes and premiums checked
 * before anything is sent, one message when Text2FA can't be reached, the
 * token field, and wording. Against the simulator over HTTP, in Chromium.
 */
import { expect, readOrders, test } from './fixtures';
import { choosePool, openPickerAndType, openSite, pickerSearch, popupFor } from './popup-driver';

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
