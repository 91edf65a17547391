import { describe, expect, it } from 'vitest';
import { badgeFor } from '@/utils/background/alerts';
import { ClockSkew } from '@/utils/background/clock';
import { buildExport, ImportError, parseImport } from '@/utils/export-file';
import { smsNamesAnotherSite } from '@/utils/background/delivery';
import { newIntent, type Order } from '@/utils/orders/model';
import { DEFAULT_SETTINGS } from '@/utils/storage';

function order(extra: Partial<Order>): Order {
  return {
    ...newIntent({ intentId: 'x', accountId: 'acct', request: { pool: 's1', serviceKey: 'k', serviceName: 'Google' }, site: null, now: 1 }),
    phase: 'received',
    ...extra,
  };
}

describe('badge', () => {
  it('counts the codes the user has not seen, for the signed-in account only', () => {
    const orders = [
      order({ id: 'a', unseenCode: '111111', updatedAt: 5 }),
      order({ id: 'b', unseenCode: '222222', updatedAt: 9, serviceName: 'Discord' }),
      order({ id: 'c', unseenCode: null }),
      order({ id: 'd', unseenCode: '333333', accountId: 'other' }),
    ];
    expect(badgeFor(orders, 'acct')).toEqual({ text: '2', title: 'Text2FA: Discord code 222222 (+1 more)' });
    expect(badgeFor(orders, 'nobody')).toEqual({ text: '', title: 'Text2FA' });
  });
});

describe('clock skew', () => {
  it('ignores the noise of one-second Date headers and follows a real offset', () => {
    const skew = new ClockSkew();
    skew.observe(1_000_000, 1_001_500);
    expect(skew.value()).toBe(0);
    skew.observe(1_000_000, 1_000_000 + 5 * 60_000);
    expect(skew.value()).toBe(5 * 60_000);
  });
});

describe('origin-bound codes', () => {
  it('flags an SMS bound to another site, and accepts one bound to the ordering site or its alias', () => {
    expect(smsNamesAnotherSite('Code 123456\n\n@bank.example #123456', 'shop.test')).toBe(true);
    expect(smsNamesAnotherSite('Code 123456\n\n@accounts.shop.test #123456', 'shop.test')).toBe(false);
    expect(smsNamesAnotherSite('Code 123456\n\n@twitter.com #123456', 'x.com')).toBe(false);
    expect(smsNamesAnotherSite('Your code is 123456', 'shop.test')).toBe(false);
    expect(smsNamesAnotherSite(null, 'shop.test')).toBe(false);
  });
});

describe('export and import', () => {
  const history = [order({ id: 'h1', phase: 'completed', codes: [{ code: '123456', sms: null, seenAt: 1 }] })];
  const bundle = buildExport({ ...DEFAULT_SETTINGS, autofill: false }, { 'shop.test': { s1: { pool: 's1', serviceKey: 'k', serviceName: 'Shop' } } }, history, 0);

  it('round-trips settings, choices and history, and never contains a token', () => {
    const parsed = parseImport(JSON.parse(JSON.stringify(bundle)));
    expect(parsed.settings.autofill).toBe(false);
    expect(parsed.serviceChoices['shop.test']?.s1?.serviceName).toBe('Shop');
    expect(parsed.history.map((o) => o.id)).toEqual(['h1']);
    expect(JSON.stringify(bundle)).not.toMatch(/token/i);
  });

  it.each([
    ['not an export', { hello: 1 }, /not a Text2FA extension export/],
    ['a newer version', { ...bundle, version: 3 }, /version 3/],
    ['a token inside', { ...bundle, token: 'secret' }, /API token/],
    ['bad settings', { ...bundle, settings: { autofill: 'yes' } }, 'The setting "Fill codes automatically" in this file is not valid: "yes".'],
    ['a bad default', { ...bundle, settings: { defaults: { rentalDays: 0 } } }, 'The setting "Rental days" in this file is not valid: 0.'],
    ['a long bad value', { ...bundle, settings: { autoSubmitSites: 'x'.repeat(300) } }, /"Submit the form after filling the code \(sites\)" in this file is not valid: "x{36}…\.$/],
    ['an unknown setting', { ...bundle, settings: { autofil: true } }, 'The file has a setting "autofil" this extension does not know.'],
    ['no settings', { ...bundle, settings: null }, /has no settings/],
    ['bad choices', { ...bundle, serviceChoices: { 'a.com': { pool: 'x' } } }, 'The service chosen for "a.com" in this file is not valid.'],
    ['a choice under another kind', { ...bundle, serviceChoices: { 'a.com': { s2: { pool: 's1', serviceKey: 'a', serviceName: 'A' } } } }, 'The service chosen for "a.com" in this file is not valid.'],
    ['a version 1 file’s choices in version 2', { ...bundle, serviceChoices: { 'a.com': { pool: 's1', serviceKey: 'a', serviceName: 'A' } } }, 'The service chosen for "a.com" in this file is not valid.'],
    ['a broken order', { ...bundle, history: [...history, { ...history[0], phase: 'lost' }] }, 'Order 2 of the history in this file is not valid: its "phase" is missing or wrong.'],
    ['not an order', { ...bundle, history: [5] }, 'Order 1 of the history in this file is not valid: it is not an order.'],
  ])('refuses %s, whole', (_name, value, message) => {
    expect(() => parseImport(value)).toThrow(ImportError);
    expect(() => parseImport(value)).toThrow(message);
  });
});
