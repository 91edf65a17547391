/**
 * `npm run bench`: measures the product's speed and size claims on the real
 * production-like builds, with real timers, and writes bench/results.json.
 * `npm run bench -- --check` exits non-zero when any budget is missed.
 *
 * Keys (milliseconds, bytes, counts):
 *   otpLatencyMs.p50/.p95       simulator sends the SMS → code in the page's field (20+ runs)
 *   deliveryLatencyMs.p50/.p95  simulator sends the SMS → code stored by the order engine
 *   requestsPerMinute.orders1/5/20  polling requests with 1, 5, 20 waiting S1 orders
 *   popupFirstRenderMs          popup opened → balance rendered from cached state, over a reference page
 *                               that only reads the balance from storage and shows it
 *   contentIdleMs               content script's main-thread cost on a 5,000-element page with no order,
 *                               over a reference content script that only registers a message listener
 *   reference.*                 the whole figures behind those two differences
 *   fillMs10k                   detection and fill on a 10,000-element page
 *   gzipBytes.popup/.background/.content
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { startSimulator, type Simulator } from '../simulator/server';
import { SimControl } from '../tests/support/sim-control';
import { extensionWorker, launchWithExtension, newestTabId, send, signIn } from '../scripts/launch';
import { findChromium } from '../scripts/chromium';
import { startDemoSite, type DemoSite } from '../demo/server';
import type { Order } from '../utils/orders/model';

/** Test build: production code plus the loopback host permission the simulator needs. */
const TEST_BUILD = path.resolve('.output/chrome-mv3-test');
const PROD_BUILD = path.resolve('.output/chrome-mv3');

export const BUDGETS: Record<string, number> = {
  'otpLatencyMs.p95': 3000,
  'deliveryLatencyMs.p95': 2500,
  'requestsPerMinute.orders20': 60,
  popupFirstRenderMs: 100,
  contentIdleMs: 2,
  fillMs10k: 50,
  'gzipBytes.popup': 35840,
  // Issue 19 lets the content script's active half grow to 14 KB gzip (the binding note, the refusal watcher to come).
  'gzipBytes.content': 14336,
};

const REQUIRED_KEYS = [
  'otpLatencyMs.p50',
  'otpLatencyMs.p95',
  'deliveryLatencyMs.p50',
  'deliveryLatencyMs.p95',
  'requestsPerMinute.orders1',
  'requestsPerMinute.orders5',
  'requestsPerMinute.orders20',
  'popupFirstRenderMs',
  'contentIdleMs',
  'fillMs10k',
  'gzipBytes.popup',
  'gzipBytes.background',
  'gzipBytes.content',
];

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? NaN;
}

function median(values: number[]): number {
  return percentile(values, 50);
}

function sh(args: string[]): void {
  const run = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  if (run.status !== 0) throw new Error(`${args.join(' ')} failed`);
}

/** Gzipped size of every file an extension page or script loads, per entrypoint. */
function gzipSizes(): Record<string, number> {
  const gz = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;
  // The popup loads what its HTML references (its chunk, shared chunks, CSS) and what those import.
  const html = readFileSync(path.join(PROD_BUILD, 'popup.html'), 'utf8');
  const files = new Set<string>();
  const queue = [...html.matchAll(/(?:src|href)="\/?([^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
  while (queue.length) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    if (file.endsWith('.js')) {
      const code = readFileSync(path.join(PROD_BUILD, file), 'utf8');
      for (const m of code.matchAll(/from\s*["']\.\/([^"']+\.js)["']|import\(["']\.\/([^"']+\.js)["']\)/g)) {
        queue.push(path.posix.join(path.posix.dirname(file), m[1] ?? m[2]!));
      }
    }
  }
  return {
    popup: [...files].reduce((sum, f) => sum + gz(path.join(PROD_BUILD, f)), gz(path.join(PROD_BUILD, 'popup.html'))),
    background: gz(path.join(PROD_BUILD, 'background.js')),
    // All the content script's code: the listener on every page plus the half loaded on wake.
    content: gz(path.join(PROD_BUILD, 'content-listener.js')) + gz(path.join(PROD_BUILD, 'content-active.js')),
    // What every page loads.
    contentListener: gz(path.join(PROD_BUILD, 'content-listener.js')),
  };
}


async function orders(page: Page): Promise<Order[]> {
  return page.evaluate(async () => {
    const value = await (globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<{ orderBook?: { orders: Order[] } }> } } } }).chrome.storage.local.get('orderBook');
    return value.orderBook?.orders ?? [];
  });
}

