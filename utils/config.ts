/**
 * Build-time facts shared by every context. `import.meta.env.MODE` is set by
 * WXT (and by vitest to `test`), so this module also runs outside WXT.
 */

/** The real service. A production build talks to nothing else. */
export const PRODUCTION_API_BASE_URL = 'https://app.text2fa.com/api/v1';

/** Where `npm run simulator` listens by default. */
export const DEFAULT_SIMULATOR_API_BASE_URL = 'http://127.0.0.1:8787/api/v1';

/**
 * Development and test builds may point the extension at the bundled
 * simulator; a production build never offers that switch, so a store
 * user can't be tricked into sending their token elsewhere.
 */
export const ALLOWS_CUSTOM_API_BASE_URL: boolean = import.meta.env.MODE !== 'production';

/**
 * Whether `url` is an API base URL this build may use: the real service,
 * or in development and test builds a loopback simulator.
 */
export function isAllowedApiBaseUrl(url: string): boolean {
  if (url === PRODUCTION_API_BASE_URL) return true;
  if (!ALLOWS_CUSTOM_API_BASE_URL) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' && parsed.hostname === '127.0.0.1';
  } catch {
    return false;
  }
}
