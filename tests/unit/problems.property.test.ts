/**
 * The problem report keeps no secret, whatever the server sends: for random
 * tokens, phone numbers (in any common formatting) and codes (digits, or
 * letters and digits) placed wherever a server may put them (code fields
 * under every alias, SMS text, the guide's message objects, an unknown
 * status word, an HTML page, an echoed token, a body cut off anywhere), the
 * copied report holds no token, no full phone number and no code. The
 * answers go through the real client (fake fetch), so the client's own
 * token removal is part of what is tested.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addAnswerProblem,
  createText2faClient,
  formatProblemReport,
  type AnswerProblemLog,
  type UnreadableAnswer,
} from '../../utils/text2fa';

interface Secrets {
  token: string;
  /** The phone number's 10 digits, and how this answer writes it. */
  phone: string;
  written: string;
  code: string;
}

const CODE_KEYS = ['code', 'otp', 'sms_code', 'smsCode', 'pin', 'verification_code'];
const SMS_KEYS = ['sms', 'message', 'text', 'full_sms', 'body', 'sms_text'];
const PHONE_KEYS = ['number', 'phone', 'phone_number', 'mdn'];

/** Every literal number or date the templates below use, so a code that happens to be one is skipped. */
const FIXED = '12 2025-05-05T05:05:05Z 0.50 502 1746421505';

const tokenArb = fc.stringMatching(/^[A-Za-z0-9_.~!$%&*+\-]{12,40}$/);
const phoneArb = fc.stringMatching(/^[2-9][0-9]{2}[2-9][0-9]{6}$/);
const codeArb = fc.oneof(
  fc.stringMatching(/^[0-9]{4,8}$/),
  fc.stringMatching(/^[A-Z0-9]{4,8}$/).filter((c) => /[0-9]/.test(c) && /[A-Z]/.test(c)),
);

function formatPhone(phone: string, style: number): string {
  const [a, b, c] = [phone.slice(0, 3), phone.slice(3, 6), phone.slice(6)];
  return [phone, `1${phone}`, `+1${phone}`, `(${a}) ${b}-${c}`, `${a}-${b}-${c}`, `${a}.${b}.${c}`, `+1 ${a} ${b} ${c}`, `+1 (${a}) ${b}-${c}`][style % 8]!;
}

function splitCode(code: string): string {
  const half = Math.ceil(code.length / 2);
  return /^[0-9]+$/.test(code) && code.length >= 6 ? `${code.slice(0, half)}-${code.slice(half)}` : code;
}

/** SMS texts that carry the code (and sometimes the number) the way real messages do. */
function smsText(s: Secrets, variant: number): string {
  return [
    `Your code is ${s.code}`,
    `${s.code} is your verification code. Do not share it.`,
    `G-${s.code} is your Google verification code.`,
    `<#> Use ${s.code} to sign in. Call ${s.written} if this was not you.`,
    `Code: ${splitCode(s.code)}`,
    `Your WhatsApp code: ${s.code}\nDon't share this code with others`,
  ][variant % 6]!;
}

const json = (value: unknown) => JSON.stringify(value);
/** A value as JSON: a number when it is one, so masked numbers are tested too. */
const literal = (value: string, asNumber: boolean) => (asNumber && /^[1-9][0-9]*$/.test(value) ? Number(value) : value);

interface Case {
  endpoint: 'account-details' | 'number-details-s1' | 'rental-message';
  body: string;
}

