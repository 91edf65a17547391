import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractOriginBoundDomains, extractOtpCode, parseOriginBoundCode } from '../../utils/otp';

interface Row {
  sms: string;
  code: string | null;
  category?: string;
}

function load(name: string): Row[] {
  const text = readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Row);
}

const dev = load('otp-sms-dev.jsonl');
const extra = load('otp-sms-extra.jsonl');

describe('extractOtpCode: shared dev fixture', () => {
  it('has every line of the shared fixture', () => {
    expect(dev.length).toBe(40);
  });

  it.each(dev.map((row, i) => [i + 1, row.sms, row.code] as const))('line %i: %j → %j', (_line, sms, code) => {
    expect(extractOtpCode(sms)).toBe(code);
  });
});

describe('extractOtpCode: extra fixture by trap category', () => {
  const categories = [...new Set(extra.map((row) => row.category ?? 'uncategorised'))];

  it('covers every trap category with enough positive and negative cases', () => {
    const wanted = [
      'origin-bound', 'letter-dash-prefix', 'split', 'alphanumeric', 'leading-zeros', 'digit-scripts',
      'multilingual', 'amounts', 'dates', 'times', 'phone-numbers', 'references', 'promo', 'no-code',
    ];
    expect(categories).toEqual(expect.arrayContaining(wanted));
    for (const category of wanted) {
      const rows = extra.filter((row) => row.category === category);
      expect(rows.length, category).toBeGreaterThanOrEqual(10);
      if (category === 'no-code') continue;
      expect(rows.filter((row) => row.code !== null).length, `${category} positives`).toBeGreaterThanOrEqual(6);
      if (category === 'multilingual') continue; // its refusals are in every other category too
      expect(rows.filter((row) => row.code === null).length, `${category} negatives`).toBeGreaterThanOrEqual(6);
    }
  });

  for (const category of categories) {
    const rows = extra.filter((row) => (row.category ?? 'uncategorised') === category);
    describe(category, () => {
      it.each(rows.map((row) => [row.sms, row.code] as const))('%j → %j', (sms, code) => {
        expect(extractOtpCode(sms)).toBe(code);
      });
    });
  }
});

describe('extractOtpCode: specific behaviour', () => {
  it('prefers the origin-bound code over a different code in the body', () => {
    expect(extractOtpCode('Your code is 111111. Use it now.\n\n@example.com #222222')).toBe('222222');
    expect(extractOtpCode('Your code is 111111\n@example.com #222222 %embed.example.org')).toBe('222222');
  });

  it('keeps case and leading zeros', () => {
    expect(extractOtpCode('Your code is aB3dE9')).toBe('aB3dE9');
    expect(extractOtpCode('Your PIN is 0007')).toBe('0007');
  });

  it('returns ASCII digits from other scripts', () => {
    expect(extractOtpCode('Your code is ٠١٢٣٤٥')).toBe('012345');
    expect(extractOtpCode('Your code is ۶۷۸۹')).toBe('6789');
    expect(extractOtpCode('Your code is ０１２３４５')).toBe('012345');
    expect(extractOtpCode('Your code is ০১২৩৪৫')).toBe('012345'); // Bengali
  });

  it('does not prefer a number inside a URL over the labelled code', () => {
    expect(extractOtpCode('Open https://example.com/verify/998877 or enter code 123456')).toBe('123456');
    expect(extractOtpCode('Log in at https://example.com/l/998877')).toBeNull();
    expect(extractOtpCode('Your code: 4455. Details: www.example.com/r/667788')).toBe('4455');
  });

  it('ignores an Android SMS Retriever app hash', () => {
    expect(extractOtpCode('<#> Your code is 550011\nAbC9+dEf7Gh')).toBe('550011');
    expect(extractOtpCode('<#> Your code is 550011\nFA+9qCX9VSu')).toBe('550011');
  });

  it('returns the first of two equally labelled codes', () => {
    expect(extractOtpCode('Code: 123456\nCode: 654321')).toBe('123456');
  });

  it('never returns a brand-specific answer: the same shapes work for any sender', () => {
    for (const brand of ['Acme', 'Foo Bar', 'ZZZ', 'Пример', '示例']) {
      expect(extractOtpCode(`${brand}: your verification code is 482913`)).toBe('482913');
      expect(extractOtpCode(`482913 is your ${brand} code`)).toBe('482913');
      expect(extractOtpCode(`${brand}: use code SPRING25 for 25% off`)).toBeNull();
    }
  });
});

