/**
 * Starts Firefox with the built extension installed, over WebDriver BiDi
 * (puppeteer-core): shared by the Firefox browser tests and the demo
 * (`npm start -- --browser firefox`). Playwright's own Firefox cannot load
 * extensions; BiDi's `webExtension.install` can.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';

/** The extension's Gecko id (wxt.config.ts, `browser_specific_settings`). */
export const GECKO_ID = 'extension@text2fa.com';

/**
 * The moz-extension UUID the tests and the demo give the extension, so its
 * pages have a known address. A real install gets a random one.
 */
export const FIXED_EXTENSION_UUID = '7e3f2a10-5c1d-4b8e-9a6f-2d4c8b1e0f37';

/** Made-up site names the tests and the demo use; Firefox resolves each to this machine. */
export const TEST_HOSTS = ['shop.test', 'other.test', 'demo.test', 'myapp.test', 'x.test', 'u.test', 'i.test', 'idle.test'];

const INSTALL_HINT = [
  'No Firefox found for the Firefox browser tests. Install one of:',
  '  - Debian/Ubuntu: sudo apt-get install -y firefox-esr   (gives /usr/bin/firefox-esr)',
  '  - or point FIREFOX_PATH at a Firefox 142 or newer.',
].join('\n');

/** The Firefox binary to use: `FIREFOX_PATH`, else Debian's ESR or a system Firefox; throws with install hints when none. */
export function findFirefox(): string {
  const fromEnv = process.env.FIREFOX_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    throw new Error(`FIREFOX_PATH points at ${fromEnv}, which does not exist.\n${INSTALL_HINT}`);
  }
  for (const candidate of ['/usr/bin/firefox-esr', '/usr/bin/firefox', '/usr/lib/firefox-esr/firefox-esr']) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(INSTALL_HINT);
}

export interface FirefoxLaunchOptions {
  /** Folder of the unpacked extension, e.g. `.output/firefox-mv3-test`. */
  extensionDir: string;
  /** A profile folder to keep (for a relaunch); a fresh temporary one when absent. */
  userDataDir?: string;
  headless?: boolean;
  /** Extra preferences, e.g. a short `extensions.background.idle.timeout`. */
  prefs?: Record<string, string | number | boolean>;
  /** Whether puppeteer may exit the process on Ctrl-C (default true; the demo cleans up first). */
  handleSignals?: boolean;
  /** Every line Firefox prints (with `devtools.console.stdout.content`, the console of every process). */
  onOutput?(line: string): void;
}

export interface FirefoxWithExtension {
  browser: Browser;
  /** `moz-extension://<uuid>`: the extension's origin. */
  extensionOrigin: string;
}

/** Launches Firefox and installs the extension temporarily (as `about:debugging` does). */
export async function launchFirefoxWithExtension(options: FirefoxLaunchOptions): Promise<FirefoxWithExtension> {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: findFirefox(),
    headless: options.headless ?? true,
    defaultViewport: null,
    handleSIGINT: options.handleSignals ?? true,
    handleSIGTERM: options.handleSignals ?? true,
    handleSIGHUP: options.handleSignals ?? true,
    ...(options.userDataDir ? { userDataDir: options.userDataDir } : {}),
    // Extension pages (moz-extension://) can only be driven with system access allowed.
    env: { ...process.env, MOZ_REMOTE_ALLOW_SYSTEM_ACCESS: '1' },
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: FIXED_EXTENSION_UUID }),
      'network.dns.localDomains': TEST_HOSTS.join(','),
      'devtools.console.stdout.content': true,
      // No first-run pages, no updates, no telemetry: the machine has no network anyway.
      'browser.shell.checkDefaultBrowser': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'app.update.disabledForTesting': true,
      'extensions.update.enabled': false,
      ...options.prefs,
    },
  });
  const output = options.onOutput;
  if (output) {
    const child = browser.process();
    for (const stream of [child?.stdout, child?.stderr]) {
      let buffered = '';
      stream?.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) output(line);
      });
    }
  }
  try {
    await browser.installExtension(path.resolve(options.extensionDir));
  } catch (error) {
    await browser.close().catch(() => undefined);
    throw error;
  }
  return { browser, extensionOrigin: `moz-extension://${FIXED_EXTENSION_UUID}` };
}
