import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractOriginBoundDomains, extractOtpCode } from '../../utils/otp';

/**
 * The test's own reading of "the same text": every decimal digit (any script,
 * found by its offset inside Unicode's runs of ten) and every full-width letter
 * or digit as ASCII, then spaces and dashes removed. Written independently of
 * the module so a normalisation bug there cannot hide here.
 */
function flatten(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp >= 0xff10 && cp <= 0xff5a && /[\p{L}\p{N}]/u.test(ch)) out += String.fromCharCode(cp - 0xfee0);
    else if (/\p{Nd}/u.test(ch)) {
      let zero = cp;
      while (/\p{Nd}/u.test(String.fromCodePoint(zero - 1))) zero--;
      out += String((cp - zero) % 10);
    } else out += ch;
  }
  return out.replace(/[\s\-\u2010-\u2015]/g, '');
}

/** Pieces that look like SMS material, so random strings reach the interesting paths. */
const smsPiece = fc.oneof(
  fc.constantFrom(
    'code', 'Code:', 'OTP', 'PIN', 'verification', 'is', 'your', 'Ref:', 'Order #', 'order', 'call', '+1',
    '$', '€', 'USD', '%', 'off', 'promo', '@example.com', '#', '%iframe.example', '\n', ' ', '-', '.', ',', '/', ':',
    'G-', 'https://t.me/login/', 'www.example.com/', '验证码', 'код', 'رمز', 'کد', '인증번호', 'コード', 'รหัส',
    '٠', '٤', '۵', '۹', '０', '５', 'Ａ', 'ｚ', '४', '๓', '𝟕', '\u00a0', '\u2009', '–', 'ABC', 'x', '2026-11-26', '14:35',
  ),
  fc.stringMatching(/^[0-9]{1,9}$/),
  fc.stringMatching(/^[A-Za-z0-9]{1,9}$/),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
);
const smsLike = fc.array(smsPiece, { maxLength: 40 }).map((parts) => parts.join(''));
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  smsLike,
);

describe('extractOtpCode properties', () => {
  it('never throws and returns null or a non-empty string', () => {
    fc.assert(
      fc.property(anyText, (sms) => {
        const code = extractOtpCode(sms);
        return code === null || (typeof code === 'string' && code.length > 0);
      }),
      { numRuns: 3000 },
    );
  });

  it('never throws on long strings', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', minLength: 5_000, maxLength: 30_000 }),
          fc.array(smsPiece, { minLength: 2_000, maxLength: 6_000 }).map((parts) => parts.join('')),
        ),
        (sms) => {
          extractOtpCode(sms);
          extractOriginBoundDomains(sms);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('only returns a code that is in the text (digits as ASCII, spaces and dashes removed)', () => {
    fc.assert(
      fc.property(anyText, (sms) => {
        const code = extractOtpCode(sms);
        if (code !== null) expect(flatten(sms)).toContain(code);
      }),
      { numRuns: 3000 },
    );
  });

  it('returns a labelled code from any surrounding noise without digits', () => {
    const noise = fc
      .oneof(fc.string({ unit: 'grapheme', maxLength: 200 }), smsLike, fc.string({ unit: 'binary', maxLength: 200 }))
      .map((s) => s.replace(/\p{Nd}/gu, ''));
    const consonant = fc.constantFrom(...'BCDFGHJKLMNPQRSTVWZ');
    const digit = fc.constantFrom(...'0123456789');
    const code = fc.oneof(
      fc.array(digit, { minLength: 4, maxLength: 8 }).map((d) => d.join('')),
      fc
        .tuple(fc.array(fc.oneof(consonant, digit), { minLength: 3, maxLength: 7 }), digit, fc.nat())
        .map(([chars, d, at]) => {
          const out = [...chars];
          out.splice(at % (out.length + 1), 0, d);
          return out.join('');
        })
        // A code shaped like a clock time (10PM) is refused by design.
        .filter((c) => !/^\d{1,2}(?:am|pm|h\d\d)$/i.test(c)),
    );
    fc.assert(
      fc.property(noise, code, noise, (before, c, after) => {
        const sms = `${before}\nYour verification code is ${c}.\n${after}`;
        expect(extractOtpCode(sms)).toBe(c);
      }),
      { numRuns: 2000 },
    );
  });

  it('returns the bound code, whatever the body says', () => {
    fc.assert(
      fc.property(smsLike, fc.stringMatching(/^[0-9]{4,8}$/), (body, c) => {
        expect(extractOtpCode(`${body}\n@example.com #${c}`)).toBe(c);
        expect(extractOriginBoundDomains(`${body}\n@example.com #${c} %frame.example`)).toEqual([
          'example.com',
          'frame.example',
        ]);
      }),
      { numRuns: 1000 },
    );
  });
});
