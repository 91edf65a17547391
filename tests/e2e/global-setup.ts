/**
 * Builds the extension once for the whole browser suite (test mode: it may
 * talk to the simulator on 127.0.0.1), for Chrome and for Firefox, and fails
 * early, with install hints, when a browser is missing.
 */
import { execFileSync } from 'node:child_process';
import { findChromium } from '../../scripts/chromium';
import { findFirefox } from '../../scripts/firefox';

export default function globalSetup(): void {
  findChromium();
  findFirefox();
  if (process.env.T2FA_SKIP_BUILD === '1') return;
  for (const browser of ['chrome', 'firefox']) {
    execFileSync(process.execPath, ['node_modules/wxt/bin/wxt.mjs', 'build', '-b', browser, '--mode', 'test'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
}
