// `npm run screenshots`: remakes the README's pictures in docs/screenshots/
// from the browser tests tagged @screenshots (the real popup and options page
// against the simulator, light and dark). Other runs of the browser tests
// write their screenshots to test-results/screenshots instead, so `npm test`
// never changes tracked files. Extra arguments go to Playwright
// (`npm run screenshots -- --workers=1`).
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const folder = path.resolve('docs/screenshots');
const run = spawnSync('node_modules/.bin/playwright', ['test', '--grep', '@screenshots', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, T2FA_SCREENSHOTS: folder },
});
if (run.status === 0) console.log(`\nScreenshots remade in ${path.relative(process.cwd(), folder)}/ (check them with git diff --stat).`);
process.exit(run.status ?? 1);
