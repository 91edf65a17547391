/**
 * Fixtures for the cross-browser specs (tests/e2e/both/): each test gets a
 * fresh simulator over real HTTP and a fresh browser with the test build, in
 * the browser its Playwright project names (`extensionBrowser`: the
 * `chromium` and `firefox` projects in playwright.config.ts). The fixture
 * pages are served once per worker, for every host name (`shop.test`,
 * `other.test`, ...), which both browsers resolve to this machine.
 *
 * After each test the session must have logged no extension error: in Firefox
 * that is the "the extension logs no errors during the suite".
 */
import { execFileSync } from 'node:child_process';
import axe from 'axe-core';
import { test as base, expect } from '@playwright/test';
import { startSimulator, type Simulator } from '../../../simulator/server';
import { startFixtureServer, type FixtureServer } from '../../support/fixture-server';
import { SimControl } from '../../support/sim-control';
import { readStoredToken } from '../../support/stored-token';
import path from 'node:path';
import { extensionDir, startSession, type BrowserName, type DrivenPage, type ExtensionSession } from '../../../scripts/browsers';

export type { BrowserName, DrivenPage, ExtensionSession };
export { IDLE_PREF } from '../../../scripts/browsers';

export interface HarnessOptions {
  /** Which browser the project runs the specs in. */
  extensionBrowser: BrowserName;
  /** Extra Firefox preferences for this test (e.g. a short `extensions.background.idle.timeout`). */
  firefoxPrefs: Record<string, string | number | boolean>;
}

interface HarnessFixtures {
  simulator: Simulator;
  sim: SimControl;
  /** The browser with the extension, pointed at this test's simulator, not signed in. */
  session: ExtensionSession;
  /** The same, signed in with the simulator's demo account. */
  signedIn: ExtensionSession;
}

interface WorkerFixtures {
  fixtures: FixtureServer;
}

export const test = base.extend<HarnessOptions & HarnessFixtures, WorkerFixtures>({
  extensionBrowser: ['chromium', { option: true }],
  firefoxPrefs: [{}, { option: true }],
  fixtures: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      execFileSync(process.execPath, ['scripts/build-fixtures.mjs'], { stdio: ['ignore', 'ignore', 'inherit'] });
      const server = await startFixtureServer({ port: 0 });
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],
  // eslint-disable-next-line no-empty-pattern
  simulator: async ({}, use) => {
    const simulator = await startSimulator({ port: 0 });
    await use(simulator);
    await simulator.close();
  },
  sim: async ({ simulator }, use) => {
    await use(new SimControl(simulator.url));
  },
  session: async ({ extensionBrowser, firefoxPrefs, simulator }, use, testInfo) => {
    const session = await startSession(extensionBrowser, {
      extensionDir: path.resolve(extensionDir(extensionBrowser, 'test')),
      simulatorBaseUrl: simulator.baseUrl,
      prefs: firefoxPrefs,
    });
    try {
      await use(session);
      if (testInfo.status === testInfo.expectedStatus) {
        expect(session.extensionErrors(), `errors the extension logged in ${extensionBrowser}`).toEqual([]);
      }
    } finally {
      await session.close();
    }
  },
  signedIn: async ({ session, simulator }, use) => {
    const reply = await session.signIn(simulator.demoToken);
    if (!reply.ok) throw new Error(`setup failed: ${JSON.stringify(reply)}`);
    await use(session);
  },
});

export { expect };

/** What a fixture page's own framework state holds (tests/fixtures/pages/_shared/fixture.ts). */
export const fixtureState = (page: DrivenPage) => page.evaluate(() => (window as unknown as { __fixture: { state(): string } }).__fixture.state());

/** The simulator's S1 service key for a service name. */
export async function serviceKey(session: ExtensionSession, name: string): Promise<string> {
  const reply = await session.send('catalog.services', { pool: 's1' });
  if (!reply.ok) throw new Error(`no services: ${JSON.stringify(reply.error)}`);
  const service = (reply.data as { key: string; name: string }[]).find((s) => s.name === name);
  if (!service) throw new Error(`no S1 service named ${name}`);
  return service.key;
}

/** Buys an S1 number for the named service bound to `tabId`, and returns the order (throws when refused). */
export async function buyFor(
  session: ExtensionSession,
  tabId: number | undefined,
  intentId: string,
  service = 'Google',
): Promise<{ id: string; orderId: string; number: string }> {
  const reply = await session.send('orders.buy', {
    intentId,
    pool: 's1',
    serviceKey: await serviceKey(session, service),
    serviceName: service,
    expectedPrice: null,
    another: true,
    ...(tabId === undefined ? {} : { tabId }),
  });
  if (!reply.ok) throw new Error(`purchase failed: ${JSON.stringify(reply.error)}`);
  return reply.data as { id: string; orderId: string; number: string };
}

/** The order book as the background stored it. */
export async function readOrders(session: ExtensionSession): Promise<Array<Record<string, unknown> & { id: string }>> {
  return (await session.storage<{ orders: Array<Record<string, unknown> & { id: string }> }>('orderBook'))?.orders ?? [];
}

