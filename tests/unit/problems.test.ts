/**
 * The problem report: what the client reports (against the simulator over
 * real HTTP), how answers are redacted, how the log keeps the last 20 and
 * each unknown status word once, and the plain-text report.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { startSimulator, type Simulator } from '../../simulator/server';
import { SimControl } from '../support/sim-control';
import {
  PROBLEM_LIMIT,
  addAnswerProblem,
  browserFromUserAgent,
  createText2faClient,
  formatProblemReport,
  redactAnswer,
  toAnswerProblem,
  type AnswerProblemLog,
  type UnreadableAnswer,
} from '@/utils/text2fa';
import { REPORT_BODY_LIMIT } from '@/utils/text2fa/problems';
import { keyRole, maskPhoneNumbers, maskProse } from '@/utils/text2fa/redact';
import { createProblemRecorder } from '@/utils/background/problems';
import { answerProblemsItem } from '@/utils/storage';

const EMPTY: AnswerProblemLog = { entries: [], statusWords: [] };
const answer = (over: Partial<UnreadableAnswer> = {}): UnreadableAnswer => ({
  endpoint: 'number-details-s1',
  status: 200,
  kind: 'malformed',
  detail: 'the order carries no order id',
  body: '{"data":{"number":"2055550123"}}',
  ...over,
});

describe('redaction', () => {
  it('a canonical order: number keeps its last 2 digits, code masked, SMS masked; the rest stays as sent', () => {
    const body =
      '{"status":"success","data":{"order_id":1001,"number":"2055550123","service":"Google","price":"0.50","status":"received",' +
      '"created_at":"2025-01-01T12:00:00.000Z","code":"482913","sms":"Your Google code is 482913. Call +1 (205) 555-0199 if not you."}}';
    expect(redactAnswer(body)).toBe(
      '{"status":"success","data":{"order_id":1001,"number":"########23","service":"Google","price":"0.50","status":"received",' +
        '"created_at":"2025-01-01T12:00:00.000Z","code":"######","sms":"Your Google code is ######. Call +# (###) ###-##99 if not you."}}',
    );
  });

  it('every code alias, as a string or a number; public "codes" (state, currency, error) stay', () => {
    expect(redactAnswer('{"otp":"A1B2","sms_code":123456,"smsCode":"9999","pin":4321,"verification_code":"77-88","state_code":"AL","currency_code":"USD","error_code":422}')).toBe(
      '{"otp":"####","sms_code":######,"smsCode":"####","pin":####,"verification_code":"##-##","state_code":"AL","currency_code":"USD","error_code":422}',
    );
    expect(['code', 'otp', 'SMS-CODE', 'otpValue', 'passcode', 'activation_code'].map((k) => keyRole(k))).toEqual(Array(6).fill('code'));
    expect(['state_code', 'zipCode', 'service_key', 'order_id'].map((k) => keyRole(k))).toEqual(Array(4).fill('other'));
  });

  it("the guide's message objects, phone aliases as numbers, lists under an SMS key", () => {
    expect(redactAnswer('{"number_id":7,"from":"+12055550100","message":"G-123 456 is your code","received_at":"2025-01-01T12:00:00Z"}')).toBe(
      '{"number_id":7,"from":"+#########00","message":"G-### ### is your code","received_at":"2025-01-01T12:00:00Z"}',
    );
    expect(redactAnswer('{"mdn":12055550123,"msisdn":"205 555 0123","sms":["code 5555","then AB12CD"]}')).toBe(
      '{"mdn":#########23,"msisdn":"### ### ##23","sms":["code ####","then ######"]}',
    );
  });

  it('SMS text is cut to 160 characters; a sentence under any key is masked like an SMS', () => {
    const long = `Your code is 987654. ${'Lorem ipsum dolor sit amet. '.repeat(10)}`;
    const out = JSON.parse(redactAnswer(JSON.stringify({ sms: long, note: 'sent 4321 to you', key: 'ee1fdp' })));
    expect(Array.from(out.sms as string)).toHaveLength(161);
    expect(out.sms).toMatch(/^Your code is ######\. Lorem/);
    expect(out.sms.endsWith('…')).toBe(true);
    expect(out.note).toBe('sent #### to you');
    // A service key is not a sentence: kept for the report's reader.
    expect(out.key).toBe('ee1fdp');
  });

  it('JSON cut off anywhere: inside a string, an escape, a number', () => {
    expect(redactAnswer('{"status":"success","data":{"order_id":10')).toBe('{"status":"success","data":{"order_id":10');
    expect(redactAnswer('{"data":{"code":"48291')).toBe('{"data":{"code":"#####');
    expect(redactAnswer('{"data":{"sms":"Your code is 482913 \\u00')).toBe('{"data":{"sms":"Your code is ###### ');
    expect(redactAnswer('{"data":{"number":205555')).toBe('{"data":{"number":####55');
  });

  it('an HTML page or plain text is prose; the token goes in every form it may be echoed in', () => {
    const token = 'tok_"secret"/123';
    const body = `<html><title>502 Bad Gateway</title><p>${token} ${encodeURIComponent(token)} call 205-555-0123, mail jane@example.com, code 5521</p></html>`;
    expect(redactAnswer(body, { secrets: [token] })).toBe(
      '<html><title>502 Bad Gateway</title><p>[redacted] [redacted] call ###-###-##23, mail [email], code ####</p></html>',
    );
    expect(redactAnswer(JSON.stringify({ message: `bad token ${token}` }), { secrets: [token] })).toBe('{"message":"bad token [redacted]"}');
  });

  it("account answers mask the holder's name and e-mail; elsewhere a name is a service's", () => {
    const body = '{"data":{"name":"Jane Roe","email":"jane@example.com","balance":"12.50"}}';
    expect(redactAnswer(body, { endpoint: 'account-details' })).toBe('{"data":{"name":"#### ###","email":"####@#######.###","balance":"12.50"}}');
    expect(redactAnswer('[{"service_key":"ab12cd","name":"Google"}]', { endpoint: 'services-s1' })).toBe('[{"service_key":"ab12cd","name":"Google"}]');
  });

  it('phone runs: 10 or 11 digits with separators and +; not shorter or longer runs', () => {
    expect(maskPhoneNumbers('2055550123 / +1 205 555 0123 / (205)555-0123 / 205.555.0123')).toBe(
      '########23 / +# ### ### ##23 / (###)###-##23 / ###.###.##23',
    );
    expect(maskPhoneNumbers('1735732800000 and 123456789 and 2025-01-01')).toBe('1735732800000 and 123456789 and 2025-01-01');
    // Other scripts' digits are digits too.
    expect(maskProse('code ٤٨٢٩١٣')).toBe('code ######');
  });
});

describe('the log', () => {
  it('keeps the newest 20, newest first; the same answer again only counts up', () => {
    let log = EMPTY;
    for (let i = 0; i < PROBLEM_LIMIT + 5; i++) log = addAnswerProblem(log, answer({ body: `{"n":${i}}` }), 1000 + i)!;
    expect(log.entries).toHaveLength(PROBLEM_LIMIT);
    expect(log.entries[0]).toMatchObject({ body: `{"n":${PROBLEM_LIMIT + 4}}`, at: 1000 + PROBLEM_LIMIT + 4, count: 1 });
    expect(log.entries.at(-1)!.body).toBe('{"n":5}');

    log = addAnswerProblem(log, answer({ body: `{"n":${PROBLEM_LIMIT + 4}}` }), 9000)!;
    expect(log.entries).toHaveLength(PROBLEM_LIMIT);
    expect(log.entries[0]).toMatchObject({ at: 9000, firstAt: 1000 + PROBLEM_LIMIT + 4, count: 2 });
  });

  it('an unknown status word the first time only, stored masked', () => {
    const word = (statusWord: string) => answer({ kind: 'unknown_status', statusWord, detail: 'unknown word' });
    let log = addAnswerProblem(EMPTY, word('waiting_for_sms'), 1)!;
    expect(addAnswerProblem(log, word('waiting_for_sms'), 2)).toBeNull();
    log = addAnswerProblem(log, word('sent 482913'), 3)!;
    expect(log.statusWords).toEqual(['waiting_for_sms', 'sent ######']);
    expect(log.entries[0]!.expected).toContain('got “sent ######”');
    expect(log.entries[1]!.expected).toMatch(/^a known status word \(pending, .*\) in one S1 order .*; got “waiting_for_sms”$/);
  });

  it('keeps 4000 characters of a long body and says how long it was', () => {
    const body = JSON.stringify({ data: Array.from({ length: 500 }, (_, i) => ({ id: i, name: 'Service name' })) });
    const entry = toAnswerProblem(answer({ body }), 1);
    expect(Array.from(entry.body)).toHaveLength(REPORT_BODY_LIMIT + 1);
    expect(entry.bodyLength).toBe(body.length);
    expect(entry.expected).toBe('one S1 order (order id, number, status, code, SMS); the order carries no order id');
  });

  it('the plain-text report: versions, each answer with endpoint, time, expectation and body', () => {
    let log = addAnswerProblem(EMPTY, answer(), Date.UTC(2026, 10, 1, 10))!;
    log = addAnswerProblem(log, answer({ endpoint: 'account-details', body: '', detail: 'the answer was empty' }), Date.UTC(2026, 10, 1, 11))!;
    const text = formatProblemReport(log.entries, { extensionVersion: '1.2.3', browser: 'Chrome 156.0.1', now: Date.UTC(2026, 10, 2) });
    expect(text).toBe(
      [
        'Text2FA extension: answers it could not understand',
        'Extension version: 1.2.3',
        'Browser: Chrome 156.0.1',
        'Report made: 2026-11-02T00:00:00.000Z',
        'Redacted: no API token; phone numbers keep only their last 2 digits; codes are masked (#); SMS text is cut to 160 characters.',
        '',
        '#1 2026-11-01T11:00:00.000Z',
        'Endpoint: account-details (HTTP 200)',
        'Expected: the account (name, email, balance, currency); the answer was empty',
        'Body (redacted):',
        '(empty)',
        '',
        '#2 2026-11-01T10:00:00.000Z',
        'Endpoint: number-details-s1 (HTTP 200)',
        'Expected: one S1 order (order id, number, status, code, SMS); the order carries no order id',
        'Body (redacted):',
        '{"data":{"number":"########23"}}',
        '',
      ].join('\n'),
    );
    expect(formatProblemReport([], { extensionVersion: '1', browser: 'x', now: 0 })).toContain('No problems are recorded.');
  });

  it('browser names from user agents', () => {
    expect(browserFromUserAgent('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.7000.1 Safari/537.36')).toBe('Chrome 156.0.7000.1');
    expect(browserFromUserAgent('Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0')).toBe('Firefox 153.0');
    expect(browserFromUserAgent('Mozilla/5.0 … Chrome/150.0.0.0 Safari/537.36 Edg/150.0.1')).toBe('Edge 150.0.1');
    expect(browserFromUserAgent('')).toBe('unknown browser');
  });
});

describe('the background recorder', () => {
  beforeEach(() => fakeBrowser.reset());
  const recorder = (now = () => 5) => createProblemRecorder({ store: answerProblemsItem, now });

  it('answers arriving together all land; clear empties the list and keeps the reported words', async () => {
    const r = recorder();
    r.record(answer({ body: '{"a":1}' }));
    r.record(answer({ body: '{"b":2}' }));
    r.record(answer({ kind: 'unknown_status', statusWord: 'in_use', detail: 'x' }));
    await r.settled();
    expect((await answerProblemsItem.getValue()).entries.map((e) => e.kind)).toEqual(['unknown_status', 'malformed', 'malformed']);
    await r.clear();
    expect(await answerProblemsItem.getValue()).toEqual({ entries: [], statusWords: ['in_use'] });
    r.record(answer({ kind: 'unknown_status', statusWord: 'in_use', detail: 'x' }));
    await r.settled();
    expect((await answerProblemsItem.getValue()).entries).toEqual([]);
  });

  it('a word reported before a worker restart is not reported again after it', async () => {
    const first = recorder();
    first.record(answer({ kind: 'unknown_status', statusWord: 'in_use', detail: 'x' }));
    await first.settled();
    const restarted = recorder();
    restarted.record(answer({ kind: 'unknown_status', statusWord: 'in_use', detail: 'x' }));
    restarted.record(answer({ kind: 'unknown_status', statusWord: 'terminated', detail: 'x' }));
    await restarted.settled();
    expect((await answerProblemsItem.getValue()).entries.map((e) => e.expected.match(/got “(.*)”/)?.[1])).toEqual(['terminated', 'in_use']);
  });

  it('a storage failure loses the report, not the request', async () => {
    const r = createProblemRecorder({ store: { getValue: () => Promise.reject(new Error('quota')), setValue: () => Promise.resolve() }, now: () => 1 });
    r.record(answer());
    await r.settled();
  });
});

describe('what the client reports, over real HTTP', () => {
  let simulator: Simulator;
  let sim: SimControl;
  let reports: UnreadableAnswer[];
  beforeAll(async () => {
    simulator = await startSimulator({ port: 0 });
    sim = new SimControl(simulator.url);
  });
  afterAll(() => simulator.close());
  beforeEach(async () => {
    reports = [];
    await sim.reset();
  });
  const client = (token = simulator.demoToken) =>
    createText2faClient({ baseUrl: simulator.baseUrl, token, onUnreadable: (a) => reports.push(a) });

  it('a cut-off answer and an empty one, with what was wrong; errors it understands are not reported', async () => {
    await sim.fault({ fault: 'malformed', endpoint: 'account-details' });
    await expect(client().accountDetails()).rejects.toMatchObject({ kind: 'malformed' });
    await sim.fault({ fault: 'empty', endpoint: 'services-s1' });
    await expect(client().servicesS1()).rejects.toMatchObject({ kind: 'malformed' });
    expect(reports).toEqual([
      { endpoint: 'account-details', status: 200, kind: 'malformed', detail: 'the answer was not valid JSON (possibly cut off)', body: '{"status":"success","data":{"order_id":10' },
      { endpoint: 'services-s1', status: 200, kind: 'malformed', detail: 'the answer was empty', body: '' },
    ]);
    for (const fault of ['html', '500', '429', 'error-200'] as const) {
      await sim.fault({ fault, endpoint: 'account-details' });
      await expect(client().accountDetails()).rejects.toBeDefined();
    }
    await expect(client('nope-nope-nope').accountDetails()).rejects.toMatchObject({ kind: 'unauthorized' });
    expect(reports).toHaveLength(2);
  });

  it('a shape the client cannot read, with the token taken out of the body', async () => {
    const token = 'tok_echoed_123456';
    const c = createText2faClient({
      baseUrl: 'https://app.text2fa.com/api/v1',
      token,
      fetch: async () => new Response(JSON.stringify({ data: { user: 'x', note: `token ${token}` } }), { status: 200 }),
      onUnreadable: (a) => reports.push(a),
    });
    await expect(c.accountDetails()).rejects.toMatchObject({ kind: 'malformed' });
    expect(reports).toEqual([
      { endpoint: 'account-details', status: 200, kind: 'malformed', detail: 'the account carries no readable balance', body: '{"data":{"user":"x","note":"token [redacted]"}}' },
    ]);
  });

  it('unknown status words, one report per word and answer; known synonyms are no problem', async () => {
    const c = client();
    const google = (await c.servicesS1()).find((s) => s.name === 'Google')!;
    const s1 = await c.requestNumberS1({ serviceKey: google.key });
    const rentalService = (await c.rentalServiceList()).find((s) => s.name === 'Google')!;
    await c.requestRentalNumber({ serviceKey: rentalService.key, duration: 7 });
    await c.requestRentalNumber({ serviceKey: rentalService.key, duration: 7 });
    await sim.shape(['unknown-status']);
    // "waiting_for_sms" is a synonym of pending the client knows.
    await c.numberDetailsS1(s1.orderId);
    expect(reports).toEqual([]);
    await c.activeRentalNumbers();
    expect(reports.map((r) => [r.endpoint, r.kind, r.statusWord])).toEqual([['active-rental-numbers', 'unknown_status', 'in_use']]);
    expect(reports[0]!.detail).toContain('in_use');
    expect(JSON.parse(reports[0]!.body).data).toHaveLength(2);
    await sim.clock(30 * 60 * 1000);
    await c.numberDetailsS1(s1.orderId);
    expect(reports.at(-1)).toMatchObject({ endpoint: 'number-details-s1', statusWord: 'timed_out' });
  });

  it('a throwing observer changes nothing', async () => {
    await sim.fault({ fault: 'malformed', endpoint: 'account-details' });
    const c = createText2faClient({ baseUrl: simulator.baseUrl, token: simulator.demoToken, onUnreadable: () => { throw new Error('bug'); } });
    await expect(c.accountDetails()).rejects.toMatchObject({ kind: 'malformed' });
    await sim.shape(['unknown-status']);
    expect(await c.reservedListS1()).toEqual([]);
  });
});
