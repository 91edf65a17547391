/**
 * One demo session: the simulator with its funded demo account, the demo
 * sign-up site, and Chromium or Firefox with the extension in a throw-away
 * profile, pointed at the simulator and signed in. `close()` undoes all of it,
 * the profile folder included, however far the start got.
 */
import { startSimulator, type Simulator } from '../simulator/server';
import { startSession, type BrowserName, type ExtensionSession } from '../scripts/browsers';
import { startDemoSite, type DemoSite } from './server';

export interface DemoSession {
  simulator: Simulator;
  site: DemoSite;
  /** The browser with the extension; its first tab shows one of the extension's pages once set up. */
  browser: ExtensionSession;
  /** Shows the demo site in that same tab, so the browser has exactly one tab. */
  showSite(): Promise<void>;
  /** Closes the browser, the site and the simulator, and deletes the profile. Safe to call twice. */
  close(): Promise<void>;
}

export interface DemoOptions {
  browser: BrowserName;
  extensionDir: string;
  headless: boolean;
  /** The simulator's port; when taken, any free port (the extension is told which). */
  port: number;
}

async function startSimulatorOnFreePort(port: number): Promise<Simulator> {
  try {
    return await startSimulator({ port });
  } catch {
    return startSimulator({ port: 0 });
  }
}

/** Starts everything; on a failure midway, what was started is stopped and the profile deleted before the error is thrown. */
export async function startDemoSession(options: DemoOptions): Promise<DemoSession> {
  let simulator: Simulator | null = null;
  let site: DemoSite | null = null;
  let browser: ExtensionSession | null = null;
  let closing: Promise<void> | null = null;

  const close = () =>
    (closing ??= (async () => {
      await browser?.close();
      await site?.close().catch(() => undefined);
      await simulator?.close().catch(() => undefined);
    })());

  try {
    simulator = await startSimulatorOnFreePort(options.port);
    site = await startDemoSite({ simulatorUrl: simulator.url });
    browser = await startSession(options.browser, {
      extensionDir: options.extensionDir,
      simulatorBaseUrl: simulator.baseUrl,
      headless: options.headless,
      // The demo cleans up after itself on Ctrl-C, so the browser driver must not exit the process first.
      handleSignals: false,
      profilePrefix: 't2fa-demo-',
    });
    // As a user would in Setup (the token is staged, never sent in a message).
    const signedIn = await browser.signIn(simulator.demoToken);
    if (!signedIn.ok) throw new Error(`Signing in with the demo token failed: ${signedIn.error?.message ?? 'no answer'}`);
    const started = { simulator, site, browser };
    return {
      ...started,
      showSite: () => started.browser.control.goto(started.site.url),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