/** Answers the client cannot understand, each carrying the secrets somewhere. */
function answerFor(s: Secrets, pick: number[]): Case {
  const [template = 0, codeKey = 0, smsKey = 0, phoneKey = 0, text = 0, asNumber = 0] = pick;
  const sms = smsText(s, text);
  const order = {
    order_id: 12,
    [PHONE_KEYS[phoneKey % PHONE_KEYS.length]!]: literal(s.written, asNumber % 2 === 0),
    [CODE_KEYS[codeKey % CODE_KEYS.length]!]: literal(s.code, asNumber % 3 === 0),
    [SMS_KEYS[smsKey % SMS_KEYS.length]!]: sms,
    price: '0.50',
    note: `Authorization: ${s.token}`,
  };
  switch (template % 7) {
    case 0:
      // An order where an account was expected: no balance.
      return { endpoint: 'account-details', body: json({ status: 'success', data: order }) };
    case 1:
      // The guide's message objects, with a token echoed URL-encoded, under an account answer.
      return {
        endpoint: 'account-details',
        body: json({
          data: {
            number_id: 12,
            from: s.written,
            message: sms,
            received_at: '2025-05-05T05:05:05Z',
            next: `https://app.text2fa.com/api/v1/account-details?token=${encodeURIComponent(s.token)}`,
          },
        }),
      };
    case 2:
      // An unknown status word that itself names the number and the code.
      return {
        endpoint: 'number-details-s1',
        body: json({ status: 'success', data: { ...order, status: `sent ${s.code} to ${s.written}` } }),
      };
    case 3:
      return {
        endpoint: 'number-details-s1',
        body: `<html><body><h1>502</h1><p>token ${s.token} number ${s.written} code ${s.code}</p><p>${sms}</p></body></html>`,
      };
    case 4:
      // A list of messages whose first is not an object: the whole inbox is refused.
      return {
        endpoint: 'rental-message',
        body: json({ data: { order_id: 12, number: s.written, messages: [17, { from: s.written, message: sms, received_at: 1746421505 }] } }),
      };
    case 5:
      // Numbers as a keyed object, nested a level down, token JSON-escaped inside a sentence.
      return {
        endpoint: 'account-details',
        body: json({ result: { orders: { [s.written]: { ...order, sms: [sms, { text: sms }] } }, error_detail: `bad "${s.token}"` } }),
      };
    default:
      // Two orders where one was asked about.
      return { endpoint: 'number-details-s1', body: json({ status: 'success', data: [order, { ...order, order_id: 13 }] }) };
  }
}

/** What the user copies after the client met `answers`. */
async function reportOf(cases: Case[], secrets: Secrets): Promise<{ report: string; reported: number }> {
  let log: AnswerProblemLog = { entries: [], statusWords: [] };
  let reported = 0;
  for (const c of cases) {
    const seen: UnreadableAnswer[] = [];
    const client = createText2faClient({
      baseUrl: 'https://app.text2fa.com/api/v1',
      token: secrets.token,
      fetch: async () => new Response(c.body, { status: 200 }),
      onUnreadable: (answer) => seen.push(answer),
    });
    const call =
      c.endpoint === 'account-details' ? client.accountDetails() : c.endpoint === 'rental-message' ? client.rentalMessage('12') : client.numberDetailsS1('12');
    await call.catch(() => undefined);
    for (const answer of seen) {
      reported++;
      log = addAnswerProblem(log, answer, 1_746_421_505_000) ?? log;
    }
  }
  return { report: formatProblemReport(log.entries, { extensionVersion: '1.0.0', browser: 'Chrome 156', now: 1_746_421_505_000 }), reported };
}

/** Every run of digits and phone separators, with the separators taken out. */
function digitRuns(text: string): string[] {
  return (text.match(/[\p{Nd}\s().+\-]+/gu) ?? []).map((run) => run.replace(/[^\p{Nd}]/gu, ''));
}

describe('the problem report, for any answer', () => {
  it('holds no token, no full phone number and no code', async () => {
    await fc.assert(
      fc.asyncProperty(
        tokenArb,
        phoneArb,
        fc.nat(),
        codeArb,
        fc.array(fc.array(fc.nat({ max: 50 }), { minLength: 6, maxLength: 6 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.option(fc.nat(), { nil: null }), { minLength: 4, maxLength: 4 }),
        async (token, phone, style, code, picks, cuts) => {
          fc.pre(!FIXED.includes(code) && !token.includes(code) && !phone.includes(code));
          const secrets: Secrets = { token, phone, written: formatPhone(phone, style), code };
          const cases = picks.map((pick, i) => {
            const c = answerFor(secrets, pick);
            const cut = cuts[i] ?? null;
            // A body cut off anywhere, as a dropped connection leaves it.
            return cut === null ? c : { ...c, body: c.body.slice(0, 1 + (cut % c.body.length)) };
          });
          const { report } = await reportOf(cases, secrets);

          expect(report).not.toContain(token);
          expect(report).not.toContain(encodeURIComponent(token));
          expect(report).not.toContain(JSON.stringify(token).slice(1, -1));
          for (const run of digitRuns(report)) expect(run).not.toContain(phone);
          expect(report).not.toContain(code);
          expect(report).not.toContain(splitCode(code));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('really reports those answers (so the property above is not empty)', async () => {
    const secrets: Secrets = { token: 'tok_ABCDEFGH1234', phone: '2055550123', written: '(205) 555-0123', code: '482193' };
    for (let template = 0; template < 7; template++) {
      const { report, reported } = await reportOf([answerFor(secrets, [template, 0, 0, 0, 0, 0])], secrets);
      expect(reported, `template ${template}`).toBeGreaterThan(0);
      expect(report).toContain('###) ###-##23');
    }
  });
});
