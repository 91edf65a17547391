/**
 * The autofill module (utils/autofill) against realistic sign-up pages built from
 * tests/fixtures/pages: React, Vue and Svelte widgets, hand-written split boxes, shadow DOM,
 * frames, late fields, decoys. Each page is filled twice, from the page's own JS world and
 * from a CDP isolated world (where a content script runs: no page globals, no framework
 * setters), and the check is on what the page's framework state holds, not on the DOM.
 *
 * Build the pages with `node scripts/build-fixtures.mjs` (done here in beforeAll; a no-op when
 * nothing changed). This spec does not load the extension.
 */
import { chromium, expect, test, type Browser, type BrowserContext, type CDPSession, type Frame, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { autofillBundle, type AutofillGlobal } from '../support/autofill-bundle';
import { startFixtureServer, type FixtureServer } from '../support/fixture-server';
import type { FixtureWindow } from '../fixtures/pages/_shared/fixture';
import { findChromium } from '../../scripts/chromium';
import { WIDGET_PAGES } from './widget-pages';

// Not ascending, with a 0: a reversed or shifted box order, or a lost keyCode 48, shows.
const CODE = '408317';
const PHONE = '+12055550123';
const SITE = 'shop.test';
const OTHER_SITE = 'other.test';

type WorldKind = 'page' | 'isolated';
const WORLDS: WorldKind[] = ['page', 'isolated'];

interface FillArgs {
  kind: 'otp' | 'phone';
  value: string;
  /** Pass `openShadowRoot`, backed by the closed roots exposeClosedRoots() stored in this world. */
  closedRoots: boolean;
}

interface FillOutcome {
  filled: boolean;
  reason: string | null;
  method: string;
  value: string | null;
  /** The fields the module reports, as `tag#id[name]`. */
  fields: string[];
  /** On failure only: every input of the document as `tag#id[name]="value"`, for the report. */
  inputs?: string[];
}

/**
 * Runs in the browser, in whichever world holds the bundle; serialized, so it may only use
 * its argument and that world's globals.
 */
async function runFill(args: FillArgs): Promise<FillOutcome> {
  const g = globalThis as typeof globalThis & { T2faAutofill: AutofillGlobal; __t2faClosedRoots?: WeakMap<Element, ShadowRoot> };
  const roots = g.__t2faClosedRoots;
  const options = args.closedRoots ? { openShadowRoot: (el: Element) => roots?.get(el) ?? null } : {};
  const r =
    args.kind === 'otp'
      ? await g.T2faAutofill.fillOtpCode(document, args.value, options)
      : await g.T2faAutofill.fillPhoneNumber(document, args.value, options);
  const describe = (el: Element): string =>
    el.localName + (el.id ? `#${el.id}` : '') + (el.getAttribute('name') ? `[${el.getAttribute('name')}]` : '') + (el.className ? `.${el.className}` : '');
  return {
    filled: r.filled,
    reason: r.reason ?? null,
    method: r.method,
    value: r.value ?? null,
    fields: r.fields.map(describe),
    inputs: r.filled ? undefined : [...document.querySelectorAll('input,select')].map((el) => `${describe(el)}=${JSON.stringify((el as HTMLInputElement).value)}`),
  };
}

/** The parts of a CDP DOM node this spec walks. */
interface DomNode {
  backendNodeId: number;
  shadowRootType?: string;
  children?: DomNode[];
  shadowRoots?: DomNode[];
  contentDocument?: DomNode;
}

/** A world of one frame's document, holding the autofill bundle. */
interface FillWorld {
  fill(args: FillArgs): Promise<FillOutcome>;
  /**
   * Stands in for chrome.dom.openOrClosedShadowRoot: DevTools can see closed roots, so each
   * one is resolved into this world and kept in a WeakMap keyed by its host, which runFill's
   * `openShadowRoot` reads. The page exposes nothing. Returns how many roots were found.
   */
  exposeClosedRoots(): Promise<number>;
}

async function cdpFrameId(cdp: CDPSession, frame: Frame): Promise<string> {
  const { frameTree } = await cdp.send('Page.getFrameTree');
  if (!frame.parentFrame()) return frameTree.frame.id;
  const queue = [...(frameTree.childFrames ?? [])];
  for (let t = queue.shift(); t; t = queue.shift()) {
    if (t.frame.url === frame.url()) return t.frame.id;
    queue.push(...(t.childFrames ?? []));
  }
  throw new Error(`no CDP frame for ${frame.url()} in this page's process`);
}

async function exposeClosedRoots(cdp: CDPSession, executionContextId: number | undefined): Promise<number> {
  const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
  const pairs: Array<{ host: number; root: number }> = [];
  const walk = (n: DomNode): void => {
    for (const sr of n.shadowRoots ?? []) {
      if (sr.shadowRootType === 'closed') pairs.push({ host: n.backendNodeId, root: sr.backendNodeId });
      walk(sr);
    }
    for (const c of n.children ?? []) walk(c);
    if (n.contentDocument) walk(n.contentDocument);
  };
  walk(root);
  for (const p of pairs) {
    // Without a context id DevTools resolves into the frame's main world.
    const host = await cdp.send('DOM.resolveNode', { backendNodeId: p.host, executionContextId });
    const sr = await cdp.send('DOM.resolveNode', { backendNodeId: p.root, executionContextId });
    await cdp.send('Runtime.callFunctionOn', {
      objectId: host.object.objectId,
      functionDeclaration: 'function (root) { (globalThis.__t2faClosedRoots ??= new WeakMap()).set(this, root); }',
      arguments: [{ objectId: sr.object.objectId }],
    });
  }
  return pairs.length;
}

/** The page's own world: the bundle as a <script>, called through Playwright's evaluate. */
async function pageWorld(page: Page, frame: Frame, bundle: string): Promise<FillWorld> {
  await frame.addScriptTag({ content: bundle });
  return {
    fill: (args) => frame.evaluate(runFill, args),
    exposeClosedRoots: async () => exposeClosedRoots(await page.context().newCDPSession(page), undefined),
  };
}

/** A CDP isolated world, as a content script gets: same DOM, none of the page's JS objects. */
async function isolatedWorld(page: Page, frame: Frame, bundle: string): Promise<FillWorld> {
  const cdp = await page.context().newCDPSession(page);
  const frameId = await cdpFrameId(cdp, frame);
  const { executionContextId } = await cdp.send('Page.createIsolatedWorld', {
    frameId,
    worldName: 't2fa-test',
    grantUniveralAccess: false,
  });
  const evaluate = async (expression: string): Promise<unknown> => {
    const r = await cdp.send('Runtime.evaluate', { expression, contextId: executionContextId, awaitPromise: true, returnByValue: true });
    if (r.exceptionDetails) throw new Error(`isolated world: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
    return r.result.value;
  };
  await evaluate(bundle);
  // The page's globals must not leak in, or this would not be what a content script sees.
  expect(await evaluate('typeof window.__fixture')).toBe('undefined');
  return {
    fill: async (args) => JSON.parse(String(await evaluate(`(${runFill.toString()})(${JSON.stringify(args)}).then(JSON.stringify)`))) as FillOutcome,
    exposeClosedRoots: () => exposeClosedRoots(cdp, executionContextId),
  };
}

// `window.__fixture` read in the frame's own world; untilMounted() has made sure it is there.
const state = (f: Frame | Page): Promise<string> => f.evaluate(() => (window as FixtureWindow).__fixture!.state());
const submitted = (f: Frame | Page): Promise<boolean> => f.evaluate(() => (window as FixtureWindow).__fixture!.submitted());
const others = (f: Frame | Page): Promise<Record<string, string>> =>
  f.evaluate(() => (window as FixtureWindow).__fixture!.others?.() ?? {});

async function untilMounted(f: Frame | Page): Promise<void> {
  await f.waitForFunction(() => (window as FixtureWindow).__fixture !== undefined);
}

/** The one frame whose URL ends with `suffix`, once it has loaded and mounted. */
async function frameBySuffix(page: Page, suffix: string): Promise<Frame> {
  let found: Frame | undefined;
  await expect
    .poll(() => (found = page.frames().find((f) => f.url().endsWith(suffix))) !== undefined, { message: `frame ${suffix}` })
    .toBe(true);
  await found!.waitForLoadState('load');
  return found!;
}

interface PageCase {
  name: string;
  /** What the page proves, for the reader of a failure. */
  proves: string;
  kind: 'otp' | 'phone';
  /** What `state()` holds after a successful fill (and after typing it by hand). */
  expected: string;
  /** Name of the button whose handler sets `submitted`. */
  submit: string;
  /** What `others()` must hold after the fill. */
  others?: Record<string, string>;
  closedShadow?: boolean;
  /** The document the module runs in, when not the top one (a content script in that frame). */
  target?: (page: Page) => Promise<Frame>;
  /** Runs in the world before the real fill: brings the field about, checks what must not fill. */
  before?: (page: Page, world: FillWorld) => Promise<void>;
  /** Checks after the fill beyond state/others/submit. */
  after?: (page: Page) => Promise<void>;
  /** Enters the value as a user would, to prove `state()` reads what the framework registers. */
  byHand?: (page: Page, value: string) => Promise<void>;
}

const empty = (...keys: string[]): Record<string, string> => Object.fromEntries(keys.map((k) => [k, '']));

/** Clicks where a person would start (the first box, or the drawn widget), then types. */
const typeFrom =
  (selector: string) =>
  async (page: Page, v: string): Promise<void> => {
    await page.locator(selector).first().click();
    await page.keyboard.type(v);
  };

const PAGES: PageCase[] = [
  {
    name: 'react-otp-input',
    proves: 'six React boxes (react-otp-input) that move focus themselves and keep the code in React state',
    kind: 'otp',
    expected: CODE,
    submit: 'Verify',
    byHand: async (page, v) => {
      await page.getByLabel('Please enter OTP character 1').click();
      await page.keyboard.type(v);
    },
  },
  {
    name: 'input-otp',
    proves: 'one transparent input under drawn slots (input-otp), React state',
    kind: 'otp',
    expected: CODE,
    submit: 'Continue',
    byHand: async (page, v) => {
      await page.locator('input[data-input-otp]').click();
      await page.keyboard.type(v);
    },
    after: async (page) => {
      // The slots are what the user sees: the drawn digits must match too.
      await expect(page.locator('.slot')).toHaveText(CODE.split(''));
    },
  },
  {
    name: 'vue-otp',
    proves: 'six Vue boxes (vue3-otp-input) that filter keys by keyCode and move focus through Vue watchers',
    kind: 'otp',
    expected: CODE,
    submit: 'Verify',
    byHand: async (page, v) => {
      await page.locator('.otp-box').first().click();
      await page.keyboard.type(v);
    },
  },
  {
    name: 'svelte',
    proves: 'a Svelte 5 bind:value input found by its "Verification code" label',
    kind: 'otp',
    expected: CODE,
    submit: 'Confirm',
    byHand: async (page, v) => {
      await page.getByLabel('Verification code').click();
      await page.keyboard.type(v);
    },
  },
  {
    name: 'react-controlled',
    proves: 'a controlled React input (autocomplete=one-time-code) that reverts values React did not see',
    kind: 'otp',
    expected: CODE,
    submit: 'Continue',
    byHand: async (page, v) => {
      await page.getByLabel('Code', { exact: true }).click();
      await page.keyboard.type(v);
    },
  },
  {
    name: 'label-only',
    proves: 'a field whose only clue is its <label> text',
    kind: 'otp',
    expected: CODE,
    submit: 'Finish',
  },
  {
    name: 'split-autofocus',
    proves: 'hand-written maxlength=1 boxes whose script moves focus to the next box and reassembles the code',
    kind: 'otp',
    expected: CODE,
    submit: 'Verify',
    byHand: async (page, v) => {
      await page.getByLabel('Digit 1').click();
      await page.keyboard.type(v);
    },
  },
  {
    name: 'split-static',
    proves: 'maxlength=1 boxes that never move focus: the filler must walk them itself',
    kind: 'otp',
    expected: CODE,
    submit: 'Confirm',
  },
  {
    name: 'shadow-open',
    proves: 'a field in an open shadow root, reported through a composed event',
    kind: 'otp',
    expected: CODE,
    submit: 'Continue',
  },
  {
    name: 'shadow-closed',
    proves: 'a field in a closed shadow root: unreachable without openShadowRoot, filled with it',
    kind: 'otp',
    expected: CODE,
    submit: 'Continue',
    closedShadow: true,
    before: async (page, world) => {
      const blind = await world.fill({ kind: 'otp', value: CODE, closedRoots: false });
      expect(blind, 'without openShadowRoot the closed root is invisible').toMatchObject({ filled: false, reason: 'no-field' });
      expect(await state(page)).toBe('');
      expect(await world.exposeClosedRoots()).toBe(1);
    },
  },
  {
    name: 'frame-same-site',
    proves: 'a field in a same-origin <iframe>, filled by running in that frame; the top page hears of it by postMessage',
    kind: 'otp',
    expected: CODE,
    submit: 'Continue',
    target: (page) => frameBySuffix(page, '/frame-same-site/frame.html'),
  },
  {
    name: 'frame-cross-site',
    proves: 'the top page\'s fill never reaches into a cross-site frame (other.test) that has a code field of its own',
    kind: 'otp',
    expected: CODE,
    submit: 'Confirm',
    after: async (page) => {
      // The extension's content script in this frame must refuse on its own (the frame is
      // not the site the number was bought for); that is for the extension test. Here: the
      // module, run on the top document, left it alone.
      const wallet = await frameBySuffix(page, '/frame-cross-site/frame.html');
      expect(new URL(wallet.url()).hostname).toBe(OTHER_SITE);
      await untilMounted(wallet);
      expect(await state(wallet)).toBe('');
      await expect(wallet.locator('#wallet-otp')).toHaveValue('');
    },
  },
  {
    name: 'late-field',
    proves: 'a field that appears 1.5 s after "Send code": nothing to fill before, filled after',
    kind: 'otp',
    expected: CODE,
    submit: 'Verify',
    before: async (page, world) => {
      expect(await world.fill({ kind: 'otp', value: CODE, closedRoots: false })).toMatchObject({ filled: false, reason: 'no-field' });
      await page.getByRole('button', { name: 'Send code' }).click();
      await expect(page.getByLabel('Enter the code')).toBeVisible();
    },
  },
  {
    name: 'decoys',
    proves: 'only the visible, editable field gets the code; hidden, zero-size, inert, disabled, read-only and off-screen copies stay empty',
    kind: 'otp',
    expected: CODE,
    submit: 'Verify',
    others: empty('display-none', 'parent-display-none', 'visibility-hidden', 'zero-size', 'inert', 'disabled', 'readonly', 'off-screen'),
  },
  {
    name: 'promo-zip-search',
    proves: 'on a checkout, promo, coupon, ZIP, search and e-mail fields stay empty; only "SMS code" is filled',
    kind: 'otp',
    expected: CODE,
    submit: 'Place order',
    others: empty('search', 'email', 'promo', 'coupon', 'zip'),
  },
  {
    name: 'decoy-widget',
    proves: 'six aria-hidden, pointer-events:none boxes under a click layer: the code goes to the 1-px real input the widget focuses, never into the drawn boxes',
    kind: 'otp',
    expected: CODE,
    submit: 'Confirm',
    others: { boxWrites: '0' },
    byHand: typeFrom('.otp-layer'),
  },
  {
    name: 'paste-row',
    proves: 'a row of maxlength=6 boxes that takes digits only from keys or a paste: the setter is undone, the paste spreads the code',
    kind: 'otp',
    expected: CODE,
    submit: 'Verify',
    byHand: typeFrom('input[aria-label="Digit 1"]'),
  },
  ...WIDGET_PAGES.map(
    (w): PageCase => ({ name: w.name, proves: `${w.library}: ${w.proves}`, kind: 'otp', expected: CODE, submit: w.submit, byHand: typeFrom(w.startAt) }),
  ),
  {
    name: 'phone-country',
    proves: 'a React country-code <select> (default +44, two +1 countries) set to United States and the national number in the tel field',
    kind: 'phone',
    expected: PHONE,
    submit: 'Send code',
    others: { country: 'US', national: '2055550123' },
    byHand: async (page) => {
      await page.getByLabel('Country code').selectOption({ label: 'United States (+1)' });
      await page.getByLabel('Phone number').click();
      await page.keyboard.type('2055550123');
    },
  },
  {
    name: 'phone-international',
    proves: 'a single autocomplete=tel field with a "+1" placeholder gets the international form',
    kind: 'phone',
    expected: PHONE,
    submit: 'Send code',
  },
];

// These contexts come from our own launch; tracing them (the config's retain-on-failure) slows
// a 2-core machine and loses its files when another run clears test-results/ meanwhile.
test.use({ trace: 'off' });

let browser: Browser;
let server: FixtureServer;
let bundle: string;
let context: BrowserContext | undefined;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  // Skips itself when the page sources are unchanged; concurrent workers write identical files atomically.
  execFileSync(process.execPath, ['scripts/build-fixtures.mjs'], { stdio: ['ignore', 'ignore', 'inherit'] });
  [bundle, server, browser] = await Promise.all([
    autofillBundle(),
    startFixtureServer({ port: 0 }),
    chromium.launch({
      executablePath: findChromium(),
      // Every *.test name reaches the fixture server, so shop.test and other.test are two sites.
      args: ['--host-resolver-rules=MAP *.test 127.0.0.1', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    }),
  ]);
});

test.afterAll(async () => {
  await browser?.close();
  await server?.close();
});

test.afterEach(async () => {
  await context?.close();
  context = undefined;
});

async function open(name: string): Promise<Page> {
  context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.url(SITE, `/${name}/`));
  await untilMounted(page);
  return page;
}

for (const pc of PAGES) {
  test.describe(pc.name, () => {
    for (const worldKind of WORLDS) {
      test(`${pc.kind === 'otp' ? 'fillOtpCode' : 'fillPhoneNumber'} from the ${worldKind} world: ${pc.proves}`, async () => {
        const page = await open(pc.name);
        const frame = pc.target ? await pc.target(page) : page.mainFrame();
        const world = worldKind === 'page' ? await pageWorld(page, frame, bundle) : await isolatedWorld(page, frame, bundle);
        await pc.before?.(page, world);

        const value = pc.kind === 'otp' ? CODE : PHONE;
        const outcome = await world.fill({ kind: pc.kind, value, closedRoots: !!pc.closedShadow });
        expect(outcome.filled, `fill on ${pc.name} (${worldKind} world) gave ${JSON.stringify(outcome)}`).toBe(true);

        await expect.poll(() => state(page), { message: `${pc.name}: what the page's state holds` }).toBe(pc.expected);
        if (pc.others) await expect.poll(() => others(page), { message: `${pc.name}: the other fields` }).toEqual(pc.others);
        await pc.after?.(page);

        await page.getByRole('button', { name: pc.submit, exact: true }).click();
        await expect.poll(() => submitted(page), { message: `${pc.name}: the page accepted the form` }).toBe(true);
      });
    }

    if (pc.byHand) {
      const byHand = pc.byHand;
      test(`typing by hand gives the same state (the state reader is right)`, async () => {
        const page = await open(pc.name);
        await byHand(page, pc.expected);
        await expect.poll(() => state(page)).toBe(pc.expected);
        if (pc.others) await expect.poll(() => others(page)).toEqual(pc.others);
      });
    }
  });
}

