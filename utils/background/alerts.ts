/**
 * Everything the user sees from the background without opening the popup:
 * the badge (how many codes wait), the action's title (the newest code),
 * and notifications (a code arrived, a number expired, the token stopped
 * working). Clicking a code's notification copies the code and focuses the
 * ordering tab.
 */
import type { WxtBrowser } from 'wxt/browser';
import type { Order } from '../orders/model';
import { toolbarButton } from '../platform';

/** Copies text to the clipboard from the background (an offscreen document on Chrome). */
export type CopyText = (text: string) => Promise<void>;

const CODE_NOTIFICATION = 'code:';

/** The badge text and action title for the current orders of one account. */
export function badgeFor(orders: Order[], accountId: string | null): { text: string; title: string } {
  const waiting = orders
    .filter((o) => o.accountId === accountId && o.unseenCode !== null)
    .sort((a, b) => b.updatedAt - a.updatedAt);
  const newest = waiting[0];
  if (!newest) return { text: '', title: 'Text2FA' };
  return {
    text: String(waiting.length),
    title: `Text2FA: ${newest.serviceName} code ${newest.unseenCode}${waiting.length > 1 ? ` (+${waiting.length - 1} more)` : ''}`,
  };
}

export interface Alerts {
  /** What clicking a notification does (registered as the browser's listener too). */
  clicked(notificationId: string): Promise<void>;
  updateBadge(orders: Order[], accountId: string | null): Promise<void>;
  codeArrived(order: Order, code: string): Promise<void>;
  problem(title: string, message: string, id?: string): Promise<void>;
}

/** Creates the alerts, and registers the notification click listener (call during the worker's first turn). */
export function createAlerts(options: {
  browser: WxtBrowser;
  copyText: CopyText;
  notificationsEnabled(): Promise<boolean>;
  findOrder(id: string): Promise<Order | undefined>;
  onCodeCopied(order: Order): void;
}): Alerts {
  const { browser } = options;
  const icon = browser.runtime.getURL('/icon/128.png');

  /** A click on one of our notifications: a code's copies it and brings its page back. */
  async function clicked(notificationId: string): Promise<void> {
    if (!notificationId.startsWith(CODE_NOTIFICATION)) return;
    const order = await options.findOrder(notificationId.slice(CODE_NOTIFICATION.length));
    const code = order?.codes.at(-1)?.code;
    if (!order || !code) return;
    await options.copyText(code).catch(() => undefined);
    options.onCodeCopied(order);
    const tabId = order.site?.tabId;
    if (typeof tabId === 'number') {
      const tab = await browser.tabs.update(tabId, { active: true }).catch(() => null);
      if (tab?.windowId !== undefined) await browser.windows.update(tab.windowId, { focused: true }).catch(() => undefined);
    }
    await browser.notifications.clear(notificationId);
  }
  browser.notifications.onClicked.addListener((notificationId: string) => void clicked(notificationId));

  return {
    clicked,

    async updateBadge(orders, accountId) {
      const button = toolbarButton(browser);
      if (!button) return;
      const { text, title } = badgeFor(orders, accountId);
      await button.setBadgeText({ text });
      await button.setBadgeBackgroundColor({ color: '#1d5fd1' });
      await button.setTitle({ title });
    },

    async codeArrived(order, code) {
      if (!(await options.notificationsEnabled())) return;
      await browser.notifications.create(`${CODE_NOTIFICATION}${order.id}`, {
        type: 'basic',
        iconUrl: icon,
        title: `${order.serviceName} code: ${code}`,
        message: `For ${order.number ?? 'your number'}. Click to copy it${order.site ? ' and go back to the page' : ''}.`,
        priority: 2,
      });
    },

    async problem(title, message, id) {
      if (!(await options.notificationsEnabled())) return;
      await browser.notifications.create(id ?? `problem:${Date.now()}`, { type: 'basic', iconUrl: icon, title, message });
    },
  };
}
