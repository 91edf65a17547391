import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { storage } from 'wxt/utils/storage';
import { preferredPool, withChoice } from '@/utils/choices';
import {
  DEFAULT_SETTINGS,
  getSettings,
  ORDER_BOOK_VERSION,
  ORDER_MIGRATIONS,
  SERVICE_CHOICE_MIGRATIONS,
  SERVICE_CHOICES_VERSION,
  settingsItem,
  type OrderBook,
  type SiteChoices,
} from '@/utils/storage';

/** An order as the first builds stored it, before the v2 fields existed. */
const v1Order = {
  id: 'intent-1',
  accountId: 'acct',
  pool: 's1',
  serviceKey: 'abc',
  serviceName: 'Google',
  orderId: '1001',
  number: '2055550101',
  price: 0.5,
  phase: 'waiting',
  remoteStatus: 'pending',
  createdAt: 1,
  updatedAt: 1,
  expiresAt: 1_200_001,
  codes: [],
  messages: [],
  refund: null,
  site: null,
  request: null,
  imported: false,
  unseenCode: null,
  error: null,
};

beforeEach(() => fakeBrowser.reset());

describe('order book migrations', () => {
  it('v2 adds the fields v1 orders lacked, keeping everything else', () => {
    const migrated = ORDER_MIGRATIONS[2]!({ orders: [v1Order] });
    expect(migrated.orders[0]).toEqual({ ...v1Order, expiryWarnedAt: null, rejectRetryAt: null, phoneFilledAt: null });
  });

  it('v3 adds the twin and phone-fill fields, keeping everything else', () => {
    const v2Order = ORDER_MIGRATIONS[2]!({ orders: [v1Order] }).orders[0];
    const migrated = ORDER_MIGRATIONS[3]!({ orders: [v2Order] });
    expect(migrated.orders[0]).toEqual({ ...v2Order, phoneFillProblem: null, sentAt: null, twinsCheckedAt: null, twin: null });
    expect(ORDER_MIGRATIONS[3]!({ orders: [{ ...v2Order, sentAt: 7 }] }).orders[0]?.sentAt).toBe(7);
  });

  it('keeps values an order already has', () => {
    const migrated = ORDER_MIGRATIONS[2]!({ orders: [{ ...v1Order, phoneFilledAt: 5 }] });
    expect(migrated.orders[0]?.phoneFilledAt).toBe(5);
  });

  it('turns a damaged book into an empty one instead of crashing the worker', () => {
    expect(ORDER_MIGRATIONS[2]!(null)).toEqual({ orders: [] });
    expect(ORDER_MIGRATIONS[2]!({ orders: 'nope' })).toEqual({ orders: [] });
  });

  it('runs when a v1 book is found in storage', async () => {
    await fakeBrowser.storage.local.set({ migrationTest: { orders: [v1Order] }, migrationTest$: { v: 1 } });
    const item = storage.defineItem<OrderBook>('local:migrationTest', {
      fallback: { orders: [] },
      version: ORDER_BOOK_VERSION,
      migrations: ORDER_MIGRATIONS,
    });
    const book = await item.getValue();
    expect(book.orders[0]).toMatchObject({ id: 'intent-1', rejectRetryAt: null, phoneFilledAt: null, twin: null, sentAt: null });
    expect(await item.getMeta()).toEqual({ v: ORDER_BOOK_VERSION });
  });
});

describe('settings', () => {
  it('fills defaults for anything an older version did not save', async () => {
    await settingsItem.setValue({ autofill: false } as never);
    const settings = await getSettings();
    expect(settings.autofill).toBe(false);
    expect(settings.maxRequestsPerMinute).toBe(DEFAULT_SETTINGS.maxRequestsPerMinute);
    expect(settings.defaults).toEqual(DEFAULT_SETTINGS.defaults);
  });
});

describe('per-site service choices migration (issue 18)', () => {
  it('v2 files a v1 choice under the kind it was made for, or S1 when it named none', () => {
    const migrated = SERVICE_CHOICE_MIGRATIONS[2]!({
      'a.com': { pool: 'rental', serviceKey: 'r1', serviceName: 'A' },
      'b.com': { serviceKey: 'b1', serviceName: 'B' },
      'c.com': { pool: 'nope', serviceKey: 'c1', serviceName: 'C' },
      'broken.com': { pool: 's1' },
    });
    expect(migrated).toEqual({
      'a.com': { rental: { pool: 'rental', serviceKey: 'r1', serviceName: 'A' } },
      'b.com': { s1: { pool: 's1', serviceKey: 'b1', serviceName: 'B' } },
      'c.com': { s1: { pool: 's1', serviceKey: 'c1', serviceName: 'C' } },
    });
    expect(SERVICE_CHOICE_MIGRATIONS[2]!(null)).toEqual({});
  });

  it('runs on the stored v1 item, and a pick of another kind then keeps the first', async () => {
    await fakeBrowser.storage.local.set({
      choicesTest: { 'x.com': { pool: 's1', serviceKey: 'x', serviceName: 'X' } },
      choicesTest$: { v: 1 },
    });
    // Defined as the real item is (its version and migrations), under a key only this test uses.
    const item = storage.defineItem<Record<string, SiteChoices>>('local:choicesTest', {
      fallback: {},
      version: SERVICE_CHOICES_VERSION,
      migrations: SERVICE_CHOICE_MIGRATIONS,
    });
    const stored = await item.getValue();
    expect(await item.getMeta()).toEqual({ v: 2 });
    expect(stored).toEqual({ 'x.com': { s1: { pool: 's1', serviceKey: 'x', serviceName: 'X' } } });
    const rental = { pool: 'rental' as const, serviceKey: 'xr', serviceName: 'X' };
    expect(withChoice(stored, 'x.com', 'rental', rental)).toEqual({ 'x.com': { s1: stored['x.com']!.s1, rental } });
    expect(withChoice(stored, 'x.com', 's1', null)).toEqual({});
  });
});

describe('preferred kind for a site', () => {
  it('is the default kind unless the site only has picks for other kinds', () => {
    const pick = (pool: 's1' | 's2' | 'rental') => ({ pool, serviceKey: 'k', serviceName: 'K' });
    expect(preferredPool({}, 's2')).toBe('s2');
    expect(preferredPool({ s2: pick('s2'), rental: pick('rental') }, 's2')).toBe('s2');
    expect(preferredPool({ rental: pick('rental') }, 's1')).toBe('rental');
    expect(preferredPool({ s2: pick('s2'), rental: pick('rental') }, 's1')).toBe('s2');
  });
});
