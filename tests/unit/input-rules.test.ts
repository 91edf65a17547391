import { describe, expect, it } from 'vitest';
import { checkAreaCodes, checkPremium, checkToken, MAX_AREA_CODES, MAX_PREMIUM, TOKEN_MAX_LENGTH } from '@/utils/input-rules';
import { envelope } from '@/utils/messaging';
import { createMessageRouter, isSettingsPatch, type Handlers } from '@/utils/message-rules';
import { parseAreaCodes, parsePremium } from '@/components/options/validate';
import { draftOrder, parseAreas } from '@/components/stores/site';
import { DEFAULT_SETTINGS } from '@/utils/storage';

const codes = (n: number) => Array.from({ length: n }, (_, i) => String(200 + i));

describe('area codes: one rule for the popup, the options page and the background', () => {
  it('takes [2-9]XX codes separated by commas, spaces or semicolons, once each', () => {
    expect(checkAreaCodes('212, 646 212;718')).toEqual({ ok: true, value: ['212', '646', '718'] });
    expect(checkAreaCodes('  ')).toEqual({ ok: true, value: [] });
  });

  it('names the first bad code and why it is bad', () => {
    expect(checkAreaCodes('212, 100')).toEqual({ ok: false, message: expect.stringContaining('“100” is not a US area code') });
    expect(checkAreaCodes('212, 100')).toEqual({ ok: false, message: expect.stringContaining('never start with 0 or 1') });
    expect(checkAreaCodes('055')).toEqual({ ok: false, message: expect.stringContaining('“055”') });
    expect(checkAreaCodes('21')).toEqual({ ok: false, message: expect.stringContaining('three digits') });
  });

  it(`takes at most ${MAX_AREA_CODES}, and says how many were typed`, () => {
    expect(checkAreaCodes(codes(MAX_AREA_CODES).join(',')).ok).toBe(true);
    expect(checkAreaCodes(codes(MAX_AREA_CODES + 2).join(','))).toEqual({ ok: false, message: expect.stringContaining('That is 12 area codes') });
  });

  it('is the rule the popup form, the options field and the background message checks all use', () => {
    for (const text of ['100', '212, 21', codes(11).join(' '), '212 646']) {
      const rule = checkAreaCodes(text);
      expect(parseAreaCodes(text)).toEqual(rule);
      expect(parseAreas(text)).toEqual(rule.ok ? { areas: rule.value, error: null } : { areas: [], error: rule.message });
      const values = rule.ok ? rule.value : text.split(/[\s,]+/);
      expect(isSettingsPatch({ defaults: { areas: values } })).toBe(rule.ok);
    }
  });
});

describe('premium bids', () => {
  it(`takes 0 to ${MAX_PREMIUM} with at most two decimals; a comma is a decimal point`, () => {
    expect(checkPremium('0.25')).toEqual({ ok: true, value: 0.25 });
    expect(checkPremium('1,5')).toEqual({ ok: true, value: 1.5 });
    expect(checkPremium('50')).toEqual({ ok: true, value: 50 });
    expect(checkPremium(' ')).toEqual({ ok: true, value: null });
    for (const bad of ['50.01', '60', '1000', '-1', '0.505', 'abc', '1e1']) {
      expect(checkPremium(bad)).toEqual({ ok: false, message: expect.stringContaining('from $0.00 to $50.00') });
    }
  });

  it('is the rule the popup form, the options field and the background all use', () => {
    for (const text of ['0.25', '50', '60', '999.99']) {
      const rule = checkPremium(text);
      expect(parsePremium(text).ok).toBe(rule.ok);
      const google = { pool: 's1', key: 'g', name: 'Google', price: 0.5, available: 1 } as const;
      const draft = draftOrder({
        pool: 's1',
        info: { url: null, siteKey: null, matches: { s1: google, s2: null, rental: null }, choices: {} },
        catalog: { s1: [google] },
        form: { state: '', premium: text, areas: '', days: null, rentalState: '' },
        settings: DEFAULT_SETTINGS,
        tabId: null,
      });
      expect(draft.request !== null).toBe(rule.ok);
      expect(isSettingsPatch({ defaults: { premium: Number(text) } })).toBe(rule.ok);
    }
  });
});

describe('API tokens', () => {
  it('takes a trimmed token of visible ASCII characters', () => {
    expect(checkToken('  t2fa_demo_0123456789abcdef\n')).toEqual({ ok: true, value: 't2fa_demo_0123456789abcdef' });
  });

  it('drops a "Bearer " prefix pasted from a guide, in any case', () => {
    expect(checkToken('Bearer t2fa_demo_0123456789abcdef')).toEqual({ ok: true, value: 't2fa_demo_0123456789abcdef' });
    expect(checkToken(' bearer   t2fa_demo_0123456789abcdef ')).toEqual({ ok: true, value: 't2fa_demo_0123456789abcdef' });
  });

  it('says what is wrong: empty, spaces inside, odd characters, too short, too long', () => {
    expect(checkToken('   ')).toEqual({ ok: false, message: expect.stringContaining('Paste your API token') });
    expect(checkToken('abc def ghi')).toEqual({ ok: false, message: expect.stringContaining('space or line break') });
    expect(checkToken('tökenvalue123')).toEqual({ ok: false, message: expect.stringContaining('(“ö”)') });
    expect(checkToken('token\u200bvalue123')).toEqual({ ok: false, message: expect.stringContaining('(U+200B)') });
    expect(checkToken('abc12')).toEqual({ ok: false, message: expect.stringContaining('too short') });
    expect(checkToken('x'.repeat(20_000))).toEqual({
      ok: false,
      message: expect.stringContaining(`That is 20,000 characters; an API token is at most ${TOKEN_MAX_LENGTH}`),
    });
    expect(checkToken('x'.repeat(TOKEN_MAX_LENGTH)).ok).toBe(true);
  });
});

describe('the background refuses a purchase the forms would refuse', () => {
  const self = { id: 'ext', origin: 'chrome-extension://ext/' };
  const page = { id: 'ext', url: 'chrome-extension://ext/popup.html' };
  const bought: unknown[] = [];
  const route = createMessageRouter({
    self,
    handlers: { 'orders.buy': async (payload: unknown) => bought.push(payload) } as unknown as Handlers,
    describeError: () => ({ kind: 'internal', message: 'x' }),
  });
  const buy = (extra: Record<string, unknown>) =>
    route(envelope('orders.buy', { intentId: 'i', pool: 's2', serviceKey: 'g', serviceName: 'Google', expectedPrice: null, ...extra }), page);

  it('checks area codes and premiums with the same rule', async () => {
    expect(await buy({ areas: ['100'] })).toMatchObject({ ok: false, error: { kind: 'bad_message' } });
    expect(await buy({ areas: codes(11) })).toMatchObject({ ok: false, error: { kind: 'bad_message' } });
    expect(await buy({ premium: 60 })).toMatchObject({ ok: false, error: { kind: 'bad_message' } });
    expect(bought).toEqual([]);
    expect(await buy({ areas: ['212'], premium: 0.25 })).toMatchObject({ ok: true });
  });
});
