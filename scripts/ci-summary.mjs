// Prints the single closing line CI reads: "N passed, N failed[, N skipped]",
// the real totals of vitest and Playwright from their JSON reports. A stage
// that failed without a report (type errors, a crashed runner) counts as one
// failure, so a broken run can never look green.
import { existsSync, readFileSync } from 'node:fs';

const readJson = (file) => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null);
let passed = 0;
let failed = 0;
let skipped = 0;

const stages = readJson('reports/stages.json') ?? {};

const vitest = readJson('reports/vitest.json');
if (vitest) {
  passed += vitest.numPassedTests ?? 0;
  failed += vitest.numFailedTests ?? 0;
  skipped += (vitest.numPendingTests ?? 0) + (vitest.numTodoTests ?? 0);
}
if (stages.unit === false && (!vitest || (vitest.numFailedTests ?? 0) === 0)) failed += 1;

const playwright = readJson('reports/playwright.json');
if (playwright?.stats) {
  passed += (playwright.stats.expected ?? 0) + (playwright.stats.flaky ?? 0);
  failed += playwright.stats.unexpected ?? 0;
  skipped += playwright.stats.skipped ?? 0;
}
if (stages.browser === false && (!playwright?.stats || (playwright.stats.unexpected ?? 0) === 0)) failed += 1;

if (stages.typecheck === false) failed += 1;
if (stages.release === false) failed += 1;
if (!existsSync('reports/stages.json')) failed += 1;

console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
