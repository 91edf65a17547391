/**
 * Chromium only: a page cannot tell the extension is installed, through its
 * one web-accessible file (served only at Chrome's per-session address).
 * Firefox has no per-session address but gives each install its own random
 * UUID. The rest of the security checks run in both browsers
 * (tests/e2e/both/security.spec.ts).
 */
import { expect, inContentScript, test } from './fixtures';

test('a web page cannot tell the extension is installed: no message from it, and its one web-accessible file only at a per-session address', async ({
  context,
  extensionId,
  simulator,
}) => {
  const page = await context.newPage();
  await page.addInitScript(() => {
    const seen: unknown[] = [];
    (globalThis as { __seen?: unknown[] }).__seen = seen;
    addEventListener('message', (event) => seen.push(event.data));
  });
  await page.goto(`http://shop.test:${new URL(simulator.url).port}/__sim/`);
  await expect.poll(() => page.evaluate(() => document.documentElement.hasAttribute('data-t2fa-test'))).toBe(true);
  expect(await page.evaluate(() => JSON.stringify((globalThis as { __seen?: unknown[] }).__seen))).toBe('[]');

  const probe = await page.evaluate(
    (url) => fetch(url).then(() => 'loaded', () => 'blocked'),
    `chrome-extension://${extensionId}/content-active.js`,
  );
  expect(probe).toBe('blocked');
  // The content script itself still reaches it, at the address the browser gives it for this session.
  const own = await inContentScript(context, page, `fetch(chrome.runtime.getURL('/content-active.js')).then((r) => r.ok, () => false)`);
  expect(own).toBe(true);
});
