/**
 * The cross-browser session on Firefox: Firefox ESR over WebDriver BiDi
 * (puppeteer-core), the test build installed as a temporary add-on
 * (scripts/firefox.ts), one fresh profile per session.
 *
 * Two Firefox-only details: extension pages never fire a load event over
 * BiDi (they are navigated with `wait: 'none'` and polled until ready), and
 * the extension's errors are read from Firefox's own output, where
 * `devtools.console.stdout.content` prints the console of every process.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { ElementHandle, Page } from 'puppeteer-core';
import { launchFirefoxWithExtension } from '../../../scripts/firefox';
import { hookFrom, newestTabIdFrom, sendFrom, signInFrom, storageFrom, useSimulator } from './session';
import type { DrivenPage, ExtensionSession } from './types';
import path from 'node:path';

/** Where `wxt build -b firefox --mode test` writes the Firefox extension. */
export const FIREFOX_EXTENSION_DIR = path.resolve('.output/firefox-mv3-test');

/**
 * The file a click made Firefox download into `downloadDir` (where the
 * session's preferences send every download without asking): the first new
 * file there that is written. Firefox creates the file empty, writes
 * `<name>.part` beside it and moves that over it when done, so a new file
 * counts once it has content and no `.part` is left.
 */
async function downloaded(downloadDir: string, before: Set<string>): Promise<{ name: string; path: string }> {
  for (let attempt = 0; attempt < 150; attempt += 1) {
    const files = readdirSync(downloadDir);
    const name = files.find(
      (f) => !before.has(f) && !f.endsWith('.part') && !files.includes(`${f}.part`) && statSync(path.join(downloadDir, f)).size > 0,
    );
    if (name) return { name, path: path.join(downloadDir, name) };
    await sleep(100);
  }
  throw new Error(`no download arrived in ${downloadDir}`);
}

/** A puppeteer page as a DrivenPage; downloads land in `downloadDir`. */
export function drivePuppeteer(page: Page, downloadDir: string): DrivenPage {
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
      await page.select(selector, value);
    },
    upload: async (selector, filePath) => {
      const input = (await page.$(selector)) as ElementHandle<HTMLInputElement> | null;
      if (!input) throw new Error(`no file input at ${selector}`);
      await input.uploadFile(filePath);
    },
    download: async (selector) => {
      const before = new Set(readdirSync(downloadDir));
      await page.click(selector);
      return downloaded(downloadDir, before);
    },
    type: (text) => page.keyboard.type(text),
    // Playwright's "Control+V" chords, pressed as puppeteer wants them: modifiers down, key, modifiers up.
    press: async (chord) => {
      type Key = Parameters<Page['keyboard']['press']>[0];
      const keys = chord.split('+') as Key[];
      const key = keys.pop()!;
      for (const modifier of keys) await page.keyboard.down(modifier);
      await page.keyboard.press(key.length === 1 ? (key.toLowerCase() as Key) : key);
      for (const modifier of keys.reverse()) await page.keyboard.up(modifier);
    },
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

/** Firefox unloads an event page this long after its last extension event. */
export const IDLE_PREF = 'extensions.background.idle.timeout';
const DEFAULT_IDLE_MS = 30_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Navigates `page` to an extension page and waits until its document is ready. */
async function openExtensionUrl(page: Page, url: string): Promise<void> {
  const context = (page.mainFrame() as unknown as { browsingContext: { navigate(url: string, wait: string): Promise<void> } })
    .browsingContext;
  // Marks the current document, so a reload of the same address is not mistaken for the old page.
  await page.evaluate(() => ((globalThis as { __t2faOld?: boolean }).__t2faOld = true)).catch(() => undefined);
  await context.navigate(url, 'none');
  for (let attempt = 0; attempt < 300; attempt += 1) {
    const ready = await page
      .evaluate(
        (href) => location.href === href && document.readyState === 'complete' && !(globalThis as { __t2faOld?: boolean }).__t2faOld,
        url,
      )
      .catch(() => false);
    if (ready) return;
    await sleep(100);
  }
  throw new Error(`${url} did not load`);
}

/**
 * Lines of Firefox's output that are the extension's own errors: uncaught
 * exceptions and rejections name the script's moz-extension:// URL, and
 * console.error calls from our pages are printed with it too. Firefox's own
 * noise (remote settings, telemetry, the remote agent) never names it.
 */
function isExtensionError(line: string, extensionOrigin: string): boolean {
  return line.includes(extensionOrigin) && /error|exception|uncaught/i.test(line);
}

