/**
 * The cross-browser session on Chromium: Playwright with the test build
 * loaded (scripts/launch.ts), one fresh profile per session.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { extensionWorker, launchWithExtension } from '../../../scripts/launch';
import { hookFrom, newestTabIdFrom, sendFrom, signInFrom, storageFrom, useSimulator } from './session';
import type { DrivenPage, ExtensionSession } from './types';

/** Where `wxt build --mode test` writes the Chrome extension. */
export const CHROME_EXTENSION_DIR = path.resolve('.output/chrome-mv3-test');

/** A Playwright page as a DrivenPage. */
export function drivePlaywright(page: Page): DrivenPage {
  return {
    url: () => page.url(),
    goto: async (url) => {
      await page.goto(url);
    },
    // The page function travels as source text; its argument as JSON.
    evaluate: <R, A>(fn: (arg: A) => R | Promise<R>, arg?: A) =>
      page.evaluate(fn as unknown as (arg: unknown) => R, arg as unknown) as Promise<R>,
    evaluateSource: (source) => page.evaluate(source),
    click: (selector) => page.click(selector),
    select: async (selector, value) => {
      await page.selectOption(selector, value);
    },
    upload: (selector, filePath) => page.setInputFiles(selector, filePath),
    download: async (selector) => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
      // Saved under the name the page gave it, beside Playwright's copy (both go when the session closes).
      const file = path.join(path.dirname(await download.path()), download.suggestedFilename());
      await download.saveAs(file);
      return { name: download.suggestedFilename(), path: file };
    },
    type: (text) => page.keyboard.type(text),
    press: (key) => page.keyboard.press(key),
    focus: (selector) => page.focus(selector),
    evaluateInFrame: async <R>(urlPart: string, fn: () => R | Promise<R>) => {
      const frame = page.frames().find((f) => f !== page.mainFrame() && f.url().includes(urlPart));
      if (!frame) throw new Error(`no frame at ${urlPart} in ${page.url()}`);
      return frame.evaluate(fn as () => R) as Promise<R>;
    },
    text: (selector) => page.evaluate((s) => document.querySelector(s)?.textContent?.trim() ?? null, selector),
    bringToFront: () => page.bringToFront(),
    close: () => page.close(),
  };
}

/** Starts Chromium with the extension and a control page pointed at `simulatorBaseUrl`. */
export async function startChromiumSession(simulatorBaseUrl: string): Promise<ExtensionSession> {
  const userDataDir = mkdtempSync(path.join(tmpdir(), 't2fa-profile-'));
  let context: BrowserContext;
  try {
    context = await launchWithExtension(userDataDir, { extensionDir: CHROME_EXTENSION_DIR });
  } catch (error) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  }
  const errors: string[] = [];
  const worker = await extensionWorker(context);
  // (`URL.origin` is "null" for chrome-extension: URLs in Node.)
  const extensionOrigin = `chrome-extension://${new URL(worker.url()).host}`;
  context.on('console', (message) => {
    if (message.type() === 'error' && message.location().url.startsWith(extensionOrigin)) errors.push(message.text());
  });
  context.on('weberror', (error) => {
    if (error.page()?.url().startsWith(extensionOrigin)) errors.push(String(error.error()));
  });

  const controlPage = await context.newPage();
  await controlPage.goto(`${extensionOrigin}/popup.html`);
  const control = drivePlaywright(controlPage);
  await useSimulator(control, simulatorBaseUrl);
  await controlPage.reload();

  return {
    browserName: 'chromium',
    extensionOrigin,
    control,
    async openTab(url) {
      const page = await context.newPage();
      await page.goto(url);
      return { page: drivePlaywright(page), tabId: await newestTabIdFrom(control) };
    },
    async openExtensionPage(pagePath) {
      const page = await context.newPage();
      await page.goto(`${extensionOrigin}/${pagePath}`);
      return drivePlaywright(page);
    },
    async waitForPage(urlPart) {
      for (let attempt = 0; attempt < 100; attempt += 1) {
        const page = context.pages().find((p) => p.url().includes(urlPart));
        if (page) return drivePlaywright(page);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`no tab at ${urlPart}; open tabs: ${(context.pages().map((p) => p.url())).join(', ')}`);
    },
    send: (type, payload) => sendFrom(control, type, payload),
    hook: (name, args) => hookFrom(control, name, args),
    storage: (key, area = 'local') => storageFrom(control, key, area),
    signIn: (token) => signInFrom(control, token),
    async stopBackground() {
      const cdp = await context.newCDPSession(controlPage);
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.stopAllWorkers');
      await cdp.detach();
    },
    extensionErrors: () => [...errors],
    async close() {
      await context.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