/** The content script's own counters in a page (test builds only). */
export async function contentStats(page: DrivenPage): Promise<{ wakes: number; queries: number; observers: number; scans: number } | null> {
  const raw = await page.evaluate(() => document.documentElement.getAttribute('data-t2fa-test'));
  return raw ? JSON.parse(raw) : null;
}

/**
 * Opens the popup in a tab of its own, about the site in `tabId`: `popup.html?tab=<id>`
 * (components/stores/browser-env.ts), since a popup opened in a tab would otherwise be about itself.
 */
export async function popupFor(session: ExtensionSession, tabId: number): Promise<DrivenPage> {
  const popup = await session.openExtensionPage(`popup.html?tab=${tabId}`);
  await expect.poll(() => popup.text('[data-testid="balance"]')).not.toBeNull();
  return popup;
}

type TextMatch = string | RegExp;
const asPattern = (text: TextMatch) =>
  typeof text === 'string' ? { source: `^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, flags: '' } : { source: text.source, flags: text.flags };

/**
 * A selector for the first element matching `selector` whose trimmed text is
 * `text` (or matches it), to click buttons and links by the words a user
 * sees in both browsers (Playwright's and puppeteer's text selectors differ).
 * The element is marked with a test-only attribute; null when none matches.
 */
export async function withText(page: DrivenPage, selector: string, text: TextMatch): Promise<string | null> {
  const mark = await page.evaluate(
    ({ selector, pattern }) => {
      const regexp = new RegExp(pattern.source, pattern.flags);
      const found = [...document.querySelectorAll(selector)].find((el) => regexp.test(el.textContent?.trim() ?? ''));
      if (!found) return null;
      const value = found.getAttribute('data-t2fa-pick') ?? String(Math.random()).slice(2);
      found.setAttribute('data-t2fa-pick', value);
      return value;
    },
    { selector, pattern: asPattern(text) },
  );
  return mark === null ? null : `[data-t2fa-pick="${mark}"]`;
}

/** Clicks the element `withText` finds, once it is there. */
export async function clickText(page: DrivenPage, selector: string, text: TextMatch): Promise<void> {
  let target: string | null = null;
  await expect.poll(async () => (target = await withText(page, selector, text)), { message: `${selector} with text ${text}` }).not.toBeNull();
  await page.click(target!);
}

/** A selector for the form control a `<label>` with exactly this text names. */
export async function labelled(page: DrivenPage, label: string): Promise<string> {
  let id: string | null = null;
  await expect
    .poll(
      async () =>
        (id = await page.evaluate((label) => {
          const found = [...document.querySelectorAll('label')].find((l) => l.textContent?.trim() === label);
          const control = found?.control;
          if (!control) return null;
          if (!control.id) control.id = `t2fa-test-${String(Math.random()).slice(2)}`;
          return control.id;
        }, label)),
      { message: `a control labelled "${label}"` },
    )
    .not.toBeNull();
  return `#${cssId(id!)}`;
}

/** `CSS.escape` for ids in Node: useId() gives ids such as `P0-1`. */
function cssId(id: string): string {
  return id.replace(/^(\d)/, '\\3$1 ').replace(/[^\w-]/g, (c) => `\\${c}`);
}

/** A form control's current state: its value, and whether it is checked, disabled or marked invalid (null when absent). */
export function control(
  page: DrivenPage,
  selector: string,
): Promise<{ value: string; checked: boolean; disabled: boolean; invalid: boolean } | null> {
  return page.evaluate((selector) => {
    const el = document.querySelector<HTMLInputElement>(selector);
    if (!el) return null;
    return { value: el.value, checked: el.checked === true, disabled: el.disabled === true, invalid: el.getAttribute('aria-invalid') === 'true' };
  }, selector);
}

/** Replaces a text field's value by typing, as a user who selects all and types does. */
export async function replaceText(page: DrivenPage, selector: string, text: string): Promise<void> {
  await page.focus(selector);
  await page.press('Control+A');
  if (text === '') await page.press('Backspace');
  else await page.type(text);
}

/** What the clipboard holds, pasted with the keyboard into a scratch field of `page` (both browsers paste for real). */
export async function pasted(page: DrivenPage): Promise<string> {
  await page.evaluate(() => {
    const area = document.createElement('textarea');
    area.id = 't2fa-test-paste';
    document.body.append(area);
  });
  await page.focus('#t2fa-test-paste');
  await page.press('Control+V');
  return page.evaluate(() => {
    const area = document.querySelector<HTMLTextAreaElement>('#t2fa-test-paste')!;
    area.remove();
    return area.value;
  });
}

/** The API token as the background keeps it (the extension origin's IndexedDB), read from one of the extension's pages. */
export function storedToken(extensionPage: DrivenPage): Promise<string | null> {
  return extensionPage.evaluate(readStoredToken);
}

/**
 * Serious and critical accessibility findings of axe-core on `page` as it is
 * now (within `include` when given), one line each. axe is injected as source
 * text, so the same scan runs in Chromium and Firefox.
 */
export async function accessibilityFindings(page: DrivenPage, include?: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluateSource(axe.source);
  return page.evaluate(async (include) => {
    const run = (window as unknown as { axe: typeof axe }).axe.run;
    const results = await run(include ? { include: [include] } : document);
    return results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  }, include);
}
