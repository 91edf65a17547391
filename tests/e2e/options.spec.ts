/**
 * The options page inside the real built extension, against the simulator:
 * the token, the developer section, history and per-site choices, an
 * accessibility scan and the light and dark screenshots. Settings read back
 * from storage, export and import, and the shortcuts run in Chromium and
 * Firefox: tests/e2e/both/options.spec.ts.
 */
import { readStoredToken } from '../support/stored-token';
import AxeBuilder from '@axe-core/playwright';
import type { BrowserContext, Page } from '@playwright/test';
import type { Simulator } from '../../simulator/server';
import type { Order } from '../../utils/orders/model';
import type { Settings } from '../../utils/storage';
import { expect, send, test, signIn } from './fixtures';
import { SCREENSHOTS, screenshotPath } from './screenshots';


/** Opens the options page pointed at this test's simulator. */
async function openOptions(context: BrowserContext, extensionId: string, simulator: Simulator): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/options.html`);
  const reply = await send(page, 'dev.setApiBaseUrl', { url: simulator.baseUrl });
  expect(reply.ok, JSON.stringify(reply)).toBe(true);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Text2FA settings' })).toBeVisible();
  await expect(page.getByTestId('account-summary')).toBeVisible();
  return page;
}

/** Reads one storage item straight from `chrome.storage.local`, as the background wrote it. */
async function stored<T>(page: Page, key: string): Promise<T | undefined> {
  return page.evaluate(async (k) => {
    const storage = (globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<Record<string, unknown>> } } } })
      .chrome.storage;
    return (await storage.local.get(k))[k];
  }, key) as Promise<T | undefined>;
}

/** Types into a text field and commits it the way a user does: Enter. */
async function commit(page: Page, label: string, value: string): Promise<void> {
  const field = page.getByLabel(label, { exact: true });
  await field.fill(value);
  await field.press('Enter');
}

function order(id: string, overrides: Partial<Order> = {}): Order {
  return {
    id,
    accountId: 'someone-else',
    pool: 's1',
    serviceKey: 'google',
    serviceName: 'Google',
    orderId: '1001',
    number: '+12025550100',
    price: 0.5,
    phase: 'completed',
    remoteStatus: 'completed',
    createdAt: Date.UTC(2025, 0, 2),
    updatedAt: Date.UTC(2025, 0, 2),
    expiresAt: null,
    codes: [{ code: '123456', sms: 'Your code is 123456', seenAt: Date.UTC(2025, 0, 2) }],
    messages: [],
    refund: null,
    site: null,
    request: null,
    imported: false,
    unseenCode: null,
    error: null,
    expiryWarnedAt: null,
    rejectRetryAt: null,
    phoneFilledAt: null,
    filledCode: null,
    phoneFillProblem: null,
    sentAt: null,
    twinsCheckedAt: null,
    twin: null,
    ...overrides,
  };
}

/** An export file with two history orders and one remembered service. */
function bundleWithHistory(settings: Settings): Record<string, unknown> {
  return {
    format: 'text2fa-extension-export',
    version: 1,
    exportedAt: new Date().toISOString(),
    settings,
    serviceChoices: { 'example.com': { pool: 's2', serviceKey: 'example', serviceName: 'Example' } },
    history: [order('h-1'), order('h-2', { phase: 'rejected', refund: 0.5, codes: [] })],
  };
}

test('a token set on the options page shows the account; a bad one keeps it; removal explains the orders', async ({
  context,
  extensionId,
  simulator,
}) => {
  const page = await openOptions(context, extensionId, simulator);
  await expect(page.getByTestId('account-summary')).toHaveText('No token is set. Add your Text2FA API token to buy numbers.');

  const tokenField = page.getByLabel('API token', { exact: true });
  await expect(tokenField).toHaveAttribute('type', 'password');
  await tokenField.fill(simulator.demoToken);
  await page.getByRole('button', { name: 'Save token' }).click();
  await expect(page.getByTestId('account-summary')).toContainText('A token is set for Demo User (demo@text2fa.test).');
  await expect(page.getByTestId('account-summary')).toContainText('$50.00');
  await expect(page.getByLabel('New API token')).toHaveValue('');

  // With a working token the S1 state is picked from the simulator's list.
  await expect(page.getByLabel('S1 state')).toHaveJSProperty('tagName', 'SELECT');
  await expect(page.getByLabel('S1 state').locator('option', { hasText: 'Alabama (AL)' })).toHaveCount(1);

  // A rejected replacement leaves the working token in place.
  await page.getByLabel('New API token').fill('t2fa_not_a_real_token');
  await page.getByRole('button', { name: 'Replace token' }).click();
  await expect(page.locator('#token-input-error')).toContainText('did not accept this token. Your current token is still in use.');
  expect(await page.evaluate(readStoredToken)).toBe(simulator.demoToken);
  await expect(page.getByTestId('account-summary')).toContainText('Demo User');

  // The stored token never reaches the page's text or its fields.
  await page.reload();
  await expect(page.getByTestId('account-summary')).toContainText('Demo User');
  expect(await page.content()).not.toContain(simulator.demoToken);
  await expect(page.getByLabel('New API token')).toHaveValue('');

  await page.getByRole('button', { name: 'Remove token…' }).click();
  const confirm = page.getByRole('group', { name: /Remove the token for Demo User/ });
  await expect(confirm).toContainText('shown as belonging to another account');
  await expect(confirm).toContainText('add the same token');
  await expect(page.getByRole('button', { name: 'Keep the token' })).toBeFocused();
  await confirm.getByRole('button', { name: 'Remove token' }).click();
  await expect(page.getByTestId('account-summary')).toHaveText('No token is set. Add your Text2FA API token to buy numbers.');
  expect(await page.evaluate(readStoredToken)).toBeNull();
});

test('the developer section refuses an API URL this build may not use, with the background\'s reason', async ({
  context,
  extensionId,
  simulator,
}) => {
  const page = await openOptions(context, extensionId, simulator);
  const field = page.getByLabel('API base URL');
  await expect(field).toHaveValue(simulator.baseUrl);
  await field.fill('https://evil.example/api/v1');
  await page.getByRole('button', { name: 'Use this URL' }).click();
  await expect(page.locator('#api-base-url-error')).toHaveText('This build only talks to the Text2FA API or a simulator on http://127.0.0.1.');
  expect(await stored(page, 'apiBaseUrl')).toBe(simulator.baseUrl);

  await field.fill(`${simulator.baseUrl}/`);
  await page.getByRole('button', { name: 'Use this URL' }).click();
  await expect(page.getByTestId('developer-status')).toHaveText('Saved');
  await expect(page.locator('#api-base-url-error')).toHaveCount(0);
});

test('history and per-site choices: imported, a choice removed, the history cleared after confirming', async ({
  context,
  extensionId,
  simulator,
}) => {
  const page = await openOptions(context, extensionId, simulator);
  const settings = (await send(page, 'data.export')).data as { settings: Settings };
  await page.getByLabel('Import from a file').setInputFiles({
    name: 'history.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(bundleWithHistory(settings.settings))),
  });
  await page.getByRole('button', { name: 'Replace with this file' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Imported' })).toHaveText(
    'Imported settings, 1 site choice and 2 history orders from history.json.',
  );
  await expect(page.locator('#history-count')).toHaveText('2 finished orders are kept in the history.');

  const choices = page.locator('#choices');
  await expect(choices.getByRole('row', { name: /example\.com/ }).first()).toContainText('Example');
  await choices.getByRole('button', { name: 'Change the S2 service for example.com' }).click();
  await expect(choices.getByRole('dialog', { name: 'Service for example.com' })).toBeVisible();
  await page.keyboard.press('Escape');
  await choices.getByRole('button', { name: 'Remove the S2 choice for example.com' }).click();
  await expect(choices).toContainText('No sites yet.');
  expect(await stored(page, 'serviceChoices')).toEqual({});

  await page.getByRole('button', { name: 'Clear history…' }).click();
  await page.getByRole('button', { name: 'Keep the history' }).click();
  expect((await stored<{ orders: Order[] }>(page, 'history'))?.orders).toHaveLength(2);
  await page.getByRole('button', { name: 'Clear history…' }).click();
  await expect(page.getByRole('group', { name: /Delete 2 finished orders/ })).toBeVisible();
  await page.getByRole('button', { name: 'Clear history', exact: true }).click();
  await expect(page.locator('#history-count')).toHaveText('The history is empty.');
  expect((await stored<{ orders: Order[] }>(page, 'history'))?.orders).toEqual([]);
});

test('the popup\'s History, the options page and an export agree on the finished orders, before and after clearing', async ({
  context,
  extensionId,
  simulator,
}) => {
  const page = await openOptions(context, extensionId, simulator);
  expect((await signIn(page, simulator.demoToken)).ok).toBe(true);
  // Two orders that just finished are still in the order book (shown as recent); one was archived long ago.
  const now = Date.now();
  await page.evaluate(
    async (value) => {
      const storage = (globalThis as unknown as { chrome: { storage: { local: { set(v: object): Promise<void> } } } }).chrome.storage;
      await storage.local.set(value);
    },
    {
      orderBook: { orders: [order('b-1', { createdAt: now - 120_000, updatedAt: now }), order('b-2', { phase: 'rejected', refund: 0.5, codes: [], createdAt: now - 60_000, updatedAt: now })] },
      history: { orders: [order('h-1')] },
    },
  );
  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${extensionId}/popup.html`);
  await popup.getByRole('tab', { name: 'History' }).click();
  await expect(popup.locator('.past-row')).toHaveCount(3);

  await page.reload();
  await expect(page.locator('#history-count')).toHaveText('3 finished orders are kept in the history.');
  const exported = (await send(page, 'data.export')).data as { history: Order[] };
  expect(exported.history.map((o) => o.id)).toEqual(['b-2', 'b-1', 'h-1']);

  await page.getByRole('button', { name: 'Clear history…' }).click();
  await expect(page.getByRole('group', { name: /Delete 3 finished orders/ })).toBeVisible();
  await page.getByRole('button', { name: 'Clear history', exact: true }).click();
  await expect(page.locator('#history-count')).toHaveText('The history is empty.');
  await expect(popup.locator('.past-row')).toHaveCount(0);
  await expect(popup.getByText('No past orders yet.')).toBeVisible();
  expect(((await send(page, 'data.export')).data as { history: Order[] }).history).toEqual([]);
});

