/**
 * Playwright fixtures: the built extension loaded into a real Chromium, a
 * fresh simulator over real HTTP for each test, and helpers to open the
 * extension's pages pointed at that simulator.
 */
import { test as base, expect, type BrowserContext, type Page, type Worker } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSimulator, type Simulator } from '../../simulator/server';
import { extensionWorker, launchWithExtension as launch, newestTabId, send, signIn, type Reply } from '../../scripts/launch';
import { createText2faClient } from '../../utils/text2fa';
import type { Order } from '../../utils/orders/model';

/** Where `wxt build --mode test` writes the Chrome extension. */
export const EXTENSION_DIR = path.resolve('.output/chrome-mv3-test');

/** Launches Chromium with the test build and a profile in `userDataDir` (reuse it to relaunch). */
export function launchWithExtension(userDataDir: string): Promise<BrowserContext> {
  return launch(userDataDir, { extensionDir: EXTENSION_DIR });
}

export { extensionWorker, newestTabId, send, signIn, type Reply };

/** The simulator's S1 service key for Google. */
export async function googleKey(baseUrl: string, token: string): Promise<string> {
  const services = await createText2faClient({ baseUrl, token }).servicesS1();
  return services.find((s) => s.name === 'Google')!.key;
}

/** Buys an S1 Google number through the background, as the popup does; `extra` adds e.g. `tabId` or `another`. */
export function buyGoogle(page: Page, serviceKey: string, intentId: string, extra: Record<string, unknown> = {}): Promise<Reply> {
  return send(page, 'orders.buy', { intentId, pool: 's1', serviceKey, serviceName: 'Google', expectedPrice: null, ...extra });
}

/** Runs `expression` in our content script's isolated world on `page`, and returns its value. */
export async function inContentScript(context: BrowserContext, page: Page, expression: string): Promise<unknown> {
  const cdp = await context.newCDPSession(page);
  const worlds: { id: number; auxData?: { type?: string } }[] = [];
  cdp.on('Runtime.executionContextCreated', (event: { context: { id: number; auxData?: { type?: string } } }) => worlds.push(event.context));
  await cdp.send('Runtime.enable');
  await expect.poll(() => worlds.some((w) => w.auxData?.type === 'isolated')).toBe(true);
  const result = (await cdp.send('Runtime.evaluate', {
    expression,
    contextId: worlds.find((w) => w.auxData?.type === 'isolated')!.id,
    awaitPromise: true,
    returnByValue: true,
  })) as { result: { value: unknown } };
  return result.result.value;
}

/** What a fixture page's own framework state holds (see tests/fixtures/pages/_shared/fixture.ts). */
export const fixtureState = (page: Page) => page.evaluate(() => (window as unknown as { __fixture: { state(): string } }).__fixture.state());

/** Reads the order book straight from storage (this does not wake the service worker). */
export async function readOrders(page: Page): Promise<Order[]> {
  return page.evaluate(async () => {
    const storage = (globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<Record<string, { orders: never[] } | undefined>> } } } }).chrome.storage;
    const value = await storage.local.get('orderBook');
    return value.orderBook?.orders ?? [];
  });
}

/**
 * Stops the extension's service worker the way the browser does when it is
 * idle, through the DevTools protocol from one of the extension's own pages.
 */
export async function stopServiceWorker(context: BrowserContext, extensionPage: Page): Promise<void> {
  const cdp = await context.newCDPSession(extensionPage);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await cdp.detach();
}

interface Fixtures {
  simulator: Simulator;
  userDataDir: string;
  context: BrowserContext;
  serviceWorker: Worker;
  extensionId: string;
  /** Opens the popup in a tab, already pointed at this test's simulator. */
  openPopup(): Promise<Page>;
  /** An extension page with the demo token set up, for driving the background by message. */
  signedIn: Page;
}

export const test = base.extend<Fixtures>({
  // eslint-disable-next-line no-empty-pattern
  simulator: async ({}, use) => {
    const simulator = await startSimulator({ port: 0 });
    await use(simulator);
    await simulator.close();
  },
  // eslint-disable-next-line no-empty-pattern
  userDataDir: async ({}, use) => {
    const dir = mkdtempSync(path.join(tmpdir(), 't2fa-profile-'));
    await use(dir);
    rmSync(dir, { recursive: true, force: true });
  },
  context: async ({ userDataDir }, use) => {
    const context = await launchWithExtension(userDataDir);
    await use(context);
    await context.close();
  },
  serviceWorker: async ({ context }, use) => {
    await use(await extensionWorker(context));
  },
  extensionId: async ({ serviceWorker }, use) => {
    await use(new URL(serviceWorker.url()).host);
  },
  openPopup: async ({ context, extensionId, simulator }, use) => {
    await use(async () => {
      const page = await context.newPage();
      await page.goto(`chrome-extension://${extensionId}/popup.html`);
      // Point this build at the test's simulator through the same message the options page uses.
      await page.evaluate(async (url) => {
        const runtime = (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<{ ok?: boolean }> } } }).chrome.runtime;
        const reply = await runtime.sendMessage({ t2fa: 1, type: 'dev.setApiBaseUrl', payload: { url } });
        if (!reply?.ok) throw new Error(`could not set the API URL: ${JSON.stringify(reply)}`);
      }, simulator.baseUrl);
      await page.reload();
      return page;
    });
  },
  signedIn: async ({ openPopup, simulator }, use) => {
    const page = await openPopup();
    const reply = await signIn(page, simulator.demoToken);
    if (!reply.ok) throw new Error(`setup failed: ${JSON.stringify(reply)}`);
    await use(page);
  },
});

export { expect };
