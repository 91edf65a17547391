/**
 * The real extension, in Chromium and Firefox, against a Text2FA that speaks
 * like the third-party guide (issue 14): the simulator's `guide` shapes
 * (`number_id`, messages without code or id) and an API that takes only
 * `Bearer <token>`. A user pastes the token with its "Bearer " prefix, buys a
 * number, and the code lands in the page. Then an answer nobody has seen
 * (injected, cut off, full of personal data) reaches the options page's
 * problem report redacted, passes an accessibility scan, is copied, and is
 * cleared.
 */
import {
  accessibilityFindings,
  buyFor,
  clickText,
  expect,
  fixtureState,
  pasted,
  storedToken,
  test,
} from '../harness';

/** An answer cut off mid-way, carrying a number, a code, a name and an e-mail address. */
const UNREADABLE =
  '{"status":"success","data":{"number_id":7,"phone":"+1 (205) 555-0147","otp":"731904","message":"Your code is 731904",' +
  '"name":"Jane Roe","email":"jane@example.com"';
const REDACTED =
  '{"status":"success","data":{"number_id":7,"phone":"+# (###) ###-##47","otp":"######","message":"Your code is ######",' +
  '"name":"#### ###","email":"####@#######.###"';
const SECRETS = ['731904', '555-0147', 'Jane', 'jane@example.com'];

test("the guide's shapes and a Bearer-only API: a full purchase fills its code, and an unreadable answer is reported redacted", async ({
  session,
  simulator,
  sim,
  fixtures,
  extensionBrowser,
}) => {
  // Sign-in, a purchase, an SMS, the popup and the options page: the whole path, on a shared 2-core machine.
  test.setTimeout(120_000);
  await sim.shape(['guide']);
  await sim.auth('bearer');

  // A hurried user pastes the token as the guide writes it.
  let popup = await session.openExtensionPage('popup.html');
  await popup.focus('#token-input');
  await popup.type(`Bearer ${simulator.demoToken}`);
  await clickText(popup, 'form button[type="submit"]', 'Save token');
  await expect.poll(() => popup.text('[data-testid="balance"]'), { timeout: 20_000 }).toBe('$50.00');
  expect(await storedToken(session.control)).toBe(simulator.demoToken);
  // The form that worked is remembered under the token's fingerprint, never the token.
  const authForms = await session.storage<Record<string, string>>('authForms');
  expect(Object.values(authForms ?? {})).toEqual(['bearer']);
  expect(JSON.stringify(authForms)).not.toContain(simulator.demoToken);

  // A purchase for a sign-up page; the SMS carries no code field, only text.
  const { page: shop, tabId } = await session.openTab(fixtures.url('shop.test', '/react-otp-input/'));
  const order = await buyFor(session, tabId, 'guide-purchase');
  expect(order.orderId).toMatch(/^\d+$/);
  await sim.sms({ order_id: Number(order.orderId), text: 'Your verification code is 482913' });
  await expect.poll(() => fixtureState(shop), { timeout: 20_000 }).toBe('482913');
  await expect.poll(() => shop.evaluate(() => document.querySelectorAll('t2fa-toast').length)).toBe(1);
  expect((await sim.counters()).purchases).toBe(1);

  // An answer nobody has seen yet.
  await sim.fault({ fault: 'custom', endpoint: 'account-details', body: UNREADABLE });
  const refreshed = await session.send('account.refresh');
  expect(refreshed.ok).toBe(false);
  expect(refreshed.error?.kind).toBe('malformed');

  // The popup's error leads to the report.
  await popup.close();
  popup = await session.openExtensionPage('popup.html');
  await clickText(popup, '[role="alert"] a', 'See what Text2FA sent');
  const options = await session.waitForPage('/options.html#problems');
  const entry = '#problems li.opt-problem';
  await expect.poll(() => options.evaluate((s) => document.querySelectorAll(s).length, entry)).toBe(1);
  expect(await options.text('#problems h2')).toBe('Problems with Text2FA answers');
  expect(await options.text(entry)).toContain('account-details (HTTP 200)');
  expect(await options.text(entry)).toContain(
    'the account (name, email, balance, currency); the answer was not valid JSON (possibly cut off)',
  );
  expect(await options.text(`${entry} pre`)).toBe(REDACTED);
  const pageText = (await options.text('body')) ?? '';
  for (const secret of [...SECRETS, simulator.demoToken]) expect(pageText).not.toContain(secret);
  expect(await accessibilityFindings(options, '#problems')).toEqual([]);

  // Copy report: plain text with the versions; nothing of the secrets.
  await clickText(options, '#problems button', 'Copy report');
  await expect.poll(() => options.text('#problems [role="status"]')).toContain('Report copied');
  const report = await pasted(options);
  const manifestVersion = await options.evaluate(
    () => (globalThis as unknown as { chrome: { runtime: { getManifest(): { version: string } } } }).chrome.runtime.getManifest().version,
  );
  expect(report).toContain(`Extension version: ${manifestVersion}`);
  expect(report).toMatch(extensionBrowser === 'firefox' ? /\nBrowser: Firefox \d+/ : /\nBrowser: Chrom(e|ium) \d+/);
  expect(report).toContain('Endpoint: account-details (HTTP 200)');
  expect(report).toContain(REDACTED);
  for (const secret of [...SECRETS, simulator.demoToken]) expect(report).not.toContain(secret);

  // Clear empties the list, in storage too.
  await clickText(options, '#problems button', 'Clear');
  await expect.poll(() => options.text('#problems')).toContain('No problems');
  await expect.poll(async () => (await session.storage<{ entries: unknown[] }>('answerProblems'))?.entries).toEqual([]);
});
