/**
 * One demo session: the simulator with its funded demo account, the demo
 * sign-up site, and Chromium with the extension in a throw-away profile,
 * pointed at the simulator and signed in. `close()` undoes all of it, the
 * profile folder included, however far the start got.
 */
import { mkdtempSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { startSimulator, type Simulator } from '../simulator/server';
import { extensionWorker, launchWithExtension, send, signIn } from '../scripts/launch';
import { startDemoSite, type DemoSite } from './server';

export interface DemoSession {
  simulator: Simulator;
  site: DemoSite;
  context: BrowserContext;
  /** The browser's first tab, showing one of the extension's pages once set up. */
  extensionPage: Page;
  /** The Chromium profile folder (in the system's temp folder). */
  profile: string;
  /** Shows the demo site in that same tab, so the browser has exactly one tab. */
  showSite(): Promise<Page>;
  /** Closes the browser, the site and the simulator, and deletes the profile. Safe to call twice. */
  close(): Promise<void>;
}

export interface DemoOptions {
  extensionDir: string;
  headless: boolean;
  /** The simulator's port; when taken, any free port (the extension is told which). */
  port: number;
}

/**
 * Chromium keeps its single-instance socket in a temp folder of its own,
 * linked from the profile, and deletes it only when it exits normally; under
 * `xvfb-run` Ctrl-C also stops the X server, and Chromium with it.
 */
function chromiumSocketFolder(profile: string): string | null {
  try {
    const folder = path.dirname(readlinkSync(path.join(profile, 'SingletonSocket')));
    return path.basename(folder).startsWith('org.chromium.Chromium.') ? folder : null;
  } catch {
    return null;
  }
}

/** How long the browser gets to close before the profile is deleted anyway. */
const CLOSE_TIMEOUT_MS = 15_000;

async function startSimulatorOnFreePort(port: number): Promise<Simulator> {
  try {
    return await startSimulator({ port });
  } catch {
    return startSimulator({ port: 0 });
  }
}

/** Points the extension at the simulator and signs in with the demo token, as a user would in Setup. */
async function setUpExtension(context: BrowserContext, simulator: Simulator): Promise<Page> {
  const id = new URL((await extensionWorker(context)).url()).host;
  // The tab Chromium opens with: a second one would stay behind as a stray about:blank.
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`chrome-extension://${id}/popup.html`);
  const pointed = await send(page, 'dev.setApiBaseUrl', { url: simulator.baseUrl });
  if (!pointed.ok) throw new Error(`Pointing the extension at the simulator failed: ${pointed.error?.message ?? 'no answer'}`);
  const signedIn = await signIn(page, simulator.demoToken);
  if (!signedIn.ok) throw new Error(`Signing in with the demo token failed: ${signedIn.error?.message ?? 'no answer'}`);
  return page;
}

/** Starts everything; on a failure midway, what was started is stopped and the profile deleted before the error is thrown. */
export async function startDemoSession(options: DemoOptions): Promise<DemoSession> {
  const profile = mkdtempSync(path.join(tmpdir(), 't2fa-demo-'));
  let simulator: Simulator | null = null;
  let site: DemoSite | null = null;
  let context: BrowserContext | null = null;
  let closing: Promise<void> | null = null;

  const close = () =>
    (closing ??= (async () => {
      const socketFolder = chromiumSocketFolder(profile);
      try {
        const browserClosed = context?.close().catch(() => undefined);
        await Promise.race([browserClosed, new Promise((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS).unref())]);
        await site?.close().catch(() => undefined);
        await simulator?.close().catch(() => undefined);
      } finally {
        rmSync(profile, { recursive: true, force: true, maxRetries: 5 });
        if (socketFolder) rmSync(socketFolder, { recursive: true, force: true });
      }
    })());

  try {
    simulator = await startSimulatorOnFreePort(options.port);
    site = await startDemoSite({ simulatorUrl: simulator.url });
    // The demo cleans up after itself on Ctrl-C, so Playwright must not exit the process first (see LaunchOptions).
    context = await launchWithExtension(profile, { extensionDir: options.extensionDir, headless: options.headless, handleSignals: false });
    const extensionPage = await setUpExtension(context, simulator);
    const started = { simulator, site, context };
    return {
      ...started,
      extensionPage,
      profile,
      async showSite() {
        await extensionPage.goto(started.site.url);
        return extensionPage;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
