import { setupContentScript, type ContentRuntime, type ContentStats } from '@/utils/content';

interface ClosedRootOpener {
  openOrClosedShadowRoot?(element: Element): ShadowRoot | null;
}

interface ExtensionGlobals {
  browser?: { runtime: ContentRuntime };
  chrome?: { runtime: ContentRuntime; dom?: ClosedRootOpener };
}

export default defineContentScript({
  matches: ['<all_urls>'],
  allFrames: true,
  runAt: 'document_idle',
  main() {
    // The content script uses the runtime API directly rather than the polyfill: both browsers'
    // MV3 runtimes return promises for the two calls it makes, and the polyfill would cost
    // a third of the content script's size budget on every page.
    const globals = globalThis as ExtensionGlobals;
    const runtime = (globals.browser ?? globals.chrome)!.runtime;
    // Chromium exposes closed shadow roots to extensions via chrome.dom, Firefox on the element itself.
    const chromeDom = globals.chrome?.dom;
    setupContentScript({
      runtime,
      doc: document,
      openShadowRoot: (element) =>
        chromeDom?.openOrClosedShadowRoot?.(element) ??
        (element as Element & { openOrClosedShadowRoot?: ShadowRoot | null }).openOrClosedShadowRoot ??
        null,
      // Test builds expose what the script did, so browser tests can prove it stays dormant.
      onStats:
        import.meta.env.MODE === 'test'
          ? (stats: ContentStats) => document.documentElement.setAttribute('data-t2fa-test', JSON.stringify(stats))
          : undefined,
    });
  },
});