test('no serious or critical accessibility findings, light and dark, with screenshots', SCREENSHOTS, async ({
  context,
  extensionId,
  simulator,
}) => {
  // Two full-page scans of a long page take a while on a busy two-core machine.
  test.setTimeout(180_000);
  const page = await openOptions(context, extensionId, simulator);
  await page.setViewportSize({ width: 900, height: 900 });
  expect((await signIn(page, simulator.demoToken)).ok).toBe(true);
  const settings = (await send(page, 'data.export')).data as { settings: Settings };
  expect(
    (
      await send(page, 'data.import', {
        bundle: bundleWithHistory({ ...settings.settings, autoSubmitSites: ['example.com'], autoRejectMinutes: 20 }),
      })
    ).ok,
  ).toBe(true);
  await page.reload();
  await expect(page.getByTestId('account-summary')).toContainText('Demo User');
  await expect(page.getByLabel('S1 state')).toHaveJSProperty('tagName', 'SELECT');
  // Show a validation message too, so the scan sees the error styles.
  await commit(page, 'S2 area codes', '12');
  await expect(page.locator('#default-areas-error')).toBeVisible();
  await page.locator('summary', { hasText: 'Advanced' }).click();

  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(
      serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
      `${scheme} scheme`,
    ).toEqual([]);
    await page.screenshot({ path: screenshotPath(`options-${scheme}.png`), fullPage: true });
  }
});

test('the page can be used with the keyboard alone', async ({ context, extensionId, simulator }) => {
  const page = await openOptions(context, extensionId, simulator);
  // The first stops are the section links, then the token field.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Account' })).toBeFocused();
  await page.getByLabel('Fill codes automatically').focus();
  await page.keyboard.press('Space');
  await expect.poll(async () => (await stored<Settings>(page, 'settings'))?.autofill).toBe(false);
  await page.getByLabel('Rental days').focus();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('9');
  await page.keyboard.press('Tab');
  await expect.poll(async () => (await stored<Settings>(page, 'settings'))?.defaults.rentalDays).toBe(9);
});
