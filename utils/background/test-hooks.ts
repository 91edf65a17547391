/**
 * Test builds only (`wxt build --mode test`; production builds drop this
 * module): lets the browser tests reach the background the same way in
 * Chromium and Firefox. Chromium's tests could evaluate inside the service
 * worker, but nothing outside Firefox can reach an event page, and neither
 * browser lets a test press an extension's keyboard shortcut. So:
 *
 * - every runtime message the background receives is recorded (with its
 *   sender), so tests can prove a dormant page sent nothing and no message
 *   carried the token;
 * - each start of the background is appended to `storage.local`
 *   (`__t2faTestStarts`), which a test reads without waking it, to see it
 *   unloaded and brought back;
 * - an extension page may ask (`{ t2faTest: 1, hook }`) to fire a command, a
 *   menu click or a notification click exactly as the browser's event would,
 *   to read the message log, or to have a tab's content script report what
 *   storage it can read. Web pages and content scripts get nothing.
 */
import type { WxtBrowser } from 'wxt/browser';
import { isExtensionPage, type SenderInfo } from '../messaging';
import type { ShortcutHandlers } from './shortcuts';

/** Where each background start is logged (epoch ms). */
export const TEST_STARTS_KEY = '__t2faTestStarts';

/** One runtime message as the background received it. */
export interface RecordedMessage {
  message: unknown;
  url: string | undefined;
  tab: number | undefined;
  frameId: number | undefined;
  at: number;
}

export interface TestHookDeps {
  browser: WxtBrowser;
  shortcuts: ShortcutHandlers;
  notificationClicked(notificationId: string): Promise<void>;
  now(): number;
}

interface HookMessage {
  t2faTest: 1;
  hook: 'command' | 'menu' | 'notificationClick' | 'messages' | 'probeContent';
  args?: Record<string, unknown>;
}

function isHookMessage(message: unknown): message is HookMessage {
  return typeof message === 'object' && message !== null && (message as { t2faTest?: unknown }).t2faTest === 1;
}

const tabArg = (args: Record<string, unknown>) => (typeof args.tabId === 'number' ? { id: args.tabId } : undefined);

/** Installs the hooks. Call during the background's first turn, before any `await`. */
export function installTestHooks(deps: TestHookDeps): void {
  const { browser } = deps;
  const log: RecordedMessage[] = [];
  (globalThis as { __t2faMessages?: RecordedMessage[] }).__t2faMessages = log;
  const self = { id: browser.runtime.id, origin: browser.runtime.getURL('/') };

  void browser.storage.local.get(TEST_STARTS_KEY).then((saved: Record<string, unknown>) => {
    const starts = Array.isArray(saved[TEST_STARTS_KEY]) ? (saved[TEST_STARTS_KEY] as number[]) : [];
    return browser.storage.local.set({ [TEST_STARTS_KEY]: [...starts, deps.now()] });
  });

  browser.runtime.onMessage.addListener((message: unknown, sender: SenderInfo) => {
    log.push({ message, url: sender.url, tab: sender.tab?.id, frameId: sender.frameId, at: deps.now() });
    if (!isHookMessage(message) || !isExtensionPage(sender, self)) return undefined;
    const args = message.args ?? {};
    switch (message.hook) {
      case 'command':
        return deps.shortcuts.command(String(args.command), tabArg(args)).then(() => null);
      case 'menu':
        return deps.shortcuts
          .menu({ menuItemId: String(args.menuItemId), ...(typeof args.frameId === 'number' ? { frameId: args.frameId } : {}) }, tabArg(args))
          .then(() => null);
      case 'notificationClick':
        return deps.notificationClicked(String(args.notificationId)).then(() => null);
      case 'probeContent':
        // What the content script in the tab's top frame can read of our storage (utils/content/test-probe.ts).
        return browser.tabs.sendMessage(Number(args.tabId), { t2faTest: 1, hook: 'probe' }, { frameId: 0 });
      case 'messages':
        // Hook calls themselves are left out, so a test sees what the product exchanged.
        return Promise.resolve(log.filter((entry) => !isHookMessage(entry.message)));
      default:
        return undefined;
    }
  });
}
