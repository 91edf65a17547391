import { ACTIVE_MODULE_FILE, setupContentScript, type ActiveModule, type ContentRuntime, type ContentStats } from '@/utils/content';

interface ClosedRootOpener {
  openOrClosedShadowRoot?(element: Element): ShadowRoot | null;
}

type Runtime = ContentRuntime & { getURL(path: string): string };

interface ExtensionGlobals {
  browser?: { runtime: Runtime };
  chrome?: { runtime: Runtime; dom?: ClosedRootOpener };
}

/**
 * The content script (declared in wxt.config.ts). It is an unlisted script rather than a WXT
 * content script because WXT wraps content scripts in a context object whose start-up work runs
 * on every page; this one runs only the dormant half of utils/content until it is woken.
 */
export default defineUnlistedScript(() => {
  // The content script uses the runtime API directly rather than the polyfill: both browsers'
  // MV3 runtimes return promises for the calls it makes, and the polyfill would cost
  // a third of the content script's size budget on every page.
  const globals = globalThis as ExtensionGlobals;
  const runtime = (globals.browser ?? globals.chrome)!.runtime;
  setupContentScript({
    runtime,
    getDocument: () => document,
    // Built by wxt.config.ts; see utils/content for why it is separate.
    loadActive: () => import(/* @vite-ignore */ runtime.getURL(`/${ACTIVE_MODULE_FILE}`)) as Promise<ActiveModule>,
    onLoadError: (error) => console.warn('Text2FA could not load its autofill module:', error),
    // Chromium exposes closed shadow roots to extensions via chrome.dom, Firefox on the element itself.
    openShadowRoot: (element) =>
      globals.chrome?.dom?.openOrClosedShadowRoot?.(element) ??
      (element as Element & { openOrClosedShadowRoot?: ShadowRoot | null }).openOrClosedShadowRoot ??
      null,
    // Test builds expose what the script did, so browser tests can prove it stays dormant.
    onStats:
      import.meta.env.MODE === 'test'
        ? (stats: ContentStats) => document.documentElement.setAttribute('data-t2fa-test', JSON.stringify(stats))
        : undefined,
  });
});
