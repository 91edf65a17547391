/**
 * Running the tests must not change tracked files (issue 13, finding 13): a
 * local `npm test` rewrote docs/screenshots/*.png. Browser tests save
 * screenshots only through `screenshotPath` (tests/e2e/screenshots.ts), which
 * writes into docs/screenshots only for `npm run screenshots`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const E2E = new URL('../e2e/', import.meta.url);
const specs = readdirSync(E2E).filter((name) => name.endsWith('.ts') && name !== 'screenshots.ts');

describe('screenshots in the browser tests', () => {
  it.each(specs)('%s saves screenshots only through screenshotPath, never into docs/', (name) => {
    const source = readFileSync(new URL(name, E2E), 'utf8');
    expect(source).not.toMatch(/docs\/screenshots|['"`]docs['"`]/);
    for (const call of source.matchAll(/\.screenshot\(\s*\{[^}]*\}/g)) expect(call[0]).toMatch(/path: screenshotPath\(/);
  });

  it('npm run screenshots is the one command that writes docs/screenshots', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.screenshots).toBe('node scripts/screenshots.mjs');
    const script = readFileSync(new URL('../../scripts/screenshots.mjs', import.meta.url), 'utf8');
    expect(script).toContain("'--grep', '@screenshots'");
    expect(script).toContain('T2FA_SCREENSHOTS');
  });
});
