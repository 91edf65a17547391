/**
 * `npm start`: the whole product on this machine, no Text2FA account needed.
 * Builds the extension for the simulator, starts the simulator with a funded
 * demo account and the demo sign-up site, and opens Chromium with the
 * extension loaded and set up, on the demo site.
 *
 * `npm start -- --browser firefox` does the same in Firefox.
 * `npm start -- --headless` runs the tour by itself instead (see tour.ts).
 *
 * Ctrl-C, closing the terminal or closing the browser all end in the same
 * cleanup, which deletes the browser profile. Under `npm start` (and
 * `xvfb-run`) a Ctrl-C reaches this process once from the terminal and may
 * come again from a parent passing it on, so the signal handlers stay in
 * place until the cleanup is done, and Playwright's own handler, which exits
 * the process on a second Ctrl-C before any cleanup, is turned off.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { extensionDir, type BrowserName } from '../scripts/browsers';
import { startDemoSession, type DemoSession } from './session';
import { runTour, TourError } from './tour';

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

interface Options {
  browser: BrowserName;
  headless: boolean;
  /** A simulator fault to inject during the tour (proves the tour reports failures). */
  fault: string | null;
  skipBuild: boolean;
}

/** `--browser firefox` or `--browser=firefox`; Chromium otherwise. */
function browserArg(argv: string[]): BrowserName | null {
  const at = argv.indexOf('--browser');
  const value = at >= 0 ? argv[at + 1] : argv.find((a) => a.startsWith('--browser='))?.slice('--browser='.length);
  if (value === undefined || value === 'chromium' || value === 'chrome') return 'chromium';
  return value === 'firefox' ? 'firefox' : null;
}

function parseArgs(argv: string[]): Options | null {
  const browser = browserArg(argv);
  if (!browser) return null;
  const fault = argv.find((a) => a.startsWith('--fault='))?.slice('--fault='.length) ?? null;
  return { browser, headless: argv.includes('--headless'), fault, skipBuild: argv.includes('--skip-build') };
}

/** Resolves on the first stop signal; later ones only say that the cleanup is under way. */
function stopRequested(): { promise: Promise<string>; requested(): boolean } {
  let signalled: string | null = null;
  const promise = new Promise<string>((resolve) => {
    for (const signal of STOP_SIGNALS) {
      process.on(signal, () => {
        if (signalled === null) {
          signalled = signal;
          console.log('\nStopping the demo and deleting its browser profile…');
        }
        resolve(signal);
      });
    }
  });
  return { promise, requested: () => signalled !== null };
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  if (!options) {
    console.error('demo: --browser takes chromium or firefox');
    return 2;
  }
  const browserLabel = options.browser === 'firefox' ? 'Firefox' : 'Chromium';
  const hasDisplay = !!(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  if (!options.headless && !hasDisplay) {
    console.error(
      [
        `No display found, so ${browserLabel} cannot open a window here.`,
        '  npm start -- --headless   runs the demo tour by itself and prints the result',
        '  xvfb-run npm start        runs the interactive demo on a virtual display',
      ].join('\n'),
    );
    return 2;
  }
  const stop = stopRequested();

  if (!options.skipBuild) {
    console.log('Building the extension for the simulator…');
    const target = options.browser === 'firefox' ? ['-b', 'firefox'] : [];
    const build = spawnSync(process.execPath, ['node_modules/wxt/bin/wxt.mjs', 'build', ...target, '--mode', 'development'], { stdio: ['ignore', 'ignore', 'inherit'] });
    // Ctrl-C during the build stops the build too: nothing was started, nothing to say.
    if (build.signal !== null) return 0;
    if (build.status !== 0) {
      console.error('demo: the extension build failed');
      return 1;
    }
  }
  if (stop.requested()) return 0;

  let session: DemoSession | null = null;
  try {
    session = await startDemoSession({
      browser: options.browser,
      extensionDir: path.resolve(extensionDir(options.browser, 'development')),
      headless: options.headless,
      port: Number(process.env.PORT ?? 8787),
    });
    const { browser, simulator, site } = session;
    if (options.headless) {
      const tour = runTour({ browser, simulator, site, fault: options.fault });
      const result = await Promise.race([tour, stop.promise.then(() => null)]);
      tour.catch(() => undefined);
      if (result === null) return 0;
      console.log(`demo: number ${result.number}, code ${result.code} filled in ${result.fillMs} ms`);
      return 0;
    }
    await session.showSite();
    console.log(
      [
        '',
        `Text2FA simulator:  ${simulator.baseUrl}   (demo token ${simulator.demoToken})`,
        `Demo sign-up site:  ${site.url}`,
        '',
        `In ${browserLabel}: click the Text2FA toolbar button on the Acme page, pick a service and press Get number.`,
        'The number lands in the phone field; press Send code and the code is filled in by itself.',
        'Close the browser or press Ctrl+C to stop.',
      ].join('\n'),
    );
    await Promise.race([new Promise<void>((resolve) => browser.onClose(resolve)), stop.promise]);
    return 0;
  } catch (error: unknown) {
    if (stop.requested()) return 0;
    if (error instanceof TourError) console.error(`demo failed at step "${error.step}": ${error.message}`);
    else console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await session?.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
