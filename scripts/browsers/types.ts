/**
 * A browser with the extension in it, driven the same way in Chromium
 * (Playwright) and Firefox (puppeteer-core over WebDriver BiDi): see
 * chromium.ts and firefox.ts. The cross-browser specs (tests/e2e/both/) and
 * the demo (`npm start`, its tour) are written once against these interfaces.
 */
import type { Reply } from '../launch';

export type { Reply };

export type BrowserName = 'chromium' | 'firefox';

/** A tab, driven the same way in both browsers. */
export interface DrivenPage {
  url(): string;
  goto(url: string): Promise<void>;
  /** Runs `fn` in the page's own (main) world. */
  evaluate<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<R>;
  /** Runs a script given as source text (e.g. a library to inject) in the page's main world. */
  evaluateSource(source: string): Promise<unknown>;
  click(selector: string): Promise<void>;
  /** Clicks the first element matching `selector` whose text matches `text`. */
  clickText(selector: string, text: RegExp): Promise<void>;
  /** Picks the `<option>` with `value` in the `<select>` at `selector`, as a user's choice does (input and change events). */
  select(selector: string, value: string): Promise<void>;
  /** Chooses the file at `filePath` in the file input at `selector`. */
  upload(selector: string, filePath: string): Promise<void>;
  /** Clicks `selector` and waits for the download that click starts: its file name and where the browser saved it. */
  download(selector: string): Promise<{ name: string; path: string }>;
  /** Types into the focused element, key by key. */
  type(text: string): Promise<void>;
  press(key: string): Promise<void>;
  focus(selector: string): Promise<void>;
  /** Runs `fn` in the first subframe whose URL contains `urlPart` (its main world). */
  evaluateInFrame<R>(urlPart: string, fn: () => R | Promise<R>): Promise<R>;
  /** The trimmed text of the first element matching `selector` (null when there is none). */
  text(selector: string): Promise<string | null>;
  bringToFront(): Promise<void>;
  /** Closes the browser and deletes its profile; safe to call twice. */
  close(): Promise<void>;
}

/** What the background's test hooks can do (utils/background/test-hooks.ts). */
export type HookName = 'command' | 'menu' | 'notificationClick' | 'messages' | 'probeContent';

/** What starting either browser with the extension takes. */
export interface SessionOptions {
  /** The unpacked build, e.g. `.output/chrome-mv3-test` or `.output/firefox-mv3-dev`. */
  extensionDir: string;
  /** The simulator the extension is pointed at (through the options page's developer message). */
  simulatorBaseUrl: string;
  headless?: boolean;
  /**
   * Whether the driver may exit the process on Ctrl-C (both drivers do by
   * default); the demo turns it off so its own cleanup runs first.
   */
  handleSignals?: boolean;
  /** How the profile folder (in the system's temp folder) is named; `t2fa-profile-` when absent. */
  profilePrefix?: string;
  /** Firefox only: extra preferences, e.g. a short `extensions.background.idle.timeout`. */
  prefs?: Record<string, string | number | boolean>;
}

/** One browser with a development or test build of the extension installed, and a simulator it talks to. */
export interface ExtensionSession {
  readonly browserName: BrowserName;
  /** `chrome-extension://<id>` or `moz-extension://<uuid>`. */
  readonly extensionOrigin: string;
  /**
   * The browser's first tab, showing the popup page: it sends messages and
   * reads storage. (The demo later shows its site there, so the browser has
   * one tab; it sends nothing after that.)
   */
  readonly control: DrivenPage;
  /** Opens `url` in a new tab; `tabId` is the id the extension knows the tab by. */
  openTab(url: string): Promise<{ page: DrivenPage; tabId: number }>;
  /** Opens one of the extension's pages (e.g. `popup.html?tab=3`, `options.html`) in a new tab. */
  openExtensionPage(path: string): Promise<DrivenPage>;
  /**
   * A tab something else opened (a link, the extension), once its address
   * contains `urlPart`. Firefox: a tab an extension page opened cannot be
   * driven over BiDi, so it is closed and opened again at the same address.
   */
  waitForPage(urlPart: string): Promise<DrivenPage>;
  /** Sends one protocol message from the control page, as the popup does. */
  send(type: string, payload?: Record<string, unknown>): Promise<Reply>;
  /** Calls one of the background's test hooks (test builds only). */
  hook<T = unknown>(name: HookName, args?: Record<string, unknown>): Promise<T>;
  /** Reads one `storage.local` (or `storage.session`) item from the control page, without waking the background. */
  storage<T = unknown>(key: string, area?: 'local' | 'session'): Promise<T | undefined>;
  /** Signs in with `token` the way the Setup form does (the token is staged in session storage). */
  signIn(token: string): Promise<Reply>;
  /**
   * Lets the background stop as the browser stops it when idle: Chromium's
   * worker is stopped through the DevTools protocol; Firefox's event page is
   * left alone past its idle timeout (set low with `firefoxPrefs`).
   */
  stopBackground(): Promise<void>;
  /** The browser's profile folder, deleted by `close()`. */
  readonly profile: string;
  /** The address of every open tab. */
  pageUrls(): Promise<string[]>;
  /** Calls `listener` when the browser goes away (the user closed it). */
  onClose(listener: () => void): void;
  /** Errors the extension logged so far (Firefox: from its console; Chromium: from the worker and pages). */
  extensionErrors(): string[];
  /** Closes the browser and deletes its profile; safe to call twice. */
  close(): Promise<void>;
}
