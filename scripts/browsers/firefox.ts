/**
 * An ExtensionSession on Firefox: Firefox over WebDriver BiDi (puppeteer-core),
 * the build installed as a temporary add-on (../firefox.ts), in a fresh
 * profile deleted on close.
 *
 * Two Firefox-only details: extension pages never fire a load event over
 * BiDi (they are navigated with `wait: 'none'` and polled until ready), and
 * the extension's errors are read from Firefox's own output, where
 * `devtools.console.stdout.content` prints the console of every process.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ElementHandle, Page } from 'puppeteer-core';
import { launchFirefoxWithExtension } from '../firefox';
import { hookFrom, newestTabIdFrom, sendFrom, signInFrom, storageFrom, useSimulator } from './control';
import type { DrivenPage, ExtensionSession, SessionOptions } from './types';

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
      if (url.startsWith('moz-extension:')) await openExtensionUrl(page, url);
      else await page.goto(url);
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
    clickText: async (selector, text) => {
      for (const handle of await page.$$(selector)) {
        if (text.test((await handle.evaluate((el) => el.textContent)) ?? '')) return handle.click();
      }
      throw new Error(`nothing matching ${selector} says ${String(text)}`);
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
/** How long Firefox gets to close before it is killed and its profile deleted anyway. */
const CLOSE_TIMEOUT_MS = 15_000;

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
 * Lines of Firefox's output that are the extension's own errors. Uncaught
 * exceptions and rejections in any of its pages, its event page or its
 * content scripts are printed as `JavaScript error: <script URL>, line N: …`
 * and name its moz-extension:// URL; what the extension itself logs says
 * "Text2FA" (console.error/warn lines carry no URL). Firefox's own noise
 * (remote settings, telemetry, the remote agent) matches neither.
 */
export function isExtensionError(line: string, extensionOrigin: string): boolean {
  if (/^JavaScript (error|warning):/.test(line)) return line.includes(extensionOrigin) || /content-(listener|active)\.js/.test(line);
  return /^console\.(error|warn):/.test(line) && line.includes('Text2FA');
}

/** The part of puppeteer's WebDriver BiDi connection `waitForPage` uses. */
interface BidiConnection {
  send(method: 'browsingContext.getTree', params: { maxDepth: number }): Promise<{ result: { contexts: { context: string; url: string }[] } }>;
  send(method: 'browsingContext.close', params: { context: string }): Promise<unknown>;
}

/** Starts Firefox with the extension and its first tab on the popup page, pointed at the simulator. */
export async function startFirefoxSession(options: SessionOptions): Promise<ExtensionSession> {
  const errors: string[] = [];
  let origin = '';
  const profile = mkdtempSync(path.join(tmpdir(), options.profilePrefix ?? 't2fa-profile-'));
  // Inside the profile, so it goes with it.
  const downloadDir = path.join(profile, 'downloads');
  const drive = (page: Page) => drivePuppeteer(page, downloadDir);
  let launched: Awaited<ReturnType<typeof launchFirefoxWithExtension>>;
  try {
    launched = await launchFirefoxWithExtension({
    extensionDir: options.extensionDir,
    userDataDir: profile,
    prefs: {
      // Every download straight into the session's folder, without a dialog.
      'browser.download.folderList': 2,
      'browser.download.dir': downloadDir,
      'browser.download.useDownloadDir': true,
      'browser.download.always_ask_before_handling_new_types': false,
      ...options.prefs,
    },
    headless: options.headless ?? true,
    handleSignals: options.handleSignals ?? true,
    onOutput: (line) => {
      if (origin && isExtensionError(line, origin)) errors.push(line);
    },
  });
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
  const { browser, extensionOrigin } = launched;
  origin = extensionOrigin;
  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      try {
        await Promise.race([browser.close().catch(() => undefined), sleep(CLOSE_TIMEOUT_MS)]);
        browser.process()?.kill('SIGKILL');
      } finally {
        rmSync(profile, { recursive: true, force: true, maxRetries: 5 });
      }
    })());

  try {
    const controlPage = (await browser.pages())[0] ?? (await browser.newPage());
    await openExtensionUrl(controlPage, `${extensionOrigin}/popup.html`);
    const control = drive(controlPage);
    await useSimulator(control, options.simulatorBaseUrl);
    await openExtensionUrl(controlPage, `${extensionOrigin}/popup.html`);

    return {
      browserName: 'firefox',
      extensionOrigin,
      profile,
      pageUrls: async () => (await browser.pages()).map((page) => page.url()),
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
      onClose: (listener) => browser.on('disconnected', () => listener()),
      extensionErrors: () => [...errors],
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
