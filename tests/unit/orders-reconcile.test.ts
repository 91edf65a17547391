/**
 * Twin detection as a pure rule: which orders in a pool's list count as a
 * second charge for one purchase, and which are left alone.
 */
import { describe, expect, it } from 'vitest';
import { findTwins, knownOrderKeys, sentAtOf, TWIN_WINDOW_MS, type PurchaseMoment } from '@/utils/orders/reconcile';
import { importedOrder, newIntent } from '@/utils/orders/model';
import type { RemoteOrder } from '@/utils/text2fa/types';

const SENT = Date.UTC(2026, 10, 3, 12, 0, 0);
const purchase: PurchaseMoment = { pool: 's1', serviceName: 'Google', sentAt: SENT };

function remote(orderId: string, patch: Partial<RemoteOrder> = {}): RemoteOrder {
  return {
    pool: 's1',
    orderId,
    number: `20555501${orderId.slice(-2)}`,
    service: 'Google',
    price: 0.5,
    status: 'pending',
    rawStatus: 'pending',
    createdAt: SENT + 400,
    expiresAt: SENT + 20 * 60_000,
    code: null,
    sms: null,
    duration: null,
    hasDetail: true,
    ...patch,
  };
}

describe('findTwins', () => {
  it('finds an unknown order for the same service created within the window of the sending, on the server clock', () => {
    const list = [remote('1002'), remote('1001', { createdAt: SENT - TWIN_WINDOW_MS + 1 }), remote('1003', { service: 'google ' })];
    expect(findTwins(list, purchase, new Set()).map((r) => r.orderId)).toEqual(['1002', '1001', '1003']);
  });

  it('leaves alone a dashboard order for another service in the same minute and one for the same service ten minutes earlier', () => {
    const list = [remote('2001', { service: 'WhatsApp', createdAt: SENT + 20_000 }), remote('2002', { service: 'WhatsApp', createdAt: SENT + 1_000 }), remote('2003', { createdAt: SENT - 10 * 60_000 })];
    expect(findTwins(list, purchase, new Set())).toEqual([]);
  });

  it('leaves alone candidates without a service or a creation time, orders already known, ended ones and other pools', () => {
    const list = [
      remote('3001', { service: null }),
      remote('3002', { createdAt: null }),
      remote('3003'),
      remote('3004', { status: 'rejected', rawStatus: 'rejected' }),
      remote('3005', { pool: 's2' }),
      remote('3006', { createdAt: SENT + TWIN_WINDOW_MS + 1 }),
    ];
    expect(findTwins(list, purchase, new Set(['s1:3003']))).toEqual([]);
  });
});

describe('knownOrderKeys', () => {
  it('counts our purchases and twins as known, but not plain imports (a sync may import a twin first)', () => {
    const ours = { ...newIntent({ intentId: 'a', accountId: 'x', request: { pool: 's1', serviceKey: 'k', serviceName: 'Google' }, site: null, now: SENT }), orderId: '1' };
    const imported = importedOrder('x', remote('2'), SENT, 0);
    const twin = { ...importedOrder('x', remote('3'), SENT, 0), twin: { of: 'a', foundAt: SENT, reportedAt: null, dismissedAt: null } };
    expect([...knownOrderKeys([ours, imported, twin])].sort()).toEqual(['s1:1', 's1:3']);
  });
});

describe('sentAtOf', () => {
  it('uses the recorded server time, else the local creation corrected by the skew', () => {
    const intent = newIntent({ intentId: 'a', accountId: 'x', request: { pool: 's1', serviceKey: 'k', serviceName: 'Google' }, site: null, now: SENT });
    expect(sentAtOf({ ...intent, sentAt: SENT - 5_000 }, 0)).toBe(SENT - 5_000);
    expect(sentAtOf(intent, 60_000)).toBe(SENT - 60_000);
  });
});
