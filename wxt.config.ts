import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import { build } from 'esbuild';
import { ACTIVE_MODULE_FILE } from './utils/content';

/** The real service; the only API origin a production build may reach. */
const TEXT2FA_ORIGIN = 'https://app.text2fa.com/*';
/** The bundled simulator listens on loopback; only development and test builds may reach it. */
const SIMULATOR_ORIGIN = 'http://127.0.0.1/*';
/**
 * The content script's working half (utils/content/active.ts) is an ES module the dormant half
 * imports when the background wakes a frame. WXT bundles scripts into one classic script each, so
 * this module is built by the `build:publicAssets` hook; it must be web-accessible for a content
 * script to import it.
 */
const ACTIVE_CONTENT = ACTIVE_MODULE_FILE;
/** The content script's entrypoint (entrypoints/content-listener.ts), declared in the manifest below. */
const CONTENT_SCRIPT_ENTRY = 'content-listener';

// https://wxt.dev/api/config.html
export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  // Manifest V3 on both browsers: one toolbar API (`action`), an event page on Firefox that
  // unloads when idle like Chrome's service worker, and host access granted at install
  // (Firefox 127+). README, "Firefox" explains the choice.
  manifestVersion: 3,
  vite: ({ mode }) => {
    // WXT sets NODE_ENV to the mode. Test builds must compile like production (no JSX dev
    // transform, no Preact debug layer) so tests and the benchmark run the code that ships;
    // they differ only in their `import.meta.env.MODE === 'test'` hooks.
    if (mode === 'test') process.env.NODE_ENV = 'production';
    return { plugins: [preact({ devToolsEnabled: mode === 'development' })] };
  },
  hooks: {
    'build:publicAssets': async (_wxt, files) => {
      const result = await build({
        entryPoints: ['utils/content/active.ts'],
        bundle: true,
        format: 'esm',
        target: 'es2022',
        minify: true,
        legalComments: 'none',
        write: false,
      });
      files.push({ relativeDest: ACTIVE_CONTENT, contents: result.outputFiles[0]!.text });
    },
    // Only Chrome has offscreen documents (Firefox's background page copies by itself). Removing
    // the entrypoint here, rather than marking it Chrome-only, keeps the Firefox build warning-free.
    'entrypoints:resolved': (wxt, entrypoints) => {
      if (wxt.config.browser !== 'firefox') return;
      const index = entrypoints.findIndex((entry) => entry.name === 'offscreen');
      if (index >= 0) entrypoints.splice(index, 1);
    },
    // The content script runs on every page and has a 10 KB budget: it uses the browsers'
    // native promise-based runtime instead of the polyfill (which the rest of the extension keeps).
    'vite:build:extendConfig': (entrypoints, viteConfig) => {
      if (!entrypoints.every((entry) => entry.name === CONTENT_SCRIPT_ENTRY)) return;
      const alias = viteConfig.resolve?.alias;
      const native = { find: /^wxt\/browser$/, replacement: '@wxt-dev/browser' };
      if (Array.isArray(alias)) {
        const index = alias.findIndex((entry) => String(entry.find) === 'wxt/browser');
        if (index >= 0) alias.splice(index, 1);
        alias.unshift(native);
      } else if (alias) {
        delete (alias as Record<string, string>)['wxt/browser'];
        viteConfig.resolve!.alias = [native, ...Object.entries(alias).map(([find, replacement]) => ({ find, replacement }))];
      }
    },
  },
  manifest: ({ mode, browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    permissions: [
      'storage',
      'alarms',
      'notifications',
      'contextMenus',
      'clipboardWrite',
      ...(browser === 'firefox' ? [] : ['offscreen']),
    ],
    commands: {
      // Keys both browsers assign on install. Chromium silently skips a suggested key it uses
      // itself: Alt+Shift+T focuses its toolbar, Alt+Shift+N opens a split-view tab (Linux and
      // Windows), Alt+Shift+P is taken too. A browser test checks every command got its key.
      _execute_action: { suggested_key: { default: 'Alt+Shift+O' }, description: 'Open Text2FA' },
      'get-number': { suggested_key: { default: 'Alt+Shift+G' }, description: 'Get a number for this site' },
      'fill-code': { suggested_key: { default: 'Alt+Shift+F' }, description: 'Fill the latest code' },
    },
    host_permissions: mode === 'production' ? [TEXT2FA_ORIGIN] : [TEXT2FA_ORIGIN, SIMULATOR_ORIGIN],
    action: { default_title: '__MSG_extName__' },
    // The one broad grant: codes must reach whichever sign-up page ordered them (README, Permissions).
    content_scripts: [{ matches: ['<all_urls>'], all_frames: true, run_at: 'document_idle', js: [`${CONTENT_SCRIPT_ENTRY}.js`] }],
    // Pages can fetch a web-accessible file; the dynamic URL (a fresh ID each session, Chrome)
    // and Firefox's per-install UUID keep that from telling a page this extension is installed.
    web_accessible_resources: [
      { resources: [ACTIVE_CONTENT], matches: ['<all_urls>'], ...(browser === 'firefox' ? {} : { use_dynamic_url: true }) },
    ],
    // Private windows leave no trace: no orders, codes or tokens are kept from them.
    incognito: 'not_allowed',
    content_security_policy: { extension_pages: "script-src 'self'; object-src 'self'; base-uri 'none'; frame-ancestors 'none'" },
    // No web page and no other extension may message this one.
    ...(browser === 'firefox' ? {} : { externally_connectable: { ids: [], matches: [] } }),
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'extension@text2fa.com',
              strict_min_version: '142.0',
              data_collection_permissions: { required: ['none'] },
            },
          },
        }
      : {}),
  }),
});
