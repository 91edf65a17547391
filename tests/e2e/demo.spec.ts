/**
 * The one-command demo, run the way a newcomer runs it: `npm start -- --headless`
 * builds the extension, starts the simulator and the demo site, and tours a
 * sign-up through the real popup (in Chromium, and once in Firefox). A run
 * with an injected simulator fault must fail loudly, naming the step. Stopped with Ctrl-C (a SIGINT to
 * the whole process group, as a terminal sends it), the demo deletes its
 * browser profile, also under `xvfb-run npm start`; and it opens one tab.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startDemoSession } from '../../demo/session';

test.describe.configure({ mode: 'serial' });

const DEV_BUILD = path.resolve('.output/chrome-mv3-dev');

function runDemo(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'demo/start.ts', '--headless', ...args], {
      env: { ...process.env, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** The development build the demo loads; made here when this file's first test did not run. */
function ensureDevBuild(): void {
  if (existsSync(path.join(DEV_BUILD, 'manifest.json'))) return;
  spawnSync(process.execPath, ['node_modules/wxt/bin/wxt.mjs', 'build', '--mode', 'development'], { stdio: ['ignore', 'ignore', 'inherit'] });
}

const hasXvfbRun = spawnSync('sh', ['-c', 'command -v xvfb-run'], { stdio: 'ignore' }).status === 0;

/**
 * Runs `npm start -- <args>` (under `xvfb-run` when asked) as a terminal
 * would: its own process group, with its own temp folder. Once `ready`
 * matches the output (or the profile exists), sends the group SIGINT, waits
 * until every process of the group is gone, and returns the output and what
 * is left in the temp folder.
 */
async function interruptDemo(options: { args: string[]; xvfb: boolean; ready: (output: string, temp: string) => boolean }) {
  const temp = mkdtempSync(path.join(tmpdir(), 't2fa-demo-test-'));
  try {
    const command = [...(options.xvfb ? ['xvfb-run', '-a'] : []), 'npm', 'start', '--', '--skip-build', ...options.args];
    const child = spawn(command[0]!, command.slice(1), {
      detached: true,
      env: { ...process.env, PORT: '0', TMPDIR: temp },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    await expect.poll(() => options.ready(output, temp), { timeout: 90_000, message: output }).toBe(true);
    process.kill(-child.pid!, 'SIGINT');
    const groupAlive = () => {
      try {
        process.kill(-child.pid!, 0);
        return true;
      } catch {
        return false;
      }
    };
    await expect.poll(groupAlive, { timeout: 60_000, message: 'the demo did not stop' }).toBe(false);
    return { output, left: readdirSync(temp) };
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

/** Whether Chromium has started on the demo's profile (it links its socket from the profile). */
function browserStarted(temp: string): boolean {
  const profile = readdirSync(temp).find((name) => name.startsWith('t2fa-demo-'));
  return !!profile && existsSync(path.join(temp, profile, 'SingletonSocket'));
}

/** The demo's own leftovers: its profile and Chromium's socket folder. */
const leftovers = (names: string[]) => names.filter((name) => name.startsWith('t2fa-demo-') || name.startsWith('org.chromium.Chromium.'));

test('npm start -- --headless tours a sign-up and prints the result', async () => {
  test.setTimeout(180_000);
  const { code, output } = await runDemo([]);
  expect(output).toMatch(/^demo: number \d{10}, code \d{6} filled in \d+ ms$/m);
  expect(code).toBe(0);
});

test('npm start -- --headless --browser firefox tours the same sign-up in Firefox', async () => {
  test.setTimeout(240_000);
  const { code, output } = await runDemo(['--browser', 'firefox']);
  expect(output).toMatch(/^demo: number \d{10}, code \d{6} filled in \d+ ms$/m);
  expect(code).toBe(0);
});

test('the tour fails with a non-zero exit, naming the step, when the simulator drops requests', async () => {
  test.setTimeout(180_000);
  const { code, output } = await runDemo(['--skip-build', '--fault=drop']);
  expect(code).not.toBe(0);
  expect(output).toMatch(/demo failed at step "get a number from the popup"/);
  expect(output).not.toMatch(/^demo: number/m);
});

test('the demo opens one tab, on the demo site, and deletes its profile when it stops', async () => {
  test.setTimeout(120_000);
  ensureDevBuild();
  const session = await startDemoSession({ browser: 'chromium', extensionDir: DEV_BUILD, headless: true, port: 0 });
  try {
    await session.showSite();
    expect(await session.browser.pageUrls()).toEqual([session.site.url]);
    expect(existsSync(session.browser.profile)).toBe(true);
  } finally {
    await session.close();
  }
  expect(existsSync(session.browser.profile)).toBe(false);
});

test('Ctrl-C during npm start -- --headless stops the demo and deletes its profile', async () => {
  test.setTimeout(180_000);
  ensureDevBuild();
  // Every Text2FA answer is slow, so the tour is still running when Ctrl-C comes.
  const { output, left } = await interruptDemo({ args: ['--headless', '--fault=slow'], xvfb: false, ready: (_output, temp) => browserStarted(temp) });
  expect(leftovers(left)).toEqual([]);
  expect(output).toContain('Stopping the demo and deleting its browser profile');
  expect(output).not.toMatch(/^demo: number/m);
});

test('Ctrl-C during xvfb-run npm start stops the demo and deletes its profile', async () => {
  test.skip(!hasXvfbRun, 'xvfb-run is not installed (apt-get install -y xvfb)');
  test.setTimeout(180_000);
  ensureDevBuild();
  const { output, left } = await interruptDemo({ args: [], xvfb: true, ready: (text) => text.includes('Demo sign-up site:') });
  expect(leftovers(left)).toEqual([]);
  expect(output).toContain('Stopping the demo and deleting its browser profile');
});
