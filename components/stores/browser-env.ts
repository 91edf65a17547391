/** The popup's environment in the real extension. */
import type { WxtBrowser } from 'wxt/browser';
import {
  accountItem,
  historyItem,
  orderBookItem,
  pendingShortcutPurchaseItem,
  pinHintDismissedItem,
  settingsItem,
  tokenHandoffItem,
} from '@/utils/storage';
import type { PopupEnv } from './env';
import { browserFamily, isPinned } from '@/utils/platform';

/**
 * The tab the popup is about. `?tab=<id>` in the popup's URL names it
 * explicitly: the browser tests open the popup page in a tab of its own (whose
 * active tab would be the popup itself) and point it at the site's tab this way.
 * Any extension page could do the same; a web page cannot open the popup.
 */
async function currentTabId(browser: WxtBrowser, search: string): Promise<number | null> {
  const named = new URLSearchParams(search).get('tab');
  if (named !== null && /^\d+$/.test(named)) return Number(named);
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id ?? null;
}

/** Copies with the async clipboard, or the old selection way where a page may not use it. */
async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    // No focus or no permission: fall back below.
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  const copied = document.execCommand('copy');
  area.remove();
  if (!copied) throw new Error('The browser did not allow copying.');
}

/** Wires the popup to the browser, its storage and the background. */
export function browserEnv(browser: WxtBrowser): PopupEnv {
  return {
    send: (message) => browser.runtime.sendMessage(message),
    stageToken: (token) => tokenHandoffItem.setValue(token),
    account: accountItem,
    orderBook: orderBookItem,
    history: historyItem,
    settings: settingsItem,
    pendingShortcut: pendingShortcutPurchaseItem,
    currentTabId: () => currentTabId(browser, location.search),
    copyText,
    newIntentId: () => crypto.randomUUID(),
    now: Date.now,
    isOnline: () => navigator.onLine,
    onOnlineChange(callback) {
      const online = () => callback(true);
      const offline = () => callback(false);
      addEventListener('online', online);
      addEventListener('offline', offline);
      return () => {
        removeEventListener('online', online);
        removeEventListener('offline', offline);
      };
    },
    openOptions: (section) =>
      void (section
        ? // openOptionsPage() takes no fragment: a tab of the page itself can be opened at a section.
          browser.tabs.create({ url: browser.runtime.getURL(`/options.html#${section}`) })
        : browser.runtime.openOptionsPage()
      ).catch(() => undefined),
    toolbar: { family: browserFamily(browser), isPinned: () => isPinned(browser) },
    pinHintDismissed: pinHintDismissedItem,
  };
}
