/**
 * An ExtensionSession on Chromium: Playwright with the extension loaded
 * (../launch.ts), in a fresh profile deleted on close.
 */
import { mkdtempSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { extensionWorker, launchWithExtension } from '../launch';
import { hookFrom, newestTabIdFrom, sendFrom, signInFrom, storageFrom, useSimulator } from './control';
import type { DrivenPage, ExtensionSession, SessionOptions } from './types';

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
    clickText: (selector, text) => page.locator(selector).filter({ hasText: text }).first().click(),
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

/**
 * Chromium keeps its single-instance socket in a temp folder of its own,
 * linked from the profile, and deletes it only when it exits normally; under
 * `xvfb-run`, Ctrl-C also stops the X server, and Chromium with it.
 */
function chromiumSocketFolder(profile: string): string | null {
  try {
    const folder = path.dirname(readlinkSync(path.join(profile, 'SingletonSocket')));
    return path.basename(folder).startsWith('org.chromium.Chromium.') ? folder : null;
  } catch {
    return null;
  }
}

/** How long the browser gets to close before its profile is deleted anyway. */
const CLOSE_TIMEOUT_MS = 15_000;

/** Starts Chromium with the extension and its first tab on the popup page, pointed at the simulator. */
export async function startChromiumSession(options: SessionOptions): Promise<ExtensionSession> {
  const profile = mkdtempSync(path.join(tmpdir(), options.profilePrefix ?? 't2fa-profile-'));
  let context: BrowserContext | null = null;
  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      const socketFolder = chromiumSocketFolder(profile);
      try {
        const closed = context?.close().catch(() => undefined);
        await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS).unref())]);
      } finally {
        rmSync(profile, { recursive: true, force: true, maxRetries: 5 });
        if (socketFolder) rmSync(socketFolder, { recursive: true, force: true });
      }
    })());

  try {
    context = await launchWithExtension(profile, {
      extensionDir: options.extensionDir,
      headless: options.headless ?? true,
      handleSignals: options.handleSignals ?? true,
    });
    const browserContext = context;
    const errors: string[] = [];
    const worker = await extensionWorker(browserContext);
    // (`URL.origin` is "null" for chrome-extension: URLs in Node.)
    const extensionOrigin = `chrome-extension://${new URL(worker.url()).host}`;
    browserContext.on('console', (message) => {
      if (message.type() === 'error' && message.location().url.startsWith(extensionOrigin)) errors.push(message.text());
    });
    browserContext.on('weberror', (error) => {
      if (error.page()?.url().startsWith(extensionOrigin)) errors.push(String(error.error()));
    });

    // The tab Chromium opens with: a second one would stay behind as a stray about:blank.
    const controlPage = browserContext.pages()[0] ?? (await browserContext.newPage());
    await controlPage.goto(`${extensionOrigin}/popup.html`);
    const control = drivePlaywright(controlPage);
    await useSimulator(control, options.simulatorBaseUrl);
    await controlPage.reload();

    return {
      browserName: 'chromium',
      extensionOrigin,
      profile,
      pageUrls: async () => browserContext.pages().map((page) => page.url()),
      control,
      async openTab(url) {
        const page = await browserContext.newPage();
        await page.goto(url);
        return { page: drivePlaywright(page), tabId: await newestTabIdFrom(control) };
      },
      async openExtensionPage(pagePath) {
        const page = await browserContext.newPage();
        await page.goto(`${extensionOrigin}/${pagePath}`);
        return drivePlaywright(page);
      },
      async waitForPage(urlPart) {
        for (let attempt = 0; attempt < 100; attempt += 1) {
          const page = browserContext.pages().find((p) => p.url().includes(urlPart));
          if (page) return drivePlaywright(page);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        throw new Error(`no tab at ${urlPart}; open tabs: ${browserContext.pages().map((p) => p.url()).join(', ')}`);
      },
      send: (type, payload) => sendFrom(control, type, payload),
      hook: (name, args) => hookFrom(control, name, args),
      storage: (key, area = 'local') => storageFrom(control, key, area),
      signIn: (token) => signInFrom(control, token),
      async stopBackground() {
        const cdp = await browserContext.newCDPSession(controlPage);
        await cdp.send('ServiceWorker.enable');
        await cdp.send('ServiceWorker.stopAllWorkers');
        await cdp.detach();
      },
      onClose: (listener) => browserContext.on('close', () => listener()),
      extensionErrors: () => [...errors],
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