describe('extractOtpCode: long and hostile input', () => {
  const hostile: [string, string][] = [
    ['letters', 'a'.repeat(100_000)],
    ['at signs', '@'.repeat(100_000)],
    ['spaced digits', '1 '.repeat(50_000)],
    ['dashed digits', '1-'.repeat(50_000)],
    ['keywords and digits', 'code 1 '.repeat(14_000)],
    ['Arabic-Indic zeros', '٠'.repeat(100_000)],
    ['mathematical digits', '𝟎'.repeat(50_000)],
    ['email-like', 'x@'.repeat(50_000)],
    ['dots', 'a.'.repeat(50_000)],
    ['huge bound host', `@${'a-'.repeat(50_000)}! #1234`],
    ['huge bound tail', `@a.com #1234 ${'%'.repeat(100_000)}`],
    ['many urls', 'http://'.repeat(14_000)],
    ['promo words', 'off '.repeat(25_000)],
    ['CJK keywords', '验证码是'.repeat(25_000)],
  ];

  // Linear work on 100 KB takes well under 100 ms; the bound is loose so a busy CI machine
  // does not flake, yet far below what quadratic work on 100 KB would take.
  it.each(hostile)('%s (100 KB) finishes quickly', (_name, sms) => {
    const started = performance.now();
    expect(() => extractOtpCode(sms)).not.toThrow();
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('finds a labelled code at the end of 100 KB of chatter', () => {
    const chatter = 'Order 1234 shipped on 2026-11-26 for $25.00. Call 1-800-555-0199. '.repeat(1500);
    const started = performance.now();
    expect(extractOtpCode(`${chatter}\nYour verification code is 482913`)).toBe('482913');
    expect(performance.now() - started).toBeLessThan(3000);
  });
});

describe('extractOriginBoundDomains', () => {
  it.each([
    ['482019 is your code\n\n@tinder.example #482019', ['tinder.example']],
    ['@example.com #123456', ['example.com']],
    ['Your code\n@Example.COM #123456 %Iframe-Site.com', ['example.com', 'iframe-site.com']],
    ['Apple style\n\n@apple.example #731402 %apple.example', ['apple.example', 'apple.example']],
    ['Code\n@a.example #1234 %b.example %c.example', ['a.example', 'b.example', 'c.example']],
    ['Code\n@sub.domain.example.co.uk. #AB12CD', ['sub.domain.example.co.uk']],
    ['Code\n@münchen.example #٤٥٦٧', ['münchen.example']],
    ['Code\r\n@example.com #123456  \r\n\r\n', ['example.com']],
    ['@localhost #889900', ['localhost']],
  ])('%j → %j', (sms, domains) => {
    expect(extractOriginBoundDomains(sms)).toEqual(domains);
  });

  it.each([
    'Your code is 123456',
    '',
    '@example.com #123456\nDo not share this code', // not the last line
    '@example.com 123456', // no #
    '@example.com #123456 trailing words',
    '@support #help2', // dotless name: a hashtag reply
    'Follow @shop.example #SALE', // no digit in the code
    '@bad_host.com #123456',
    '@-bad.com #123456',
    '@example.com #12', // too short
    '@example.com #123456 %',
    '@example.com #123456 %bad host.com',
    'mail me at user@example.com #123456',
  ])('%j → []', (sms) => {
    expect(extractOriginBoundDomains(sms)).toEqual([]);
  });
});

describe('parseOriginBoundCode', () => {
  it('returns the domains and the code together', () => {
    expect(parseOriginBoundCode('Your code is 731402\n\n@apple.example #731402 %pay.example')).toEqual({
      domains: ['apple.example', 'pay.example'],
      code: '731402',
    });
  });

  it('reads other digit scripts as ASCII', () => {
    expect(parseOriginBoundCode('@example.com #۱۲۳۴۵۶')).toEqual({ domains: ['example.com'], code: '123456' });
  });

  it('is null without a bound line', () => {
    expect(parseOriginBoundCode('Your code is 123456')).toBeNull();
  });
});
