/**
 * The one-command demo, run the way a newcomer runs it: `npm start -- --headless`
 * builds the extension, starts the simulator and the demo site, and tours a
 * sign-up through the real popup. A second run with an injected simulator
 * fault must fail loudly, naming the step.
 */
import { spawn } from 'node:child_process';
import { expect, test } from '@playwright/test';

test.describe.configure({ mode: 'serial' });

function runDemo(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'demo/start.ts', '--headless', ...args], {
      env: { ...process.env, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => resolve({ code, output }));
  });
}

test('npm start -- --headless tours a sign-up and prints the result', async () => {
  test.setTimeout(180_000);
  const { code, output } = await runDemo([]);
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
