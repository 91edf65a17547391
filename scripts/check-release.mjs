// Release checks, run by `npm test`: the Chrome and Firefox production builds
// succeed without a single warning, `web-ext lint` finds no error in the
// Firefox build, and the production manifests ask for the least.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const failures = [];
const run = (args) => {
  const result = spawnSync(process.execPath, args, { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
};

for (const [name, args] of [
  ['chrome', ['node_modules/wxt/bin/wxt.mjs', 'build']],
  ['firefox', ['node_modules/wxt/bin/wxt.mjs', 'build', '-b', 'firefox']],
]) {
  const build = run(args);
  if (build.status !== 0) failures.push(`${name} build failed:\n${build.output}`);
  else if (/\bWARN\b/.test(build.output)) failures.push(`${name} build printed warnings:\n${build.output}`);
}

const lint = run(['node_modules/web-ext/bin/web-ext.js', 'lint', '-s', '.output/firefox-mv3', '--output', 'json', '--no-config-discovery']);
try {
  const report = JSON.parse(lint.output.slice(lint.output.indexOf('{'), lint.output.lastIndexOf('}') + 1));
  if (report.summary.errors > 0) failures.push(`web-ext lint errors: ${JSON.stringify(report.errors, null, 2)}`);
  console.log(`web-ext lint: ${report.summary.errors} errors, ${report.summary.warnings} warnings`);
  for (const warning of report.warnings) console.log(`  warning ${warning.code}: ${warning.message} (${warning.file ?? ''})`);
} catch {
  failures.push(`web-ext lint gave no report:\n${lint.output}`);
}

const chrome = JSON.parse(readFileSync('.output/chrome-mv3/manifest.json', 'utf8'));
const firefox = JSON.parse(readFileSync('.output/firefox-mv3/manifest.json', 'utf8'));
const expect = (ok, message) => ok || failures.push(message);
expect(JSON.stringify(chrome.host_permissions) === JSON.stringify(['https://app.text2fa.com/*']), `chrome host permissions: ${JSON.stringify(chrome.host_permissions)}`);
expect(!JSON.stringify(firefox.permissions).includes('127.0.0.1'), 'firefox production build can reach the simulator');
expect(chrome.externally_connectable && chrome.externally_connectable.ids.length === 0 && chrome.externally_connectable.matches.length === 0, 'externally_connectable must allow nothing');
expect(typeof chrome.content_security_policy?.extension_pages === 'string', 'no explicit CSP');
expect(chrome.incognito === 'not_allowed', 'no explicit incognito policy');
expect(chrome.name === '__MSG_extName__' && chrome.description === '__MSG_extDescription__', 'name and description must come from _locales');
expect(JSON.stringify(chrome.content_scripts?.map((c) => c.matches)) === '[["<all_urls>"]]', 'the content script is the one broad grant');
// The one web-accessible file is the content script's working half, reachable only at the per-session address.
expect(
  JSON.stringify(chrome.web_accessible_resources) === JSON.stringify([{ resources: ['content-active.js'], matches: ['<all_urls>'], use_dynamic_url: true }]),
  `web-accessible resources: ${JSON.stringify(chrome.web_accessible_resources)}`,
);
// Firefox has no dynamic URL, but gives each install its own random moz-extension:// UUID.
expect(
  JSON.stringify(firefox.web_accessible_resources) === JSON.stringify([{ resources: ['content-active.js'], matches: ['<all_urls>'] }]),
  `firefox web-accessible resources: ${JSON.stringify(firefox.web_accessible_resources)}`,
);
// Firefox: Manifest V3 with an event page (non-persistent), the same toolbar API as Chrome.
expect(firefox.manifest_version === 3, 'the Firefox build must be Manifest V3');
expect(Array.isArray(firefox.background?.scripts) && firefox.background.persistent !== true, `firefox background must be an event page: ${JSON.stringify(firefox.background)}`);
expect(!!firefox.action && !firefox.browser_action, 'firefox toolbar button must be `action`');
expect(firefox.incognito === 'not_allowed', 'firefox: no explicit incognito policy');
for (const manifest of [chrome, firefox]) {
  const keys = Object.values(manifest.commands ?? {}).map((command) => command.suggested_key?.default);
  expect(keys.length === 3 && keys.every(Boolean), `every command needs a suggested key: ${JSON.stringify(manifest.commands)}`);
}
// Test-build hooks (utils/background/test-hooks.ts, utils/content/test-probe.ts) never ship.
for (const file of ['chrome-mv3/background.js', 'chrome-mv3/content-listener.js', 'firefox-mv3/background.js', 'firefox-mv3/content-listener.js']) {
  const code = readFileSync(`.output/${file}`, 'utf8');
  expect(!/t2faTest|__t2faMessages|__t2faTestStarts/.test(code), `${file} contains test-build hooks`);
}
for (const permission of chrome.permissions) {
  expect(['storage', 'alarms', 'notifications', 'contextMenus', 'clipboardWrite', 'offscreen'].includes(permission), `unexpected permission ${permission}`);
}

if (failures.length) {
  console.error(failures.join('\n\n'));
  process.exit(1);
}
console.log('release checks passed: both builds warning-free, web-ext lint clean, minimal manifest');
