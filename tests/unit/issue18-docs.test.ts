/**
 * Issue 18, finding 5: the README said `externally_connectable` was not
 * declared while the Chrome manifest declares it (empty). The two must agree.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('README and manifest: externally_connectable', () => {
  it('the README describes the empty declaration the Chrome manifest makes', () => {
    const config = read('wxt.config.ts');
    const readme = read('README.md').replace(/\s+/g, ' ');
    expect(config).toContain('externally_connectable: { ids: [], matches: [] }');
    expect(readme).not.toContain('`externally_connectable` is not declared');
    expect(readme).toContain('declares `externally_connectable` empty (no `ids`, no `matches`)');
    expect(readme).toContain('no web page and no other extension can message this one');
  });
});
