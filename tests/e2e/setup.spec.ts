import { test, expect } from './fixtures';

test('the service worker starts with the extension', async ({ serviceWorker, extensionId }) => {
  expect(serviceWorker.url()).toBe(`chrome-extension://${extensionId}/background.js`);
});

test('the popup shows Setup, refuses a bad token, then shows the balance for a good one', async ({
  openPopup,
  simulator,
}) => {
  const popup = await openPopup();
  await expect(popup.getByRole('heading', { name: 'Connect your Text2FA account' })).toBeVisible();

  await popup.getByLabel('API token').fill('definitely-not-a-token');
  await popup.getByRole('button', { name: 'Save token' }).click();
  await expect(popup.getByRole('alert')).toContainText('did not accept this token');
  await expect(popup.getByTestId('balance')).toHaveCount(0);

  await popup.getByLabel('API token').fill(simulator.demoToken);
  await popup.getByRole('button', { name: 'Save token' }).click();
  await expect(popup.getByTestId('balance')).toHaveText('$50.00');
  await popup.getByRole('tab', { name: 'Account' }).click();
  await expect(popup.getByRole('heading', { name: 'Account' })).toBeVisible();

  // Reopened, the popup renders the balance from storage with no new setup.
  await popup.reload();
  await expect(popup.getByTestId('balance')).toHaveText('$50.00');
});