interface Session {
  context: BrowserContext;
  extensionPage: Page;
  simulator: Simulator;
  sim: SimControl;
  site: DemoSite;
  profile: string;
  googleKey: string;
  close(): Promise<void>;
}

async function openSession(): Promise<Session> {
  const simulator = await startSimulator({ port: 0, demoBalance: 10_000 });
  const sim = new SimControl(simulator.url);
  const site = await startDemoSite({ simulatorUrl: simulator.url });
  const profile = mkdtempSync(path.join(tmpdir(), 't2fa-bench-'));
  const context = await launchWithExtension(profile, { extensionDir: TEST_BUILD });
  const id = new URL((await extensionWorker(context)).url()).host;
  const extensionPage = await context.newPage();
  await extensionPage.goto(`chrome-extension://${id}/popup.html`);
  const pointed = await send(extensionPage, 'dev.setApiBaseUrl', { url: simulator.baseUrl });
  const signedIn = await signIn(extensionPage, simulator.demoToken);
  if (!pointed.ok || !signedIn.ok) throw new Error(`setup failed: ${pointed.error?.message ?? signedIn.error?.message}`);
  const services = (await send(extensionPage, 'catalog.services', { pool: 's1' })).data as { key: string; name: string }[];
  return {
    context,
    extensionPage,
    simulator,
    sim,
    site,
    profile,
    googleKey: services.find((s) => s.name === 'Google')!.key,
    async close() {
      await context.close();
      await site.close();
      await simulator.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Runs start at least this far apart. Each run costs about five requests
 * (purchase, balance, polls); back to back they would exceed the default cap
 * of 60 requests a minute, and the cap's wait (measured by requestsPerMinute)
 * would be timed instead of the delivery. No one buys numbers faster than this.
 */
const RUN_SPACING_MS = 6_000;

/**
 * One run per order: open the demo site's code page in a tab, buy a number
 * bound to that tab, have the simulator text the code, and time how long
 * until the engine stored it and until the page's boxes held it.
 */
async function measureLatency(session: Session, runs: number): Promise<{ otp: number[]; delivery: number[] }> {
  const otp: number[] = [];
  const delivery: number[] = [];
  let lastStart = 0;
  for (let run = 0; run < runs; run++) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, lastStart + RUN_SPACING_MS - Date.now())));
    lastStart = Date.now();
    const tab = await session.context.newPage();
    await tab.goto(`${session.site.url}code.html?phone=0000000000`);
    const tabId = await newestTabId(session.extensionPage);
    const bought = await send(session.extensionPage, 'orders.buy', {
      intentId: `bench-${run}`,
      pool: 's1',
      serviceKey: session.googleKey,
      serviceName: 'Google',
      expectedPrice: null,
      tabId,
      another: true,
    });
    if (!bought.ok) throw new Error(`purchase failed: ${bought.error?.message}`);
    const order = bought.data as Order;
    // Let the first poll settle, so runs measure steady polling rather than the purchase itself.
    await tab.waitForTimeout(300 + Math.random() * 1500);
    const code = String(100000 + Math.floor(Math.random() * 899999));
    const sentAt = Date.now();
    await session.sim.sms({ order_id: Number(order.orderId), text: `Your verification code is ${code}` });
    await tab.waitForFunction((expected) => [...document.querySelectorAll('.boxes input')].map((b) => (b as HTMLInputElement).value).join('') === expected, code, {
      timeout: 15_000,
      polling: 10,
    });
    otp.push(Date.now() - sentAt);
    const stored = (await orders(session.extensionPage)).find((o) => o.id === `bench-${run}`);
    const seenAt = stored?.codes.at(-1)?.seenAt;
    if (seenAt === undefined) throw new Error('the code was filled but not stored');
    delivery.push(seenAt - sentAt);
    await tab.close();
  }
  return { otp, delivery };
}


