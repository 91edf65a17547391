/**
 * Keyboard shortcuts and the context menu: the same actions as the popup,
 * without the mouse. "Get a number" asks for one confirming Enter in the
 * popup unless the user turned confirmation off; "Fill" asks the page's
 * content scripts to fill the field the user chose.
 */
import type { WxtBrowser } from 'wxt/browser';
import type { OrderEngine } from '../orders/engine';
import type { createCatalog } from './catalog';
import { getSettings, pendingShortcutPurchaseItem } from '../storage';
import { urlOfTab } from './delivery';
import { openPopup } from '../platform';
import { preferredPool } from '../choices';

export const COMMAND_GET_NUMBER = 'get-number';
export const COMMAND_FILL_CODE = 'fill-code';
export const MENU_FILL_CODE = 't2fa-fill-code';
export const MENU_FILL_NUMBER = 't2fa-fill-number';
/** The notification that asks for the confirming Enter where the popup could not be opened for it. */
export const CONFIRM_NOTIFICATION = 'confirm-shortcut-purchase';

export interface ShortcutDeps {
  browser: WxtBrowser;
  engine: OrderEngine;
  catalog: ReturnType<typeof createCatalog>;
  requestFill(tabId: number, kind: 'code' | 'phone', frameId?: number): Promise<{ sent: boolean }>;
  knownBalance(): Promise<number | null>;
  notify(title: string, message: string, id?: string): Promise<void>;
  siteOf(tabId: number): Promise<import('../orders/model').OrderSite | null>;
}

/** What the shortcuts and the menu do, callable directly (the test builds' hooks fire them this way in Firefox). */
export interface ShortcutHandlers {
  command(command: string, tab?: { id?: number }): Promise<void>;
  menu(info: { menuItemId: string | number; frameId?: number }, tab?: { id?: number }): Promise<void>;
}

/** Registers the command and context-menu listeners (synchronously, on every worker start). */
export function setupShortcuts(deps: ShortcutDeps): ShortcutHandlers {
  const { browser } = deps;

  browser.runtime.onInstalled.addListener(() => {
    void browser.contextMenus.removeAll().then(() => {
      browser.contextMenus.create({ id: MENU_FILL_CODE, title: 'Fill Text2FA code', contexts: ['editable'] });
      browser.contextMenus.create({ id: MENU_FILL_NUMBER, title: 'Fill Text2FA number', contexts: ['editable'] });
    });
  });

  const handlers: ShortcutHandlers = {
    async menu(info, tab) {
      if (tab?.id === undefined) return;
      if (info.menuItemId === MENU_FILL_CODE) await deps.requestFill(tab.id, 'code', info.frameId);
      if (info.menuItemId === MENU_FILL_NUMBER) await deps.requestFill(tab.id, 'phone', info.frameId);
    },
    async command(command, tab) {
      const tabId = tab?.id ?? (await browser.tabs.query({ active: true, currentWindow: true }))[0]?.id;
      if (tabId === undefined) return;
      if (command === COMMAND_FILL_CODE) await deps.requestFill(tabId, 'code');
      if (command === COMMAND_GET_NUMBER) await getNumber(tabId);
    },
  };
  browser.contextMenus.onClicked.addListener((info: { menuItemId: string | number; frameId?: number }, tab?: { id?: number }) => {
    void handlers.menu(info, tab);
  });
  browser.commands.onCommand.addListener((command: string, tab?: { id?: number }) => {
    void handlers.command(command, tab);
  });

  /** Confirmation on: hand over to the popup. Off: buy the site's service now. */
  async function getNumber(tabId: number): Promise<void> {
    const settings = await getSettings();
    if (settings.confirmBeforeBuying) {
      await pendingShortcutPurchaseItem.setValue({ tabId, at: Date.now() });
      // Where the browser won't open the popup from here, the confirmation waits for the user to open it.
      if (!(await openPopup(browser))) {
        await deps.notify(
          'Confirm your Text2FA number',
          'Click the Text2FA button in the toolbar and press Enter to buy the number for this site.',
          CONFIRM_NOTIFICATION,
        );
      }
      return;
    }
    const info = await deps.catalog.siteInfo(await urlOfTab(browser, tabId));
    // The kind the popup would open on for this site, so the shortcut buys what the popup would offer.
    const chosen = info.choices[preferredPool(info.choices, settings.defaults.pool)] ?? null;
    const service = chosen ?? (info.matches.s1 ? { pool: 's1' as const, serviceKey: info.matches.s1.key, serviceName: info.matches.s1.name } : null);
    if (!service) {
      await deps.notify('No Text2FA service for this site', 'Open Text2FA to pick the service for this site.');
      return;
    }
    const price = chosen ? null : (info.matches.s1?.price ?? null);
    try {
      const order = await deps.engine.buy({
        intentId: `shortcut:${tabId}:${Date.now()}`,
        request: {
          pool: service.pool,
          serviceKey: service.serviceKey,
          serviceName: service.serviceName,
          ...(service.pool === 'rental' ? { duration: settings.defaults.rentalDays } : {}),
          ...(service.pool === 's1' && settings.defaults.state ? { state: settings.defaults.state } : {}),
          ...(service.pool === 's2' && settings.defaults.areas.length ? { areas: settings.defaults.areas } : {}),
        },
        site: await deps.siteOf(tabId),
        expectedPrice: price,
        knownBalance: await deps.knownBalance(),
      });
      await deps.notify(`${order.serviceName} number`, `${order.number ?? 'Your number'} is ready. The code will be filled when it arrives.`);
    } catch (error) {
      await deps.notify('Could not get a number', error instanceof Error ? error.message : 'Something went wrong.');
    }
  }

  return handlers;
}
