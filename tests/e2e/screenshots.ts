/**
 * Where browser tests save their screenshots. `npm run screenshots` runs the
 * tests tagged `@screenshots` with `T2FA_SCREENSHOTS=docs/screenshots`, which
 * remakes the README's pictures; every other run (`npm test`, a single spec)
 * writes them to test-results/screenshots, which git ignores, so running the
 * tests never changes tracked files.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { test } from '@playwright/test';

/** The tag of every test that takes screenshots: `npm run screenshots` runs exactly these. */
export const SCREENSHOTS = { tag: '@screenshots' } as const;

/** The path to save screenshot `name` (e.g. `popup-site-light.png`) at, its folder made. */
export function screenshotPath(name: string): string {
  const info = test.info();
  // Untagged, the picture would silently never be remade by `npm run screenshots`.
  if (!info.tags.includes(SCREENSHOTS.tag)) throw new Error(`"${info.title}" takes screenshots: give it ${SCREENSHOTS.tag}`);
  const folder = path.resolve(process.env.T2FA_SCREENSHOTS ?? path.join('test-results', 'screenshots'));
  mkdirSync(folder, { recursive: true });
  return path.join(folder, name);
}
