/**
 * Playwright fixtures: the built extension loaded into a real Chromium, a
 * fresh simulator over real HTTP for each test, and helpers to open the
 * extension's pages pointed at that simulator.
 */
import { test as base, chromium, expect, type BrowserContext, type Page, type Worker } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSimulator, type Simulator } from '../../simulator/server';
import { findChromium } from './chromium';

/** Where `wxt build --mode test` writes the Chrome extension. */
export const EXTENSION_DIR = path.resolve('.output/chrome-mv3-test');

/** Launches Chromium with the extension and a profile in `userDataDir` (reuse it to relaunch). */
export async function launchWithExtension(userDataDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: findChromium(),
    headless: true,
    args: [
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The extension's service worker, waiting for it to start if needed. */
export async function extensionWorker(context: BrowserContext): Promise<Worker> {
  const existing = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'));
  return existing ?? context.waitForEvent('serviceworker', { timeout: 15_000 });
}

interface Fixtures {
  simulator: Simulator;
  userDataDir: string;
  context: BrowserContext;
  serviceWorker: Worker;
  extensionId: string;
  /** Opens the popup in a tab, already pointed at this test's simulator. */
  openPopup(): Promise<Page>;
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
});

export { expect };
