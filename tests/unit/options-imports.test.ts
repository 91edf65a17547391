import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');

/** The project files a module imports (static and dynamic), resolved like the build does; packages by name. */
function importsOf(file: string): { files: string[]; packages: string[] } {
  const source = readFileSync(file, 'utf8');
  const specifiers = [...source.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g)]
    .map((m) => m[1] ?? m[2] ?? m[3]!)
    // `import type` leaves nothing in the bundle.
    .filter((spec) => !new RegExp(`import\\s+type\\s[^'"]*?from\\s*['"]${spec.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"]`).test(source));
  const files: string[] = [];
  const packages: string[] = [];
  for (const spec of specifiers) {
    const local = spec.startsWith('@/') ? path.join(ROOT, spec.slice(2)) : spec.startsWith('.') ? path.resolve(path.dirname(file), spec) : null;
    if (local === null) {
      packages.push(spec);
      continue;
    }
    const found = ['', '.ts', '.tsx', '/index.ts', '/index.tsx'].map((ext) => local + ext).find((f) => existsSync(f) && !f.endsWith('/'));
    if (found && !found.endsWith('.css')) files.push(found);
  }
  return { files, packages };
}

/** Every project file and package reachable from `entry`. */
function graph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const todo = [path.join(ROOT, entry)];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    const found = importsOf(file);
    found.packages.forEach((p) => packages.add(p));
    todo.push(...found.files);
  }
  return { files, packages };
}

describe('the options page bundle', () => {
  it('does not carry the public-suffix list: site keys come from the background (site.normalize)', () => {
    const { files, packages } = graph('entrypoints/options/main.tsx');
    expect(files.size).toBeGreaterThan(10);
    expect([...packages].filter((p) => p.startsWith('tldts'))).toEqual([]);
    expect([...files].map((f) => path.relative(ROOT, f))).not.toContain('utils/services.ts');
  });
});
