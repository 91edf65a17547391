/**
 * Starts Chromium with the built extension loaded: shared by the browser
 * tests, the demo (`npm start`) and the benchmark.
 */
import { chromium, type BrowserContext, type Page, type Worker } from '@playwright/test';
import { findChromium } from './chromium';

/** Site names the tests and the demo use, all mapped to this machine. */
export const HOST_RULES = '--host-resolver-rules=MAP *.test 127.0.0.1';

export interface LaunchOptions {
  /** Folder of the unpacked extension, e.g. `.output/chrome-mv3-test`. */
  extensionDir: string;
  headless?: boolean;
  args?: string[];
  /**
   * Whether Playwright handles Ctrl-C and friends itself (the default). Its
   * handler closes the browser and exits the process at once, before the
   * caller's own cleanup runs; a program that cleans up after itself (the
   * demo) turns it off and handles the signals.
   */
  handleSignals?: boolean;
}

/** Launches Chromium with the extension and a profile in `userDataDir` (reuse it to relaunch). */
export function launchWithExtension(userDataDir: string, options: LaunchOptions): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: findChromium(),
    headless: options.headless ?? true,
    viewport: null,
    ...(options.handleSignals === false ? { handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false } : {}),
    args: [
      `--disable-extensions-except=${options.extensionDir}`,
      `--load-extension=${options.extensionDir}`,
      HOST_RULES,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(options.args ?? []),
    ],
  });
}

/** What the background answered to a message sent from an extension page. */
export interface Reply {
  ok: boolean;
  data?: unknown;
  error?: { kind: string; message: string };
}

/** Sends one protocol message from an extension page (a trusted sender) and returns the reply. */
export async function send(page: Page, type: string, payload: Record<string, unknown> = {}): Promise<Reply> {
  return page.evaluate(
    async ({ type, payload }) => {
      const runtime = (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<Reply> } } }).chrome.runtime;
      try {
        return await runtime.sendMessage({ t2fa: 1, type, payload });
      } catch (error) {
        return { ok: false, error: { kind: 'transport', message: String(error) } };
      }
    },
    { type, payload },
  );
}

/**
 * Signs the extension in from one of its own pages the way the Setup form
 * does: the token is staged in session storage, and the message asking the
 * background to take it carries none.
 */
export async function signIn(extensionPage: Page, token: string): Promise<{ ok: boolean; error?: { kind: string; message: string } }> {
  return extensionPage.evaluate(async (token) => {
    const chrome = (globalThis as unknown as {
      chrome: {
        storage: { session: { set(v: object): Promise<void> } };
        runtime: { sendMessage(m: unknown): Promise<{ ok: boolean; error?: { kind: string; message: string } }> };
      };
    }).chrome;
    await chrome.storage.session.set({ tokenHandoff: token });
    return chrome.runtime.sendMessage({ t2fa: 1, type: 'session.setToken', payload: {} });
  }, token);
}

/**
 * The id of the tab opened last (the highest id). The extension cannot read
 * tab addresses, so tests, the tour and the benchmark find the tab they just
 * opened this way; call it right after opening it.
 */
export async function newestTabId(extensionPage: Page): Promise<number> {
  return extensionPage.evaluate(async () => {
    const chrome = (globalThis as unknown as { chrome: { tabs: { query(q: object): Promise<{ id?: number }[]> } } }).chrome;
    return Math.max(...(await chrome.tabs.query({})).map((t) => t.id ?? -1));
  });
}

/** The extension's service worker, waiting for it to start if needed. */
export async function extensionWorker(context: BrowserContext): Promise<Worker> {
  const isOurs = (w: Worker) => w.url().startsWith('chrome-extension://');
  // Listen before looking, so a worker that registers in between is not missed.
  const started = context.waitForEvent('serviceworker', { predicate: isOurs, timeout: 30_000 });
  const existing = context.serviceWorkers().find(isOurs);
  if (existing) {
    started.catch(() => undefined);
    return existing;
  }
  return started;
}
