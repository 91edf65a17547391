import { closedShadowRootOpener, type ContentGlobals } from '@/utils/platform';
import { isProbe, probeStorage, type ProbeGlobals } from '@/utils/content/test-probe';
import { ACTIVE_MODULE_FILE, setupContentScript, type ActiveModule, type ContentRuntime, type ContentStats } from '@/utils/content';

type Runtime = ContentRuntime & { getURL(path: string): string };

interface ExtensionGlobals {
  browser?: { runtime: Runtime; storage?: ProbeGlobals['storage'] };
  chrome?: { runtime: Runtime; storage?: ProbeGlobals['storage'] } & NonNullable<ContentGlobals['chrome']>;
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
    openShadowRoot: closedShadowRootOpener(globals),
    // Test builds expose what the script did, so browser tests can prove it stays dormant.
    onStats:
      import.meta.env.MODE === 'test'
        ? (stats: ContentStats) => document.documentElement.setAttribute('data-t2fa-test', JSON.stringify(stats))
        : undefined,
  });
  // Test builds: lets a browser test ask, through the background, what storage this script can read.
  if (import.meta.env.MODE === 'test') {
    runtime.onMessage.addListener((message, sender, sendResponse) => {
      if (sender.id !== runtime.id || sender.tab || !isProbe(message)) return undefined;
      const api = globals.browser ?? globals.chrome;
      void probeStorage({ storage: api?.storage, indexedDB }).then(sendResponse);
      return true;
    });
  }
});