/**
 * Requests the extension sends per minute while `count` S1 orders wait, over
 * a 30 s window, in a fresh browser profile so no earlier order is polled too.
 */
async function measureRequestRate(count: number): Promise<number> {
  const session = await openSession();
  try {
    return await countRequests(session, count);
  } finally {
    await session.close();
  }
}

async function countRequests(session: Session, count: number): Promise<number> {
  for (let i = 0; i < count; i++) {
    const reply = await send(session.extensionPage, 'orders.buy', {
      intentId: `rate-${count}-${i}`,
      pool: 's1',
      serviceKey: session.googleKey,
      serviceName: 'Google',
      expectedPrice: null,
      another: true,
    });
    if (!reply.ok) throw new Error(`purchase failed: ${reply.error?.message}`);
  }
  await session.extensionPage.waitForTimeout(3_000);
  await session.sim.resetCounters();
  const windowMs = 30_000;
  await session.extensionPage.waitForTimeout(windowMs);
  const counters = await session.sim.counters();
  return Math.round((counters.total * 60_000) / windowMs);
}

/**
 * A generated extension holding `files`, for the reference measurements: the
 * least a feature needs, run the same way as ours, so the difference is our part.
 */
function referenceExtension(manifest: Record<string, unknown>, files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 't2fa-reference-'));
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ manifest_version: 3, name: 'reference', version: '1.0', ...manifest }));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

/** Runs `measure` on each context in turn, `rounds` times, so drift in the machine's load hits all alike. */
async function interleaved(contexts: BrowserContext[], rounds: number, measure: (context: BrowserContext, index: number) => Promise<number>): Promise<number[][]> {
  const samples: number[][] = contexts.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (const [index, context] of contexts.entries()) samples[index]!.push(await measure(context, index));
  }
  return samples;
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/**
 * Time from opening the popup to its first render of the balance from cached
 * state: the popup marks that moment (`t2fa:first-balance`) itself, measured
 * from the page's navigation start, so test polling adds nothing. The browser
 * alone needs a good part of that to open any extension page, so the figure
 * kept is ours minus a reference page doing the least a popup showing a cached
 * balance must: one module script, one storage read, one line of text.
 */
async function measurePopupFirstRender(session: Session, rounds: number): Promise<{ ms: number; oursMs: number; referenceMs: number }> {
  const reference = referenceExtension(
    { permissions: ['storage'], background: { service_worker: 'worker.js' } },
    {
      'worker.js': '',
      'page.html': '<!doctype html><html><head><meta charset="utf-8"><script type="module" src="/page.js"></script></head><body><p id="balance"></p></body></html>',
      'page.js': `const { account } = await chrome.storage.local.get('account');
document.getElementById('balance').textContent = account ? '$' + account.balance.toFixed(2) : '';
performance.mark('t2fa:first-balance');`,
    },
  );
  const profile = mkdtempSync(path.join(tmpdir(), 't2fa-reference-profile-'));
  const referenceContext = await launchWithExtension(profile, { extensionDir: reference });
  try {
    const referenceId = new URL((await extensionWorker(referenceContext)).url()).host;
    const seed = await referenceContext.newPage();
    await seed.goto(`chrome-extension://${referenceId}/page.html`);
    await seed.evaluate(() => (globalThis as unknown as { chrome: { storage: { local: { set(v: unknown): Promise<void> } } } }).chrome.storage.local.set({ account: { balance: 10_000 } }));
    await seed.close();
    const urls = [session.extensionPage.url(), `chrome-extension://${referenceId}/page.html`];
    const [ours, referencePage] = await interleaved([session.context, referenceContext], rounds + 1, async (context, index) => {
      const page = await context.newPage();
      await page.goto(urls[index]!);
      await page.waitForFunction(() => performance.getEntriesByName('t2fa:first-balance').length > 0);
      if (index === 0) await page.getByTestId('balance').first().waitFor();
      const time = await page.evaluate(() => performance.getEntriesByName('t2fa:first-balance')[0]!.startTime);
      await page.close();
      return time;
    });
    const oursMs = median(ours!.slice(1));
    const referenceMs = median(referencePage!.slice(1));
    return { ms: Math.max(0, round1(oursMs - referenceMs)), oursMs: round1(oursMs), referenceMs: round1(referenceMs) };
  } finally {
    await referenceContext.close();
    rmSync(profile, { recursive: true, force: true });
    rmSync(reference, { recursive: true, force: true });
  }
}

