import { describe, expect, it } from 'vitest';
import {
  applyMessages,
  applyRemote,
  expireIfOver,
  importedOrder,
  latestCode,
  newIntent,
  phaseFromStatus,
  type Order,
} from '@/utils/orders/model';
import { backoffDelay, DEFAULT_POLL_POLICY, PollUnits, pollInterval, RequestBudget } from '@/utils/orders/schedule';
import type { RemoteOrder } from '@/utils/text2fa/types';

const NOW = 1_800_000_000_000;

function remote(extra: Partial<RemoteOrder> = {}): RemoteOrder {
  return {
    pool: 's1',
    orderId: '1001',
    number: '2055550101',
    service: 'Google',
    price: 0.5,
    status: 'pending',
    rawStatus: 'pending',
    createdAt: NOW,
    expiresAt: NOW + 20 * 60_000,
    code: null,
    sms: null,
    duration: null,
    hasDetail: true,
    ...extra,
  };
}

function intent(pool: 's1' | 's2' | 'rental' = 's1'): Order {
  return newIntent({
    intentId: 'i-1',
    accountId: 'acct',
    request: { pool, serviceKey: 'k', serviceName: 'Google' },
    site: null,
    now: NOW,
  });
}

describe('state transitions', () => {
  it('a purchase answer turns the intent into a waiting order, with expiry corrected for clock skew', () => {
    const { order, newCode } = applyRemote(intent(), remote(), NOW, 5_000);
    expect(order).toMatchObject({ phase: 'waiting', number: '2055550101', price: 0.5, expiresAt: NOW + 20 * 60_000 + 5_000 });
    expect(newCode).toBeNull();
  });

  it('a rental purchase becomes active', () => {
    expect(applyRemote(intent('rental'), remote({ pool: 'rental', status: 'active' }), NOW, 0).order.phase).toBe('active');
  });

  it('a code makes the order received and unseen; the same code again is not new', () => {
    const waiting = applyRemote(intent(), remote(), NOW, 0).order;
    const first = applyRemote(waiting, remote({ status: 'received', code: '482913', sms: 'code 482913' }), NOW + 1, 0);
    expect(first.order).toMatchObject({ phase: 'received', unseenCode: '482913' });
    expect(first.newCode?.code).toBe('482913');
    const again = applyRemote(first.order, remote({ status: 'received', code: '482913' }), NOW + 2, 0);
    expect(again.newCode).toBeNull();
    const resent = applyRemote(again.order, remote({ status: 'received', code: '111222' }), NOW + 3, 0);
    expect(resent.newCode?.code).toBe('111222');
    expect(resent.order.codes.map((c) => c.code)).toEqual(['482913', '111222']);
  });

  it('an unknown status word is kept verbatim and leaves the phase alone', () => {
    const waiting = applyRemote(intent(), remote(), NOW, 0).order;
    const next = applyRemote(waiting, remote({ status: 'unknown', rawStatus: 'in_use' }), NOW + 1, 0).order;
    expect(next).toMatchObject({ phase: 'waiting', remoteStatus: 'in_use' });
  });

  it('a number found rejected without our answer records the full price as refunded, a refund already known stays', () => {
    const waiting = applyRemote(intent(), remote(), NOW, 0).order;
    expect(applyRemote(waiting, remote({ status: 'rejected' }), NOW + 1, 0).order).toMatchObject({ phase: 'rejected', refund: 0.5 });
    const refunded: Order = { ...waiting, phase: 'rejected', refund: 0.3 };
    expect(applyRemote(refunded, remote({ status: 'rejected' }), NOW + 1, 0).order.refund).toBe(0.3);
  });

  it('a stale answer never brings a finished order back to life', () => {
    const rejected: Order = { ...applyRemote(intent(), remote(), NOW, 0).order, phase: 'rejected' };
    expect(applyRemote(rejected, remote({ status: 'pending' }), NOW + 1, 0).order.phase).toBe('rejected');
  });

  it('a list item without detail changes nothing but what it carries', () => {
    const waiting = applyRemote(intent(), remote(), NOW, 0).order;
    const next = applyRemote(waiting, remote({ hasDetail: false, status: 'unknown', rawStatus: '' }), NOW + 1, 0).order;
    expect(next.phase).toBe('waiting');
  });

  it('maps server statuses per pool', () => {
    expect(phaseFromStatus('s1', 'pending', false)).toBe('waiting');
    expect(phaseFromStatus('s1', 'pending', true)).toBe('received');
    expect(phaseFromStatus('rental', 'pending', false)).toBe('active');
    expect(phaseFromStatus('s2', 'cancelled', false)).toBe('rejected');
    expect(phaseFromStatus('rental', 'cancelled', false)).toBe('cancelled');
    expect(phaseFromStatus('s1', 'unknown', false)).toBeNull();
  });

  it('ends live orders whose time is over: expired without a code, completed with one', () => {
    const waiting = applyRemote(intent(), remote(), NOW, 0).order;
    expect(expireIfOver(waiting, NOW + 20 * 60_000).phase).toBe('expired');
    expect(expireIfOver(waiting, NOW + 60_000)).toBe(waiting);
    const received = applyRemote(waiting, remote({ code: '1234' }), NOW, 0).order;
    expect(expireIfOver(received, NOW + 21 * 60_000).phase).toBe('completed');
    expect(expireIfOver(intent(), NOW + 10 ** 9).phase).toBe('purchasing');
  });

  it('keeps each rental message once, even without ids', () => {
    const rental = applyRemote(intent('rental'), remote({ pool: 'rental', status: 'active' }), NOW, 0).order;
    const messages = [
      { id: '1', from: 'X', text: 'Your code is 4321', code: '4321', receivedAt: NOW },
      { id: '', from: null, text: 'Welcome', code: null, receivedAt: NOW + 5 },
    ];
    const first = applyMessages(rental, messages, NOW);
    expect(first.newMessages).toHaveLength(2);
    expect(first.order.unseenCode).toBe('4321');
    const again = applyMessages(first.order, messages, NOW + 10);
    expect(again.newMessages).toHaveLength(0);
    expect(again.order).toBe(first.order);
  });

  it("a rental's newest code comes from its newest message with a code", () => {
    const rental = applyRemote(intent('rental'), remote({ pool: 'rental', status: 'active' }), NOW, 0).order;
    const withMessages = applyMessages(
      rental,
      [
        { id: '1', from: null, text: 'Code 1111', code: '1111', receivedAt: NOW },
        { id: '2', from: null, text: 'Hello', code: null, receivedAt: NOW },
      ],
      NOW + 5,
    ).order;
    expect(latestCode(withMessages)).toEqual({ code: '1111', sms: 'Code 1111', seenAt: NOW + 5 });
    expect(latestCode(rental)).toBeNull();
  });

  it('an imported order keeps its existing code as history, not as news', () => {
    const order = importedOrder('acct', remote({ status: 'received', code: '777777' }), NOW, 0);
    expect(order).toMatchObject({ id: 'remote:s1:1001', imported: true, phase: 'received', unseenCode: null });
  });
});

