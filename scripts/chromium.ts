/**
 * Finds a Chromium that can load unpacked extensions: branded Chrome no
 * longer does from the command line, and Playwright cannot download its own
 * browsers on machines without internet access.
 */
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

const INSTALL_HINT = [
  'No Chromium found for the browser tests. Install one of:',
  '  - Debian/Ubuntu: sudo apt-get install -y chromium   (gives /usr/bin/chromium)',
  '  - Playwright\'s own build: npx playwright install chromium',
  '  - or point CHROMIUM_PATH at any Chromium or Chrome for Testing binary.',
].join('\n');

/** The Chromium binary to use: `CHROMIUM_PATH`, Debian's, or Playwright's own; throws with install hints when none. */
export function findChromium(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    throw new Error(`CHROMIUM_PATH points at ${fromEnv}, which does not exist.\n${INSTALL_HINT}`);
  }
  // The binary itself, not Debian's /usr/bin/chromium wrapper script, so Playwright talks to it directly.
  for (const candidate of ['/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (existsSync(candidate)) return candidate;
  }
  try {
    const bundled = chromium.executablePath();
    if (bundled && existsSync(bundled)) return bundled;
  } catch {
    // Playwright throws when its browsers were never installed; fall through to the hint.
  }
  throw new Error(INSTALL_HINT);
}
