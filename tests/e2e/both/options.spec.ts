/**
 * The options page in Chromium and Firefox: settings saved as they change
 * and read back on a fresh page, the keyboard shortcuts with their keys,
 * export to a real file and import of it, and files that must be refused.
 *
 * Firefox saves the export like any download: the session's preferences send
 * downloads to a folder of its own without asking (scripts/browsers/firefox.ts), so
 * both browsers hand the test the same file a user would get.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Settings } from '../../../utils/storage';
import { clickText, control, expect, labelled, replaceText, test, withText, type DrivenPage, type ExtensionSession } from '../harness';

/** Opens the options page and waits until it shows the account. */
async function openOptions(session: ExtensionSession): Promise<DrivenPage> {
  const page = await session.openExtensionPage('options.html');
  await expect.poll(() => page.text('h1')).toBe('Text2FA settings');
  await expect.poll(() => page.text('[data-testid="account-summary"]')).not.toBeNull();
  return page;
}

/** Types a value into the field `label` names and commits it as a user does: Enter. */
async function commit(page: DrivenPage, label: string, value: string): Promise<void> {
  await replaceText(page, await labelled(page, label), value);
  await page.press('Enter');
}

/** The state of the control `label` names. */
async function field(page: DrivenPage, label: string) {
  return control(page, await labelled(page, label));
}

const settingsOf = async (session: ExtensionSession) => (await session.storage<Settings>('settings'))!;

test('settings are saved as they change and read back on a fresh page; the shortcuts show each command with its key', async ({
  session,
  extensionBrowser,
}) => {
  test.setTimeout(120_000);
  let page = await openOptions(session);

  await page.select(await labelled(page, 'Number type'), 'rental');
  await commit(page, 'S1 state', 'ca');
  await expect.poll(async () => (await field(page, 'S1 state'))?.value).toBe('CA');
  await commit(page, 'S1 premium bid', '0.50');
  await commit(page, 'S2 area codes', '212 646,212');
  await expect.poll(async () => (await field(page, 'S2 area codes'))?.value).toBe('212, 646');
  await commit(page, 'Rental days', '30');
  await page.click(await labelled(page, 'Fill codes automatically'));
  await commit(page, 'Add a site', 'https://www.example.com/login');
  await expect.poll(() => page.text('[aria-label="Remove example.com from auto-submit"]')).toBe('Remove');
  await page.click(await labelled(page, 'Reject numbers that get no SMS'));
  await commit(page, 'Reject after', '30');
  await page.click(await labelled(page, 'Limit spending per 24 hours'));
  await commit(page, 'Most to spend in any 24 hours', '25');
  await page.click(await labelled(page, 'Show notifications'));
  await clickText(page, 'summary', 'Advanced');
  await commit(page, 'Most checking requests per minute', '30');
  await expect.poll(() => page.text('[data-testid="orders-status"]')).toBe('Saved');

  // Invalid values are explained next to their field and never sent.
  await commit(page, 'S2 area codes', '212, 21');
  await expect.poll(() => page.text('#default-areas-error')).toContain('“21” is not a US area code');
  expect((await field(page, 'S2 area codes'))?.invalid).toBe(true);
  await commit(page, 'Reject after', '2000');
  await expect.poll(() => page.text('#auto-reject-minutes-error')).toContain('from 1 to 1440');

  const expected: Settings = {
    autofill: false,
    fillPhone: true,
    autoSubmitSites: ['example.com'],
    autoRejectMinutes: 30,
    spendingLimit24h: 25,
    confirmBeforeBuying: true,
    notifications: false,
    maxRequestsPerMinute: 30,
    defaults: { pool: 'rental', state: 'CA', premium: 0.5, areas: ['212', '646'], rentalDays: 30 },
  };
  await expect.poll(() => settingsOf(session)).toEqual(expected);

  // A fresh page reads them all back from storage.
  await page.close();
  page = await openOptions(session);
  await expect.poll(async () => (await field(page, 'Number type'))?.value).toBe('rental');
  expect((await field(page, 'S1 state'))?.value).toBe('CA');
  expect((await field(page, 'S1 premium bid'))?.value).toBe('0.5');
  expect((await field(page, 'S2 area codes'))?.value).toBe('212, 646');
  expect((await field(page, 'Rental days'))?.value).toBe('30');
  expect((await field(page, 'Fill codes automatically'))?.checked).toBe(false);
  expect((await field(page, 'Fill the phone number after buying'))?.checked).toBe(true);
  expect((await field(page, 'Reject after'))?.value).toBe('30');
  expect((await field(page, 'Most to spend in any 24 hours'))?.value).toBe('25');
  expect((await field(page, 'Show notifications'))?.checked).toBe(false);

  // Off again: the setting goes back to null, the site leaves the list.
  await page.click(await labelled(page, 'Reject numbers that get no SMS'));
  await page.click('[aria-label="Remove example.com from auto-submit"]');
  await expect.poll(async () => (await settingsOf(session)).autoRejectMinutes).toBeNull();
  await expect.poll(async () => (await settingsOf(session)).autoSubmitSites).toEqual([]);

  // The shortcuts, as the browser reports them: every command with its key.
  const rows = () =>
    page.evaluate(() =>
      [...document.querySelectorAll('[data-testid="shortcuts"] tbody tr')].map((row) =>
        [...row.querySelectorAll('th, td')].map((cell) => cell.textContent?.trim()),
      ),
    );
  await expect.poll(rows).toHaveLength(3);
  const shortcuts = await rows();
  expect(shortcuts.map(([action, command]) => `${action} (${command})`).sort()).toEqual([
    'Fill the latest code (fill-code)',
    'Get a number for this site (get-number)',
    'Open Text2FA (_execute_action)',
  ]);
  for (const [action, , key] of shortcuts) expect(key, action).toMatch(/^Alt\+Shift\+[A-Z]$/);
  // Where to change them: Chromium has a page the extension may open; Firefox gets directions.
  if (extensionBrowser === 'chromium') {
    await clickText(page, '#shortcuts button', 'Change shortcuts');
    const opened = await session.waitForPage('chrome://extensions/shortcuts');
    expect(opened.url()).toBe('chrome://extensions/shortcuts');
  } else {
    expect(await withText(page, '#shortcuts button', 'Change shortcuts')).toBeNull();
    expect(await page.text('#shortcuts .opt-how')).toContain('about:addons');
  }
});

