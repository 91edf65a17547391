import { describe, expect, it } from 'vitest';
import {
  numberText,
  parseAreaCodes,
  parsePremium,
  parseRejectMinutes,
  parseRentalDays,
  parseRequestsPerMinute,
  parseSiteText,
  parseSpendingLimit,
  parseStateCode,
} from '@/components/options/validate';
import { exportFileName } from '@/components/options/download';
import { readBundle } from '@/components/options/DataSection';
import { isSettingsPatch } from '@/utils/message-rules';
import { buildExport } from '@/utils/export-file';
import { DEFAULT_SETTINGS } from '@/utils/storage';
import { typedSiteKey } from '@/utils/background/sites';

describe('options field parsing', () => {
  it('takes a state code in any case, or nothing for any state', () => {
    expect(parseStateCode(' ca ')).toEqual({ ok: true, value: 'CA' });
    expect(parseStateCode('')).toEqual({ ok: true, value: null });
    for (const bad of ['C', 'CAL', '12', 'C1']) {
      const parsed = parseStateCode(bad);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.message).toContain('two-letter');
    }
  });

  it('takes a premium of 0 to 50 with at most two decimals (the popup’s rule)', () => {
    expect(parsePremium('0.5')).toEqual({ ok: true, value: 0.5 });
    expect(parsePremium('1,25')).toEqual({ ok: true, value: 1.25 });
    expect(parsePremium('')).toEqual({ ok: true, value: null });
    expect(parsePremium('50')).toEqual({ ok: true, value: 50 });
    for (const bad of ['50.01', '60', '1000', '-1', '0.505', 'abc', '1e2']) expect(parsePremium(bad).ok).toBe(false);
  });

  it('takes area codes separated by commas or spaces, [2-9]XX each, without duplicates, at most 10', () => {
    expect(parseAreaCodes('212, 646 212;718')).toEqual({ ok: true, value: ['212', '646', '718'] });
    expect(parseAreaCodes(' ')).toEqual({ ok: true, value: [] });
    expect(parseAreaCodes('212, 21')).toEqual({ ok: false, message: expect.stringContaining('“21” is not a US area code') });
    expect(parseAreaCodes('212, 100')).toEqual({ ok: false, message: expect.stringContaining('“100” is not a US area code') });
    const many = Array.from({ length: 11 }, (_, i) => String(200 + i)).join(',');
    expect(parseAreaCodes(many)).toEqual({ ok: false, message: expect.stringContaining('at most 10') });
  });

  it('bounds days, minutes, amounts and the request cap', () => {
    expect(parseRentalDays('30')).toEqual({ ok: true, value: 30 });
    expect(parseRentalDays('0').ok).toBe(false);
    expect(parseRentalDays('366').ok).toBe(false);
    expect(parseRentalDays('7.5').ok).toBe(false);
    expect(parseRejectMinutes('1440')).toEqual({ ok: true, value: 1440 });
    expect(parseRejectMinutes('1441').ok).toBe(false);
    expect(parseRejectMinutes('').ok).toBe(false);
    expect(parseSpendingLimit('25.50')).toEqual({ ok: true, value: 25.5 });
    expect(parseSpendingLimit('100001').ok).toBe(false);
    expect(parseRequestsPerMinute('60')).toEqual({ ok: true, value: 60 });
    expect(parseRequestsPerMinute('601').ok).toBe(false);
  });

  it('reduces a site to the key auto-submit is matched by (in the background, which has the suffix list)', () => {
    expect(typedSiteKey('Example.com')).toBe('example.com');
    expect(typedSiteKey('https://www.example.co.uk/login?x=1')).toBe('example.co.uk');
    expect(typedSiteKey('accounts.google.com')).toBe('google.com');
    expect(typedSiteKey('not a site')).toBeNull();
    expect(parseSiteText(' Example.com ')).toEqual({ ok: true, value: 'Example.com' });
    expect(parseSiteText('').ok).toBe(false);
    expect(parseSiteText('not a site').ok).toBe(false);
  });

  it('only produces values the background accepts', () => {
    const values = [
      { defaults: { state: (parseStateCode('al') as { value: string }).value } },
      { defaults: { premium: (parsePremium('49.99') as { value: number }).value } },
      { defaults: { areas: (parseAreaCodes('212,646') as { value: string[] }).value } },
      { defaults: { rentalDays: (parseRentalDays('365') as { value: number }).value } },
      { autoRejectMinutes: (parseRejectMinutes('1') as { value: number }).value },
      { spendingLimit24h: (parseSpendingLimit('0') as { value: number }).value },
      { maxRequestsPerMinute: (parseRequestsPerMinute('600') as { value: number }).value },
      { autoSubmitSites: [typedSiteKey('twitter.com')!] },
    ];
    for (const patch of values) expect(isSettingsPatch(patch), JSON.stringify(patch)).toBe(true);
  });

  it('shows numbers as text and names the export by the local date', () => {
    expect(numberText(null)).toBe('');
    expect(numberText(0.5)).toBe('0.5');
    expect(exportFileName(new Date(2025, 0, 9, 23, 30))).toBe('text2fa-export-2025-01-09.json');
  });

  it('reads only JSON objects that are whole, valid exports as import bundles', () => {
    const file = buildExport(DEFAULT_SETTINGS, { 'shop.test': { s1: { pool: 's1', serviceKey: 'go', serviceName: 'Google' }, rental: { pool: 'rental', serviceKey: 'gr', serviceName: 'Google' } } }, [], 0);
    expect(readBundle(JSON.stringify(file))).toEqual({ ok: true, bundle: JSON.parse(JSON.stringify(file)), choices: 2, orders: 0 });
    expect(readBundle('{"format":"x"}')).toEqual({ ok: false, message: 'This file is not a Text2FA extension export.' });
    expect(readBundle('hello')).toEqual({ ok: false, message: expect.stringContaining('not a JSON file') });
    expect(readBundle('[1,2]')).toEqual({ ok: false, message: 'This file is not a Text2FA extension export.' });
    expect(readBundle('null').ok).toBe(false);
  });
});