/** The part of puppeteer's WebDriver BiDi connection `waitForPage` uses. */
interface BidiConnection {
  send(method: 'browsingContext.getTree', params: { maxDepth: number }): Promise<{ result: { contexts: { context: string; url: string }[] } }>;
  send(method: 'browsingContext.close', params: { context: string }): Promise<unknown>;
}

export interface FirefoxSessionOptions {
  prefs?: Record<string, string | number | boolean>;
}

/** Starts Firefox with the extension and a control page pointed at `simulatorBaseUrl`. */
export async function startFirefoxSession(simulatorBaseUrl: string, options: FirefoxSessionOptions = {}): Promise<ExtensionSession> {
  const errors: string[] = [];
  let origin = '';
  const downloadDir = mkdtempSync(path.join(tmpdir(), 't2fa-downloads-'));
  const drive = (page: Page) => drivePuppeteer(page, downloadDir);
  let launched: Awaited<ReturnType<typeof launchFirefoxWithExtension>>;
  try {
    launched = await launchFirefoxWithExtension({
      extensionDir: FIREFOX_EXTENSION_DIR,
      prefs: {
        // Every download straight into this session's folder, without a dialog.
        'browser.download.folderList': 2,
        'browser.download.dir': downloadDir,
        'browser.download.useDownloadDir': true,
        'browser.download.always_ask_before_handling_new_types': false,
        ...options.prefs,
      },
      onOutput: (line) => {
        if (origin && isExtensionError(line, origin)) errors.push(line);
      },
    });
  } catch (error) {
    rmSync(downloadDir, { recursive: true, force: true });
    throw error;
  }
  const { browser, extensionOrigin } = launched;
  origin = extensionOrigin;

  const controlPage = await browser.newPage();
  await openExtensionUrl(controlPage, `${extensionOrigin}/popup.html`);
  const control = drive(controlPage);
  await useSimulator(control, simulatorBaseUrl);
  await openExtensionUrl(controlPage, `${extensionOrigin}/popup.html`);

  return {
    browserName: 'firefox',
    extensionOrigin,
    control,
    async openTab(url) {
      const page = await browser.newPage();
      await page.goto(url);
      return { page: drive(page), tabId: await newestTabIdFrom(control) };
    },
    async openExtensionPage(pagePath) {
      const page = await browser.newPage();
      await openExtensionUrl(page, `${extensionOrigin}/${pagePath}`);
      return drive(page);
    },
    async waitForPage(urlPart) {
      // Firefox's WebDriver BiDi sends no events for a tab an extension page opens (a link, `tabs.create`), so
      // puppeteer never learns of it and cannot drive it. Such a tab is found in BiDi's browsing-context tree,
      // closed, and opened again at the same address in a page puppeteer drives.
      const bidi = (browser as unknown as { connection: BidiConnection }).connection;
      const contextId = (page: Page) => (page.mainFrame() as unknown as { browsingContext: { id: string } }).browsingContext.id;
      let seen: string[] = [];
      for (let attempt = 0; attempt < 100; attempt += 1) {
        const { contexts } = (await bidi.send('browsingContext.getTree', { maxDepth: 0 })).result;
        seen = contexts.map((c) => c.url);
        const found = contexts.find((c) => c.url.includes(urlPart));
        if (found) {
          const tracked = (await browser.pages()).find((page) => contextId(page) === found.context);
          if (tracked) return drive(tracked);
          await bidi.send('browsingContext.close', { context: found.context });
          const page = await browser.newPage();
          if (found.url.startsWith(extensionOrigin)) await openExtensionUrl(page, found.url);
          else await page.goto(found.url);
          return drive(page);
        }
        await sleep(100);
      }
      throw new Error(`no tab at ${urlPart}; open tabs: ${seen.join(', ')}`);
    },
    send: (type, payload) => sendFrom(control, type, payload),
    hook: (name, args) => hookFrom(control, name, args),
    storage: (key, area = 'local') => storageFrom(control, key, area),
    signIn: (token) => signInFrom(control, token),
    async stopBackground() {
      const idleMs = Number(options.prefs?.[IDLE_PREF] ?? DEFAULT_IDLE_MS);
      await sleep(idleMs + 2_000);
    },
    extensionErrors: () => [...errors],
    async close() {
      await browser.close().catch(() => undefined);
      rmSync(downloadDir, { recursive: true, force: true });
    },
  };
}
