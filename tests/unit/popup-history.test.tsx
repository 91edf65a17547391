// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import type { Order } from '@/utils/orders/model';
import { button, cleanup, click, field, makeOrder, NOW, openTab, renderPopup, text, type } from './popup-harness';

afterEach(cleanup);

const past = (id: string, minutesAgo: number, patch: Partial<Order> = {}) =>
  makeOrder({ id, createdAt: NOW - minutesAgo * 60_000, updatedAt: NOW - minutesAgo * 60_000 + 60_000, phase: 'completed', remoteStatus: 'completed', ...patch });

const rows = (root: HTMLElement) => [...root.querySelectorAll('.past-row')];
const totals = (root: HTMLElement) =>
  Object.fromEntries(
    [...root.querySelectorAll('[data-testid="history-totals"] div')].map((d) => [text(d.querySelector('dt')), text(d.querySelector('dd'))]),
  );

async function historyTab(history: Order[], book: Order[] = []) {
  const popup = await renderPopup({ history, orders: book });
  await openTab(popup.root, 'History');
  return popup;
}

describe('History', () => {
  it('lists history and the book’s finished orders once each, newest first, without failed purchases', async () => {
    const { root } = await historyTab(
      [past('a', 300, { serviceName: 'Amazon', codes: [{ code: '424242', sms: null, seenAt: NOW }] }), past('b', 200, { serviceName: 'Uber' })],
      [
        past('b', 200, { serviceName: 'Uber' }),
        past('c', 5, { serviceName: 'Google', phase: 'rejected', refund: 0.5 }),
        makeOrder({ id: 'live', phase: 'waiting' }),
        makeOrder({ id: 'nope', phase: 'failed' }),
      ],
    );
    expect(rows(root).map((r) => text(r.querySelector('strong')))).toEqual(['Google', 'Uber', 'Amazon']);
    expect(text(rows(root)[2]!)).toContain('code 424242');
    expect(text(rows(root)[0]!)).toContain('$0.50 back');
  });

  it('adds up spending, refunds and the net', async () => {
    const { root } = await historyTab([
      past('a', 30, { price: 0.5 }),
      past('b', 20, { price: 0.75, phase: 'rejected', refund: 0.75 }),
      past('c', 10, { pool: 'rental', price: 3.5, phase: 'cancelled', refund: 1.5 }),
    ]);
    expect(totals(root)).toEqual({ Orders: '3', Spent: '$4.75', Refunded: '$2.25', Net: '$2.50' });
  });

  it('searches service, number, code and status, with totals of the matches', async () => {
    const { root } = await historyTab([
      past('a', 30, { serviceName: 'Amazon', number: '6105550101', price: 0.4 }),
      past('b', 20, { serviceName: 'Google', codes: [{ code: '778899', sms: null, seenAt: NOW }], price: 0.5 }),
      past('c', 10, { serviceName: 'Uber', phase: 'rejected', refund: 0.3, price: 0.3 }),
    ]);
    const search = field(root, 'Search history');
    await type(search, 'amazon');
    expect(rows(root).map((r) => text(r.querySelector('strong')))).toEqual(['Amazon']);
    expect(totals(root).Spent).toBe('$0.40');
    await type(search, '(610) 555');
    expect(rows(root)).toHaveLength(1);
    await type(search, '778899');
    expect(rows(root).map((r) => text(r.querySelector('strong')))).toEqual(['Google']);
    await type(search, 'rejected');
    expect(rows(root).map((r) => text(r.querySelector('strong')))).toEqual(['Uber']);
    expect(totals(root)).toMatchObject({ Orders: '1', Refunded: '$0.30', Net: '$0.00' });
    await type(search, 'nothing like this');
    expect(text(root.querySelector('.history .empty'))).toContain('Nothing in history matches “nothing like this”');
  });

  it('shows the last 100 at first and more on demand', async () => {
    const many = Array.from({ length: 250 }, (_, i) => past(`h${i}`, i + 1, { serviceName: `Service ${i}` }));
    const { root } = await historyTab(many);
    expect(rows(root)).toHaveLength(100);
    expect(text(rows(root)[0]!.querySelector('strong'))).toBe('Service 0');
    await click(button(root, 'Show more (150 older)'));
    expect(rows(root)).toHaveLength(200);
    expect(totals(root).Orders).toBe('250');
  });

  it('says so when there is no history', async () => {
    const { root } = await historyTab([]);
    expect(text(root.querySelector('.history .empty'))).toContain('No past orders yet.');
  });
});
