/**
 * First run, in Chromium and Firefox: the popup's Setup form refuses a token
 * Text2FA rejects and keeps one it accepts, then says how to pin the toolbar
 * button; every command has its key.
 */
import { expect, test } from '../harness';

test('the popup signs in: a rejected token is refused, an accepted one shows the balance, and how to pin the button', async ({
  session,
  simulator,
  extensionBrowser,
}) => {
  const popup = await session.openExtensionPage('popup.html');
  await expect.poll(() => popup.text('#setup-title')).toBe('Connect your Text2FA account');

  await popup.focus('#token-input');
  await popup.type('definitely-not-a-token');
  await popup.press('Enter');
  await expect.poll(() => popup.text('#setup-error')).toContain('did not accept this token');

  await popup.evaluate(() => ((document.querySelector('#token-input') as HTMLInputElement).value = ''));
  await popup.focus('#token-input');
  await popup.type(simulator.demoToken);
  await popup.press('Enter');
  await expect.poll(() => popup.text('[data-testid="balance"]')).toBe('$50.00');

  // First run: the button is not pinned yet, and the popup says how, in this browser's words.
  const pinHint = '[data-testid="pin-hint"]';
  await expect.poll(() => popup.text(pinHint)).toContain(extensionBrowser === 'firefox' ? '“Pin to Toolbar”' : 'the pin next to Text2FA');
  await popup.click(`${pinHint} button`);
  await expect.poll(() => popup.text(pinHint)).toBeNull();
  const reopened = await session.openExtensionPage('popup.html');
  await expect.poll(() => reopened.text('[data-testid="balance"]')).toBe('$50.00');
  expect(await reopened.text(pinHint)).toBeNull();
});

test('after a fresh install every command has a keyboard shortcut', async ({ session }) => {
  const commands = await session.control.evaluate(async () => {
    const api = ((globalThis as { browser?: unknown }).browser ?? (globalThis as { chrome?: unknown }).chrome) as {
      commands: { getAll(): Promise<{ name: string; shortcut?: string }[]> };
    };
    return api.commands.getAll();
  });
  expect(commands.map((c) => c.name).sort()).toEqual(['_execute_action', 'fill-code', 'get-number']);
  for (const command of commands) expect(command.shortcut, command.name).toMatch(/^(Alt|Ctrl|Command|MacCtrl)\+/);
});
