/**
 * Fixtures for the cross-browser specs (tests/e2e/both/): each test gets a
 * fresh simulator over real HTTP and a fresh browser with the test build, in
 * the browser its Playwright project names (`extensionBrowser`: the
 * `chromium` and `firefox` projects in playwright.config.ts). The fixture
 * pages are served once per worker, for every host name (`shop.test`,
 * `other.test`, ...), which both browsers resolve to this machine.
 *
 * After each test the session must have logged no extension error: in Firefox
 * that is the "the extension logs no errors during the suite".
 */
import { execFileSync } from 'node:child_process';
import { test as base, expect } from '@playwright/test';
import { startSimulator, type Simulator } from '../../../simulator/server';
import { startFixtureServer, type FixtureServer } from '../../support/fixture-server';
import { SimControl } from '../../support/sim-control';
import path from 'node:path';
import { extensionDir, startSession, type BrowserName, type DrivenPage, type ExtensionSession } from '../../../scripts/browsers';

export type { BrowserName, DrivenPage, ExtensionSession };
export { IDLE_PREF } from '../../../scripts/browsers';

export interface HarnessOptions {
  /** Which browser the project runs the specs in. */
  extensionBrowser: BrowserName;
  /** Extra Firefox preferences for this test (e.g. a short `extensions.background.idle.timeout`). */
  firefoxPrefs: Record<string, string | number | boolean>;
}

interface HarnessFixtures {
  simulator: Simulator;
  sim: SimControl;
  /** The browser with the extension, pointed at this test's simulator, not signed in. */
  session: ExtensionSession;
  /** The same, signed in with the simulator's demo account. */
  signedIn: ExtensionSession;
}

interface WorkerFixtures {
  fixtures: FixtureServer;
}

export const test = base.extend<HarnessOptions & HarnessFixtures, WorkerFixtures>({
  extensionBrowser: ['chromium', { option: true }],
  firefoxPrefs: [{}, { option: true }],
  fixtures: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      execFileSync(process.execPath, ['scripts/build-fixtures.mjs'], { stdio: ['ignore', 'ignore', 'inherit'] });
      const server = await startFixtureServer({ port: 0 });
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],
  // eslint-disable-next-line no-empty-pattern
  simulator: async ({}, use) => {
    const simulator = await startSimulator({ port: 0 });
    await use(simulator);
    await simulator.close();
  },
  sim: async ({ simulator }, use) => {
    await use(new SimControl(simulator.url));
  },
  session: async ({ extensionBrowser, firefoxPrefs, simulator }, use, testInfo) => {
    const session = await startSession(extensionBrowser, {
      extensionDir: path.resolve(extensionDir(extensionBrowser, 'test')),
      simulatorBaseUrl: simulator.baseUrl,
      prefs: firefoxPrefs,
    });
    try {
      await use(session);
      if (testInfo.status === testInfo.expectedStatus) {
        expect(session.extensionErrors(), `errors the extension logged in ${extensionBrowser}`).toEqual([]);
      }
    } finally {
      await session.close();
    }
  },
  signedIn: async ({ session, simulator }, use) => {
    const reply = await session.signIn(simulator.demoToken);
    if (!reply.ok) throw new Error(`setup failed: ${JSON.stringify(reply)}`);
    await use(session);
  },
});

export { expect };

/** What a fixture page's own framework state holds (tests/fixtures/pages/_shared/fixture.ts). */
export const fixtureState = (page: DrivenPage) => page.evaluate(() => (window as unknown as { __fixture: { state(): string } }).__fixture.state());

/** The simulator's S1 service key for a service name. */
export async function serviceKey(session: ExtensionSession, name: string): Promise<string> {
  const reply = await session.send('catalog.services', { pool: 's1' });
  if (!reply.ok) throw new Error(`no services: ${JSON.stringify(reply.error)}`);
  const service = (reply.data as { key: string; name: string }[]).find((s) => s.name === name);
  if (!service) throw new Error(`no S1 service named ${name}`);
  return service.key;
}

/** Buys an S1 number for the named service bound to `tabId`, and returns the order (throws when refused). */
export async function buyFor(
  session: ExtensionSession,
  tabId: number | undefined,
  intentId: string,
  service = 'Google',
): Promise<{ id: string; orderId: string; number: string }> {
  const reply = await session.send('orders.buy', {
    intentId,
    pool: 's1',
    serviceKey: await serviceKey(session, service),
    serviceName: service,
    expectedPrice: null,
    another: true,
    ...(tabId === undefined ? {} : { tabId }),
  });
  if (!reply.ok) throw new Error(`purchase failed: ${JSON.stringify(reply.error)}`);
  return reply.data as { id: string; orderId: string; number: string };
}

/** The order book as the background stored it. */
export async function readOrders(session: ExtensionSession): Promise<Array<Record<string, unknown> & { id: string }>> {
  return (await session.storage<{ orders: Array<Record<string, unknown> & { id: string }> }>('orderBook'))?.orders ?? [];
}

/** The content script's own counters in a page (test builds only). */
export async function contentStats(page: DrivenPage): Promise<{ wakes: number; queries: number; observers: number; scans: number } | null> {
  const raw = await page.evaluate(() => document.documentElement.getAttribute('data-t2fa-test'));
  return raw ? JSON.parse(raw) : null;
}
