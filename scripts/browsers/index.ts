/**
 * Either browser with the extension, behind one interface (types.ts): the
 * cross-browser browser tests, the demo and its tour use this.
 */
import { startChromiumSession } from './chromium';
import { startFirefoxSession } from './firefox';
import type { BrowserName, ExtensionSession, SessionOptions } from './types';

export type { BrowserName, DrivenPage, ExtensionSession, HookName, Reply, SessionOptions } from './types';
export { IDLE_PREF } from './firefox';

/** Where each browser's builds go (`wxt build [-b firefox] --mode <mode>`). */
export function extensionDir(browser: BrowserName, mode: 'test' | 'development'): string {
  const dir = `${browser === 'firefox' ? 'firefox' : 'chrome'}-mv3-${mode === 'test' ? 'test' : 'dev'}`;
  return `.output/${dir}`;
}

/** Starts `browser` with the extension, its first tab on the popup page, pointed at the simulator. */
export function startSession(browser: BrowserName, options: SessionOptions): Promise<ExtensionSession> {
  return browser === 'firefox' ? startFirefoxSession(options) : startChromiumSession(options);
}
