/**
 * Where Chromium and Firefox differ, and the one code path that covers both.
 * Everything else in the extension is written once against the common
 * WebExtension API; when a difference is found, it is hidden here (or, for
 * copying from the background, in `background/clipboard.ts`).
 *
 * Both browsers run the same Manifest V3 build, so most differences are not
 * in API names but in behaviour:
 * - the toolbar button is `action` (MV3) and `browserAction` (an MV2 build,
 *   which older Firefox packages were): `toolbarButton` takes either;
 * - a command can open the popup on both today, but `action.openPopup` is
 *   missing or refused in some versions and contexts: `openPopup` says whether
 *   it worked, so the caller can fall back to a notification;
 * - Chromium's background is a service worker that stays alive while it
 *   fetches; Firefox's is an event page that unloads after 30 s without an
 *   extension event, fetches or not: `watchdogPeriodMinutes` keeps an alarm
 *   firing often enough that Firefox never unloads it while an order waits;
 * - Firefox leaves `sender.tab.url` out of content-script messages unless the
 *   extension may read that site: callers ask the top frame (`background/delivery.ts`);
 * - closed shadow roots: `chrome.dom.openOrClosedShadowRoot` on Chromium,
 *   `element.openOrClosedShadowRoot` on Firefox: `closedShadowRootOpener`;
 * - pinning the toolbar button is done in each browser's own menus, which
 *   the popup's first-run hint describes (`browserFamily`), and only
 *   `action.getUserSettings` says whether it is pinned (`isPinned`).
 */

/** The toolbar button's API, as either browser names it. */
export interface ToolbarButton {
  setBadgeText(details: { text: string }): Promise<void>;
  setBadgeBackgroundColor(details: { color: string }): Promise<void>;
  setTitle(details: { title: string }): Promise<void>;
  openPopup?(): Promise<void>;
  getUserSettings?(): Promise<{ isOnToolbar?: boolean }>;
}

/** The part of an extension API object (`browser` or `chrome`) these helpers read. */
export interface ExtensionApiLike {
  action?: unknown;
  browserAction?: unknown;
  runtime?: unknown;
}

/** Which browser's menus the user has: Firefox alone offers `runtime.getBrowserInfo`. */
export function browserFamily(api: ExtensionApiLike): 'chromium' | 'firefox' {
  return typeof (api.runtime as { getBrowserInfo?: unknown } | undefined)?.getBrowserInfo === 'function' ? 'firefox' : 'chromium';
}

/** Whether the toolbar button is pinned; null where the browser does not say. */
export async function isPinned(api: ExtensionApiLike): Promise<boolean | null> {
  const settings = await toolbarButton(api)?.getUserSettings?.().catch(() => null);
  return typeof settings?.isOnToolbar === 'boolean' ? settings.isOnToolbar : null;
}

/** The toolbar button of this build: `action` (MV3) or `browserAction` (MV2), null when neither exists. */
export function toolbarButton(api: ExtensionApiLike): ToolbarButton | null {
  return ((api.action ?? api.browserAction) as ToolbarButton | undefined) ?? null;
}

/**
 * Opens the popup from a command handler. Both browsers allow it while the
 * user's key press counts as user input; where the call is missing or refused
 * (older versions, no focused window) this returns false and the caller tells
 * the user another way.
 */
export async function openPopup(api: ExtensionApiLike): Promise<boolean> {
  const button = toolbarButton(api);
  if (!button || typeof button.openPopup !== 'function') return false;
  try {
    await button.openPopup();
    return true;
  } catch {
    return false;
  }
}

/** What tells the two kinds of background apart: only Firefox's event page has a document. */
export interface BackgroundGlobals {
  document?: unknown;
}

/**
 * How often the watchdog alarm fires while an order waits. Chromium floors
 * alarms of packed extensions at 30 s and keeps its worker alive while it
 * polls, so 30 s only resumes polling after the browser stopped the worker.
 * Firefox unloads an event page 30 s after its last extension event, however
 * busy its timers and fetches are; an alarm every 20 s is such an event, so
 * polling never stops while a code is awaited, and once nothing waits the
 * alarm is cleared and the page unloads as usual.
 */
export function watchdogPeriodMinutes(globals: BackgroundGlobals): number {
  return isEventPage(globals) ? 1 / 3 : 0.5;
}

/** Whether the background runs as an event page (Firefox) rather than a service worker (Chromium). */
export function isEventPage(globals: BackgroundGlobals): boolean {
  return typeof globals.document === 'object' && globals.document !== null;
}

/** What a content script's globals may offer for reading closed shadow roots. */
export interface ContentGlobals {
  chrome?: { dom?: { openOrClosedShadowRoot?(element: Element): ShadowRoot | null } };
}

/** Reads an element's shadow root, open or closed, the way this browser lets a content script. */
export function closedShadowRootOpener(globals: ContentGlobals): (element: Element) => ShadowRoot | null {
  return (element) =>
    globals.chrome?.dom?.openOrClosedShadowRoot?.(element) ??
    (element as Element & { openOrClosedShadowRoot?: ShadowRoot | null }).openOrClosedShadowRoot ??
    null;
}
