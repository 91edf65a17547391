/**
 * The demo tour, run by `npm start -- --headless` and by a browser test: a
 * person's sign-up on the Acme demo site, done through the real popup.
 * Each step has a name so a failure says where the product broke.
 */
import type { BrowserContext, Page } from '@playwright/test';
import type { Simulator } from '../simulator/server';
import { SimControl, type SimFault } from '../tests/support/sim-control';
import type { DemoSite } from './server';
import { newestTabId } from '../scripts/launch';

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
  context: BrowserContext;
  /** An extension page, already set up (its URL gives the popup's address). */
  extensionPage: Page;
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

/** Runs the tour; resolves with what happened or throws `TourError` naming the failed step. */
export async function runTour(options: TourOptions): Promise<TourResult> {
  const { context, extensionPage, simulator, site } = options;
  if (options.fault) {
    await new SimControl(simulator.url).fault({ fault: options.fault as SimFault['fault'], count: 1_000, retryAfter: '60', delayMs: 60_000 });
  }

  const sitePage = await step('open the demo site', async () => {
    const page = await context.newPage();
    await page.goto(site.url);
    await page.getByRole('heading', { name: 'Create your Acme account' }).waitFor({ timeout: STEP_TIMEOUT_MS });
    return page;
  });

  const number = await step('get a number from the popup', async () => {
    // The extension cannot read tab addresses; the demo site's tab is the one opened last.
    const tabId = await newestTabId(extensionPage);
    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${new URL(extensionPage.url()).host}/popup.html?tab=${tabId}`);
    await chooseService(popup);
    await popup.getByRole('button', { name: /^Get number/ }).click({ timeout: STEP_TIMEOUT_MS });
    const shown = popup.getByTestId('order-number').first();
    await shown.waitFor({ timeout: STEP_TIMEOUT_MS });
    const digits = (await shown.textContent())?.replace(/\D/g, '') ?? '';
    await popup.close();
    if (digits.length < 10) throw new Error(`the popup showed "${digits}" instead of a number`);
    return digits.slice(-10);
  });

  await step('number filled into the phone field', async () => {
    await sitePage.waitForFunction((expected) => (document.getElementById('phone') as HTMLInputElement).value.replace(/\D/g, '').endsWith(expected), number, {
      timeout: STEP_TIMEOUT_MS,
    });
  });

  const sentAt = await step('SMS sent by the site', async () => {
    await sitePage.getByRole('button', { name: 'Send code' }).click();
    await sitePage.getByRole('heading', { name: 'Enter the code' }).waitFor({ timeout: STEP_TIMEOUT_MS });
    const sent = site.sent.at(-1);
    if (!sent || sent.phone !== number) throw new Error('the site did not text the number');
    return sent;
  });

  const fillMs = await step('code filled into the boxes', async () => {
    await sitePage.waitForFunction(
      (expected) => [...document.querySelectorAll('.boxes input')].map((b) => (b as HTMLInputElement).value).join('') === expected,
      sentAt.code,
      { timeout: STEP_TIMEOUT_MS, polling: 20 },
    );
    return Date.now() - sentAt.at;
  });

  await step('form accepted', async () => {
    await sitePage.getByRole('button', { name: 'Verify' }).click();
    await sitePage.getByRole('heading', { name: "You're in!" }).waitFor({ timeout: STEP_TIMEOUT_MS });
  });

  return { number, code: sentAt.code, fillMs };
}

/** Picks the demo service in the popup's service picker for this site (remembered for the next time). */
async function chooseService(popup: Page): Promise<void> {
  const current = popup.getByTestId('service-name');
  await current.waitFor({ timeout: STEP_TIMEOUT_MS });
  if (DEMO_SERVICE.test((await current.textContent()) ?? '')) return;
  await popup.locator('button.service-button').click();
  const search = popup.getByRole('combobox', { name: 'Search services' });
  await search.fill('Other');
  await popup.getByRole('option', { name: DEMO_SERVICE }).first().click({ timeout: STEP_TIMEOUT_MS });
  await popup.getByTestId('service-name').filter({ hasText: DEMO_SERVICE }).waitFor({ timeout: STEP_TIMEOUT_MS });
}
