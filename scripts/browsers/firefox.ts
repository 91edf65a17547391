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
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { launchFirefoxWithExtension } from '../firefox';
import { hookFrom, newestTabIdFrom, sendFrom, signInFrom, storageFrom, useSimulator } from './control';
import type { DrivenPage, ExtensionSession, SessionOptions } from './types';

/** A puppeteer page as a DrivenPage. */
export function drivePuppeteer(page: Page): DrivenPage {
  return {
    url: () => page.url(),
    goto: async (url) => {
      if (url.startsWith('moz-extension:')) await openExtensionUrl(page, url);
      else await page.goto(url);
    },
    // The page function travels as source text; its argument as JSON.
    evaluate: <R, A>(fn: (arg: A) => R | Promise<R>, arg?: A) =>
      page.evaluate(fn as unknown as (arg: unknown) => R, arg as unknown) as Promise<R>,
    click: (selector) => page.click(selector),
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

/** Starts Firefox with the extension and its first tab on the popup page, pointed at the simulator. */
export async function startFirefoxSession(options: SessionOptions): Promise<ExtensionSession> {
  const errors: string[] = [];
  let origin = '';
  const profile = mkdtempSync(path.join(tmpdir(), options.profilePrefix ?? 't2fa-profile-'));
  let launched: Awaited<ReturnType<typeof launchFirefoxWithExtension>>;
  try {
    launched = await launchFirefoxWithExtension({
    extensionDir: options.extensionDir,
    userDataDir: profile,
    headless: options.headless ?? true,
    handleSignals: options.handleSignals ?? true,
    ...(options.prefs ? { prefs: options.prefs } : {}),
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
    const control = drivePuppeteer(controlPage);
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
        return { page: drivePuppeteer(page), tabId: await newestTabIdFrom(control) };
      },
      async openExtensionPage(pagePath) {
        const page = await browser.newPage();
        await openExtensionUrl(page, `${extensionOrigin}/${pagePath}`);
        return drivePuppeteer(page);
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