test('export saves a file without the token; importing it restores a changed setting; broken files change nothing', async ({
  signedIn,
  simulator,
}, testInfo) => {
  test.setTimeout(120_000);
  const page = await openOptions(signedIn);
  await commit(page, 'Rental days', '14');
  await expect.poll(() => page.text('[data-testid="defaults-status"]')).toBe('Saved');

  const exported = await page.download((await withText(page, '#data button', 'Export to a file'))!);
  expect(exported.name).toMatch(/^text2fa-export-\d{4}-\d{2}-\d{2}\.json$/);
  const text = readFileSync(exported.path, 'utf8');
  expect(text).not.toContain(simulator.demoToken);
  const bundle = JSON.parse(text) as { format: string; settings: Settings };
  expect(bundle.format).toBe('text2fa-extension-export');
  expect(bundle.settings.defaults.rentalDays).toBe(14);
  await expect.poll(() => page.text('#data [role="status"]')).toContain(`Exported to ${exported.name}`);

  await commit(page, 'Rental days', '3');
  await expect.poll(async () => (await settingsOf(signedIn)).defaults.rentalDays).toBe(3);

  const importField = await labelled(page, 'Import from a file');
  await page.upload(importField, exported.path);
  await clickText(page, '#data button', 'Replace with this file');
  await expect
    .poll(() => page.text('#data [role="status"]'))
    .toBe(`Imported settings, 0 site choices and 0 history orders from ${exported.name}.`);
  expect((await field(page, 'Rental days'))?.value).toBe('14');
  expect((await settingsOf(signedIn)).defaults.rentalDays).toBe(14);

  // Valid JSON with a bad setting: checked as the background would check it, refused before any question is asked.
  const before = await settingsOf(signedIn);
  const broken = testInfo.outputPath('broken.json');
  writeFileSync(broken, JSON.stringify({ ...bundle, settings: { ...bundle.settings, autofill: 'yes' } }));
  await page.upload(importField, broken);
  await expect
    .poll(() => page.text('#import-file-error'))
    .toBe('The setting "Fill codes automatically" in this file is not valid: "yes". Nothing was changed.');
  expect(await withText(page, '#data button', 'Replace with this file')).toBeNull();
  expect(await settingsOf(signedIn)).toEqual(before);

  // Not JSON at all: refused before anything is sent.
  const notes = testInfo.outputPath('notes.txt');
  writeFileSync(notes, 'hello');
  await page.upload(importField, notes);
  await expect.poll(() => page.text('#import-file-error')).toContain('it is not a JSON file. Nothing was changed.');
  expect(await settingsOf(signedIn)).toEqual(before);
});
