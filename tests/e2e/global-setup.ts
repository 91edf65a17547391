/**
 * Builds the extension once for the whole browser suite (test mode: it may
 * talk to the simulator on 127.0.0.1) and fails early, with install hints,
 * when no Chromium is available.
 */
import { execFileSync } from 'node:child_process';
import { findChromium } from '../../scripts/chromium';

export default function globalSetup(): void {
  findChromium();
  if (process.env.T2FA_SKIP_BUILD === '1') return;
  execFileSync(process.execPath, ['node_modules/wxt/bin/wxt.mjs', 'build', '--mode', 'test'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
