/**
 * `npm start`: the whole product on this machine, no Text2FA account needed.
 * Builds the extension for the simulator, starts the simulator with a funded
 * demo account and the demo sign-up site, and opens Chromium with the
 * extension loaded and set up, on the demo site.
 *
 * `npm start -- --headless` runs the tour by itself instead (see tour.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { startSimulator, type Simulator } from '../simulator/server';
import { extensionWorker, launchWithExtension, send, signIn } from '../scripts/launch';
import { startDemoSite, type DemoSite } from './server';
import { runTour, TourError } from './tour';

const EXTENSION_DIR = path.resolve('.output/chrome-mv3-dev');

interface Options {
  headless: boolean;
  /** A simulator fault to inject during the tour (proves the tour reports failures). */
  fault: string | null;
  skipBuild: boolean;
}

function parseArgs(argv: string[]): Options {
  const fault = argv.find((a) => a.startsWith('--fault='))?.slice('--fault='.length) ?? null;
  return { headless: argv.includes('--headless'), fault, skipBuild: argv.includes('--skip-build') };
}

async function startSimulatorOnFreePort(): Promise<Simulator> {
  const wanted = Number(process.env.PORT ?? 8787);
  try {
    return await startSimulator({ port: wanted });
  } catch {
    // Another simulator (or anything else) holds the port: any free port will do, the extension is told which.
    return startSimulator({ port: 0 });
  }
}

/** Points the extension at the simulator and signs in with the demo token, as a user would in Setup. */
async function setUpExtension(context: BrowserContext, simulator: Simulator): Promise<Page> {
  const id = new URL((await extensionWorker(context)).url()).host;
  const page = await context.newPage();
  await page.goto(`chrome-extension://${id}/popup.html`);
  const pointed = await send(page, 'dev.setApiBaseUrl', { url: simulator.baseUrl });
  if (!pointed.ok) throw new Error(`Pointing the extension at the simulator failed: ${pointed.error?.message ?? 'no answer'}`);
  const signedIn = await signIn(page, simulator.demoToken);
  if (!signedIn.ok) throw new Error(`Signing in with the demo token failed: ${signedIn.error?.message ?? 'no answer'}`);
  return page;
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const hasDisplay = !!(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  if (!options.headless && !hasDisplay) {
    console.error(
      [
        'No display found, so Chromium cannot open a window here.',
        '  npm start -- --headless   runs the demo tour by itself and prints the result',
        '  xvfb-run npm start        runs the interactive demo on a virtual display',
      ].join('\n'),
    );
    return 2;
  }

  if (!options.skipBuild) {
    console.log('Building the extension for the simulator…');
    const build = spawnSync(process.execPath, ['node_modules/wxt/bin/wxt.mjs', 'build', '--mode', 'development'], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (build.status !== 0) {
      console.error('demo: the extension build failed');
      return 1;
    }
  }

  const simulator = await startSimulatorOnFreePort();
  const site: DemoSite = await startDemoSite({ simulatorUrl: simulator.url });
  const profile = mkdtempSync(path.join(tmpdir(), 't2fa-demo-'));
  let context: BrowserContext | null = null;
  const cleanUp = async () => {
    await context?.close().catch(() => undefined);
    await site.close();
    await simulator.close();
    rmSync(profile, { recursive: true, force: true });
  };

  try {
    context = await launchWithExtension(profile, { extensionDir: EXTENSION_DIR, headless: options.headless });
    const extensionPage = await setUpExtension(context, simulator);
    if (options.headless) {
      const result = await runTour({ context, extensionPage, simulator, site, fault: options.fault });
      console.log(`demo: number ${result.number}, code ${result.code} filled in ${result.fillMs} ms`);
      return 0;
    }
    const sitePage = await context.newPage();
    await sitePage.goto(site.url);
    await extensionPage.close();
    console.log(
      [
        '',
        `Text2FA simulator:  ${simulator.baseUrl}   (demo token ${simulator.demoToken})`,
        `Demo sign-up site:  ${site.url}`,
        '',
        'In Chromium: click the Text2FA toolbar button on the Acme page, pick a service and press Get number.',
        'The number lands in the phone field; press Send code and the code is filled in by itself.',
        'Close the browser or press Ctrl+C to stop.',
      ].join('\n'),
    );
    await new Promise<void>((resolve) => {
      context?.on('close', () => resolve());
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    return 0;
  } catch (error: unknown) {
    if (error instanceof TourError) console.error(`demo failed at step "${error.step}": ${error.message}`);
    else console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await cleanUp();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