/** Pages where nothing may be filled: the fill must say so, and every field stays untouched. */
const NOTHING_PAGES = [
  {
    name: 'nothing-to-fill',
    proves: 'a checkout whose rows look like code widgets by shape (six same-size name fields on one line, a date of birth, a six-box gift card PIN) and a search box',
    reason: 'no-field',
    fields: ['search', 'first', 'middle', 'last', 'city', 'region', 'company', 'dd', 'mm', 'yyyy', 'gift1', 'gift2', 'gift3', 'gift4', 'gift5', 'gift6'],
  },
];

for (const np of NOTHING_PAGES)
  test.describe(np.name, () => {
    for (const worldKind of WORLDS)
      test(`fillOtpCode from the ${worldKind} world fills nothing: ${np.proves}`, async () => {
        const page = await open(np.name);
        const world = worldKind === 'page' ? await pageWorld(page, page.mainFrame(), bundle) : await isolatedWorld(page, page.mainFrame(), bundle);
        expect(await world.fill({ kind: 'otp', value: CODE, closedRoots: false })).toMatchObject({ filled: false, reason: np.reason });
        expect(await world.fill({ kind: 'otp', value: '4083', closedRoots: false })).toMatchObject({ filled: false, reason: np.reason });
        expect(await others(page)).toEqual(empty(...np.fields));
      });
  });