/** A page with `n` elements of mixed kinds, and (optionally) one OTP field at the end. */
function bigPage(n: number, withField: boolean): string {
  const parts: string[] = ['<!doctype html><html><body><main>'];
  for (let i = 0; i < n; i++) {
    const kind = i % 10;
    if (kind === 0) parts.push(`<section><h3>Item ${i}</h3>`);
    else if (kind === 9) parts.push('</section>');
    else if (kind === 5) parts.push(`<input name="q${i}" placeholder="Search ${i}">`);
    else parts.push(`<div class="c${kind}"><span>text ${i}</span></div>`);
  }
  if (withField) parts.push('<form><label for="otp">Verification code</label><input id="otp" autocomplete="one-time-code" inputmode="numeric" maxlength="6"></form>');
  parts.push('</main></body></html>');
  return parts.join('');
}

async function measureFill10k(): Promise<number> {
  const bundle = await build({ entryPoints: ['utils/autofill/index.ts'], bundle: true, format: 'iife', globalName: 'T2faAutofill', write: false, minify: true });
  const browser = await chromium.launch({ executablePath: findChromium(), args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage();
    await page.setContent(bigPage(10_000, true));
    await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
    const times: number[] = [];
    for (let i = 0; i < 15; i++) {
      times.push(
        await page.evaluate(async () => {
          const field = document.getElementById('otp') as HTMLInputElement;
          field.value = '';
          const start = performance.now();
          const result = await (globalThis as unknown as { T2faAutofill: { fillOtpCode(d: Document, c: string): Promise<{ filled: boolean }> } }).T2faAutofill.fillOtpCode(document, '482913');
          const elapsed = performance.now() - start;
          if (!result.filled || field.value !== '482913') throw new Error('fill failed on the benchmark page');
          return elapsed;
        }),
      );
    }
    return round1(median(times.slice(3)));
  } finally {
    await browser.close();
  }
}

/**
 * The content script's main-thread cost on a page with no order: the page's
 * script time (CDP ScriptDuration) with our production extension, minus the
 * same with a reference content script that registers one runtime message
 * listener and nothing else. That reference is the least any content script
 * its background can wake must run; the browser charges it for setting up the
 * extension messaging API in the page, which no extension can avoid. Also kept:
 * an empty content script (the browser's cost of running one at all).
 */
async function measureContentIdle(rounds: number): Promise<{ ms: number; oursMs: number; listenerOnlyMs: number; emptyScriptMs: number }> {
  const html = bigPage(5_000, false);
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const contentScript = (code: string) =>
    referenceExtension(
      { content_scripts: [{ matches: ['<all_urls>'], all_frames: true, run_at: 'document_idle', js: ['content.js'] }] },
      { 'content.js': code },
    );
  const references = [contentScript('chrome.runtime.onMessage.addListener(() => {});'), contentScript('')];
  const dirs = [PROD_BUILD, ...references];
  const profiles = dirs.map(() => mkdtempSync(path.join(tmpdir(), 't2fa-idle-')));
  const contexts: BrowserContext[] = [];
  try {
    for (const [index, dir] of dirs.entries()) contexts.push(await launchWithExtension(profiles[index]!, { extensionDir: dir }));
    const samples = await interleaved(contexts, rounds + 2, async (context) => {
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Performance.enable');
      await page.goto(`http://idle.test:${port}/`, { waitUntil: 'load' });
      await page.waitForTimeout(300);
      const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
      await page.close();
      return (metrics.find((m) => m.name === 'ScriptDuration')?.value ?? 0) * 1000;
    });
    const [oursMs, listenerOnlyMs, emptyScriptMs] = samples.map((values) => median(values.slice(2)));
    return {
      ms: Math.max(0, Math.round((oursMs! - listenerOnlyMs!) * 100) / 100),
      oursMs: Math.round(oursMs! * 100) / 100,
      listenerOnlyMs: Math.round(listenerOnlyMs! * 100) / 100,
      emptyScriptMs: Math.round(emptyScriptMs! * 100) / 100,
    };
  } finally {
    for (const context of contexts) await context.close();
    server.close();
    for (const dir of [...profiles, ...references]) rmSync(dir, { recursive: true, force: true });
  }
}

function flatten(results: Record<string, unknown>, prefix = ''): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(results)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'number') out[name] = value;
    else if (value && typeof value === 'object') Object.assign(out, flatten(value as Record<string, unknown>, name));
  }
  return out;
}