describe('polling schedule', () => {
  it('polls every 2 s for two minutes, then 5 s, then 10 s', () => {
    expect(pollInterval(0)).toBe(2_000);
    expect(pollInterval(119_000)).toBe(2_000);
    expect(pollInterval(121_000)).toBe(5_000);
    expect(pollInterval(11 * 60_000)).toBe(10_000);
  });

  it('backs off exponentially with full jitter, capped', () => {
    expect(backoffDelay(1, () => 1)).toBe(DEFAULT_POLL_POLICY.backoffBaseMs);
    expect(backoffDelay(3, () => 1)).toBe(DEFAULT_POLL_POLICY.backoffBaseMs * 4);
    expect(backoffDelay(30, () => 1)).toBe(DEFAULT_POLL_POLICY.backoffMaxMs);
    expect(backoffDelay(3, () => 0)).toBe(0);
    expect(backoffDelay(3, () => 0.5)).toBe(DEFAULT_POLL_POLICY.backoffBaseMs * 2);
  });

  it('allows at most the limit in any minute, and says when the next one may go', () => {
    const budget = new RequestBudget(3);
    expect([budget.tryTake(0), budget.tryTake(10), budget.tryTake(20), budget.tryTake(30)]).toEqual([true, true, true, false]);
    expect(budget.nextAvailableAt(30)).toBe(60_000);
    expect(budget.tryTake(60_000)).toBe(true);
    expect(budget.used(60_000)).toBe(3);
  });

  it('honours Retry-After over backoff, and resets failures on success', () => {
    const units = new PollUnits();
    units.failed('list:s1', 0, () => 1, 7_000);
    expect(units.get('list:s1', 0)).toMatchObject({ failures: 1, nextAt: 7_000 });
    units.failed('list:s1', 7_000, () => 1);
    expect(units.get('list:s1', 7_000)).toMatchObject({ failures: 2, nextAt: 7_000 + 4_000 });
    units.succeeded('list:s1', 12_000, 2_000);
    expect(units.get('list:s1', 12_000)).toMatchObject({ failures: 0, nextAt: 14_000 });
    units.retain(new Set());
    expect(units.all()).toEqual([]);
  });
});
