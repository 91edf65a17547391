/**
 * The demo tour, run by `npm start -- --headless` and by a browser test: a
 * person's sign-up on the Acme demo site, done through the real popup.
 * Each step has a name so a failure says where the product broke.
 */
import type { Simulator } from '../simulator/server';
import { SimControl, type SimFault } from '../tests/support/sim-control';
import type { DrivenPage, ExtensionSession } from '../scripts/browsers';
import type { DemoSite } from './server';

export class TourError extends Error {
  constructor(
    readonly step: string,
    message: string,
  ) {
    super(message);
    this.name = 'TourError';
  }
}

export interface TourResult {
  number: string;
  code: string;
  /** From the site asking for the SMS to the code being in its boxes. */
  fillMs: number;
}

export interface TourOptions {
  /** Chromium or Firefox with the extension, signed in. */
  browser: ExtensionSession;
  simulator: Simulator;
  site: DemoSite;
  /** A simulator fault injected for the whole tour, to prove failures are reported. */
  fault: string | null;
}

const STEP_TIMEOUT_MS = 20_000;

async function step<T>(name: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof TourError) throw error;
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new TourError(name, reason ?? 'failed');
  }
}

/** The demo site gets the "Other" service: it is nobody's real site. */
const DEMO_SERVICE = /^Other\b/;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `check` holds, polling every `everyMs`; throws `what` after the step's timeout. */
async function waitUntil(what: string, check: () => Promise<boolean>, everyMs = 100): Promise<void> {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(everyMs);
  }
  throw new Error(`${what} (waited ${STEP_TIMEOUT_MS / 1000} s)`);
}

/** Runs the tour; resolves with what happened or throws `TourError` naming the failed step. */
export async function runTour(options: TourOptions): Promise<TourResult> {
  const { browser, simulator, site } = options;
  if (options.fault) {
    await new SimControl(simulator.url).fault({ fault: options.fault as SimFault['fault'], count: 1_000, retryAfter: '60', delayMs: 60_000 });
  }

  const { page: sitePage, tabId } = await step('open the demo site', async () => {
    const opened = await browser.openTab(site.url);
    await waitUntil('the sign-up page did not show', async () => (await opened.page.text('h1')) === 'Create your Acme account');
    return opened;
  });

  const number = await step('get a number from the popup', async () => {
    // The popup for the demo site's tab, opened in a tab of its own (`?tab=` names the site's tab).
    const popup = await browser.openExtensionPage(`popup.html?tab=${tabId}`);
    await chooseService(popup);
    await popup.clickText('button', /^Get number/);
    let digits = '';
    await waitUntil('the popup showed no number', async () => {
      digits = ((await popup.text('[data-testid="order-number"]')) ?? '').replace(/\D/g, '');
      return digits.length >= 10;
    });
    await popup.close();
    return digits.slice(-10);
  });

  await step('number filled into the phone field', () =>
    waitUntil('the phone field does not hold the number', () =>
      sitePage.evaluate((expected) => (document.getElementById('phone') as HTMLInputElement).value.replace(/\D/g, '').endsWith(expected), number),
    ),
  );

  const sentAt = await step('SMS sent by the site', async () => {
    await sitePage.clickText('button', /^Send code$/);
    await waitUntil('the code page did not show', async () => (await sitePage.text('h1')) === 'Enter the code');
    const sent = site.sent.at(-1);
    if (!sent || sent.phone !== number) throw new Error('the site did not text the number');
    return sent;
  });

  const fillMs = await step('code filled into the boxes', async () => {
    const boxes = (expected: string) => sitePage.evaluate((code) => [...document.querySelectorAll('.boxes input')].map((b) => (b as HTMLInputElement).value).join('') === code, expected);
    await waitUntil('the boxes do not hold the code', () => boxes(sentAt.code), 20);
    return Date.now() - sentAt.at;
  });

  await step('form accepted', async () => {
    await sitePage.clickText('button', /^Verify$/);
    await waitUntil('the site did not accept the code', async () => (await sitePage.text('h1')) === "You're in!");
  });

  return { number, code: sentAt.code, fillMs };
}

/** Picks the demo service in the popup's service picker for this site (remembered for the next time). */
async function chooseService(popup: DrivenPage): Promise<void> {
  const current = () => popup.text('[data-testid="service-name"]');
  await waitUntil('the popup showed no service', async () => !!(await current()));
  if (DEMO_SERVICE.test((await current()) ?? '')) return;
  await popup.click('button.service-button');
  await popup.focus('[role="combobox"][aria-label="Search services"]');
  await popup.type('Other');
  await popup.clickText('[role="option"]', DEMO_SERVICE);
  await waitUntil('the picked service is not shown', async () => DEMO_SERVICE.test((await current()) ?? ''));
}