async function main(): Promise<number> {
  const check = process.argv.includes('--check');
  const runs = Number(process.env.BENCH_RUNS ?? 20);
  console.log('Building production and test extensions…');
  sh(['node_modules/wxt/bin/wxt.mjs', 'build']);
  sh(['node_modules/wxt/bin/wxt.mjs', 'build', '--mode', 'test']);

  const results: Record<string, unknown> = { gzipBytes: gzipSizes() };
  console.log('Measuring fill on a 10,000-element page…');
  results.fillMs10k = await measureFill10k();
  console.log('Measuring the idle content script…');
  const idle = await measureContentIdle(24);
  results.contentIdleMs = idle.ms;

  const session = await openSession();
  try {
    console.log(`Measuring code latency over ${runs} runs…`);
    const latency = await measureLatency(session, runs);
    results.otpLatencyMs = { p50: median(latency.otp), p95: percentile(latency.otp, 95), runs: latency.otp.length };
    results.deliveryLatencyMs = { p50: median(latency.delivery), p95: percentile(latency.delivery, 95), runs: latency.delivery.length };
    console.log('Measuring the popup’s first render…');
    const popup = await measurePopupFirstRender(session, 15);
    results.popupFirstRenderMs = popup.ms;
    // The whole figures behind the two differences above, for the record.
    results.reference = {
      popupFirstRenderTotalMs: popup.oursMs,
      popupReferencePageMs: popup.referenceMs,
      contentIdleTotalMs: idle.oursMs,
      contentListenerOnlyMs: idle.listenerOnlyMs,
      contentEmptyScriptMs: idle.emptyScriptMs,
    };
  } finally {
    await session.close();
  }
  console.log('Measuring polling requests per minute (30 s windows)…');
  results.requestsPerMinute = {
    orders1: await measureRequestRate(1),
    orders5: await measureRequestRate(5),
    orders20: await measureRequestRate(20),
  };

  const flat = flatten(results);
  mkdirSync('bench', { recursive: true });
  writeFileSync('bench/results.json', `${JSON.stringify({ measuredAt: new Date().toISOString(), results, budgets: BUDGETS }, null, 2)}\n`);

  let failed = 0;
  console.log('\nmetric                         value     budget');
  for (const key of REQUIRED_KEYS) {
    const value = flat[key];
    const budget = BUDGETS[key];
    const missing = value === undefined || Number.isNaN(value);
    const over = !missing && budget !== undefined && (key.startsWith('gzipBytes') || key.startsWith('requestsPerMinute') ? value > budget : value >= budget);
    if (missing || over) failed += 1;
    console.log(`${key.padEnd(30)} ${String(missing ? 'missing' : value).padStart(8)}  ${budget === undefined ? '' : `${key.startsWith('gzip') || key.startsWith('requests') ? '≤' : '<'} ${budget}`}${over ? '  MISSED' : ''}`);
  }
  // Figures without a budget: the parts behind the differences, and the extra sizes.
  for (const key of Object.keys(flat).filter((k) => !REQUIRED_KEYS.includes(k) && !k.endsWith('.runs'))) {
    console.log(`${key.padEnd(30)} ${String(flat[key]).padStart(8)}`);
  }
  console.log(`\nwrote bench/results.json${check ? (failed ? `; ${failed} budget(s) missed` : '; all budgets met') : ''}`);
  return check && failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
