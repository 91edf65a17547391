/**
 * Small page-driving steps for the browser tests of the popup's and the
 * options page's first-use findings (issue 13), kept apart from the
 * assertions so another browser's harness can reuse them.
 */
import type { BrowserContext, Locator, Page } from '@playwright/test';
import { send } from './fixtures';

export const GOOGLE = 'https://accounts.google.com/signup';

/** Serves a tiny sign-up page for `url`'s origin, opens it in a tab and brings it to the front. */
export async function openSite(context: BrowserContext, url = GOOGLE): Promise<Page> {
  await context.route(`${new URL(url).origin}/**`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: '<!doctype html><title>Sign up</title><form><label>Phone <input name="phone" type="tel"></label><label>Code <input name="code" autocomplete="one-time-code"></label></form>',
    }),
  );
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

/** Points the popup page at the site's tab (`?tab=`, or none), at the popup's real size. */
export async function popupFor(popup: Page, site: Page | null): Promise<Page> {
  let query = '';
  if (site) {
    await site.bringToFront();
    const tabId = await popup.evaluate(async () => {
      const chrome = (globalThis as unknown as { chrome: { tabs: { query(q: object): Promise<Array<{ id: number }>> } } }).chrome;
      return (await chrome.tabs.query({ active: true, lastFocusedWindow: true }))[0]!.id;
    });
    query = `?tab=${tabId}`;
  }
  const base = popup.url().replace(/\/popup\.html.*$/, '');
  await popup.goto(`${base}/popup.html${query}`);
  await popup.setViewportSize({ width: 360, height: 600 });
  await popup.bringToFront();
  return popup;
}

/**
 * Clicks `target` and types `keys` right behind the click, the way a hurried
 * user does: every input event is handed to the browser at once, in order,
 * without waiting for the page to react to the click first. (Playwright's own
 * click waits for the click's round trip, which would give the page time a
 * user does not give it.)
 */
export async function clickThenType(page: Page, target: Locator, keys: string): Promise<void> {
  await target.scrollIntoViewIfNeeded();
  const box = await target.boundingBox();
  if (!box) throw new Error(`${String(target)} is not visible`);
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  const cdp = await page.context().newCDPSession(page);
  const mouse = (type: 'mouseMoved' | 'mousePressed' | 'mouseReleased') => cdp.send('Input.dispatchMouseEvent', { type, x, y, button: 'left', clickCount: 1 });
  const sent = [mouse('mouseMoved'), mouse('mousePressed'), mouse('mouseReleased')];
  for (const char of keys) {
    sent.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: char, text: char, unmodifiedText: char }));
    sent.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: char }));
  }
  await Promise.all(sent);
  await cdp.detach();
}

/** Opens the service picker with a click and types `keys` at once, with no wait in between. */
export async function openPickerAndType(popup: Page, keys: string): Promise<void> {
  await clickThenType(popup, popup.getByRole('button', { name: /^Service/ }), keys);
}

/** The picker's search box. */
export const pickerSearch = (popup: Page) => popup.getByRole('combobox', { name: 'Search services' });

/** Switches the popup's order form to a pool ("S1", "S2", "Rental"). */
export async function choosePool(popup: Page, pool: 'S1' | 'S2' | 'Rental'): Promise<void> {
  await popup.locator('form.buy .segmented label', { hasText: pool }).click();
}

/** Opens the options page pointed at `apiBaseUrl`, at `hash` (a section) if given. */
export async function openOptions(context: BrowserContext, extensionId: string, apiBaseUrl: string, hash = ''): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/options.html`);
  const reply = await send(page, 'dev.setApiBaseUrl', { url: apiBaseUrl });
  if (!reply.ok) throw new Error(`could not set the API URL: ${JSON.stringify(reply)}`);
  await page.goto(`chrome-extension://${extensionId}/options.html${hash}`);
  await page.getByRole('heading', { name: 'Text2FA settings' }).waitFor();
  return page;
}

/** Types into a text field labelled `label` and commits it the way a user does: Enter. */
export async function commitField(page: Page, label: string, value: string): Promise<void> {
  const field = page.getByLabel(label, { exact: true });
  await field.fill(value);
  await field.press('Enter');
}

/** Pastes `token` into the token field and presses the save button (`name`). */
export async function submitToken(page: Page, token: string, name: string | RegExp = 'Save token'): Promise<void> {
  await page.locator('#token-input').fill(token);
  await page.getByRole('button', { name }).click();
}

/** An address where nothing listens: Text2FA "unreachable" without touching the network. */
export const UNREACHABLE_API = 'http://127.0.0.1:9/api/v1';

/** Points the background at another API base URL (the simulator, or `UNREACHABLE_API`). */
export async function pointApiAt(extensionPage: Page, url: string): Promise<void> {
  const reply = await send(extensionPage, 'dev.setApiBaseUrl', { url });
  if (!reply.ok) throw new Error(`could not set the API URL: ${JSON.stringify(reply)}`);
}

/** The alerts on the page that say Text2FA could not be reached. */
export const unreachableSayings = (page: Page) => page.getByRole('alert').filter({ hasText: /could not be reached|reach Text2FA/i });

/**
 * The text of the in-page note (the toast). It lives in a closed shadow root
 * that page scripts cannot read; the DevTools protocol can.
 */
export async function toastText(page: Page): Promise<string | null> {
  interface DomNode { nodeName: string; nodeType: number; nodeValue?: string; children?: DomNode[]; shadowRoots?: DomNode[] }
  const cdp = await page.context().newCDPSession(page);
  const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode };
  await cdp.detach();
  const find = (node: DomNode): DomNode | null =>
    node.nodeName === 'T2FA-TOAST' ? node : [...(node.children ?? []), ...(node.shadowRoots ?? [])].map(find).find((n) => n) ?? null;
  const text = (node: DomNode): string =>
    node.nodeName === 'STYLE' ? '' : node.nodeType === 3 ? (node.nodeValue ?? '') : [...(node.shadowRoots ?? []), ...(node.children ?? [])].map(text).join('');
  const toast = find(root);
  return toast ? text(toast) : null;
}

/** Opens the popup's Orders tab. */
export async function openOrdersTab(popup: Page): Promise<void> {
  await popup.getByRole('tab', { name: /Orders/ }).click();
}
