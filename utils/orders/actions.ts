/**
 * What the user (or the engine on the user's behalf) does to an order once it
 * exists: reject or cancel it for a refund, renew a rental, and record what
 * the page and the popup did with it.
 */
import type { RemoteOrder, Text2faClient } from '../text2fa/types';
import { isText2faError, type Text2faError } from '../text2fa/errors';
import type { OrderBookStore } from './book';
import type { EngineEvents, EngineSession } from './engine';
import { errorOf, OrderError, requireOrder, requireSession } from './errors';
import { isFinal, rejectRefund, type Order } from './model';
import { absorb } from './upkeep';

/** A 'too early' reject is retried after this long (the server allows it after a minute). */
const TOO_EARLY_RETRY_MS = 15_000;

/** What the order actions need from the engine. */
export interface OrderActionsDeps {
  book: OrderBookStore;
  session: EngineSession;
  events: EngineEvents;
  now(): number;
  skewMs(): number;
  /** Counts a request against the engine's per-minute cap. */
  countRequest(): void;
}

/** Rejects, cancels and renews orders, and keeps the marks the page and the popup set on them. */
export class OrderActions {
  constructor(private readonly deps: OrderActionsDeps) {}

  /**
   * Rejects an S1/S2 number for a refund. When the server says it is too
   * early, the reject is retried later by the engine (not a failure); when a
   * code already arrived, the code is recorded and the reject refused. After
   * a reject the order is read once more, since an SMS can land meanwhile.
   */
  async reject(id: string): Promise<Order> {
    const { client, accountId } = await requireSession(this.deps.session);
    const order = await requireOrder(this.deps.book, id, accountId);
    if (order.pool === 'rental') throw new OrderError('not_allowed', 'Rentals are cancelled, not rejected.');
    if (isFinal(order.phase)) return order;
    try {
      this.deps.countRequest();
      const result = order.pool === 's1' ? await client.rejectNumberS1(order.orderId) : await client.rejectNumberS2(order.orderId);
      const saved = await this.deps.book.patch(id, (o) => ({
        ...o,
        phase: 'rejected',
        remoteStatus: result.rawStatus || o.remoteStatus,
        refund: rejectRefund(o, result.refund),
        updatedAt: this.deps.now(),
        rejectRetryAt: null,
        error: null,
      }));
      await this.deps.session.balanceChanged(result.balance);
      if (saved) this.deps.events.ended(saved);
      await this.recheck(client, id);
      return (await this.deps.book.find(id)) ?? saved ?? order;
    } catch (error) {
      if (isText2faError(error) && error.kind === 'conflict') return this.afterRejectConflict(client, id, error);
      await this.deps.book.patch(id, (o) => ({ ...o, error: errorOf(error, this.deps.now()) }));
      throw error;
    }
  }

  /** A 409 on reject: re-read the order to learn why, and act on it. */
  private async afterRejectConflict(client: Text2faClient, id: string, error: Text2faError): Promise<Order> {
    const remote = await this.recheck(client, id);
    const order = (await this.deps.book.find(id))!;
    if (order.codes.length > 0 || error.reason === 'code_received') {
      throw new OrderError('not_allowed', 'A code already arrived for this number, so it can no longer be rejected.');
    }
    if (remote && isFinal(order.phase)) return order;
    // Too early (or the server did not say why while the order still waits): try again later, quietly.
    const retryAt = this.deps.now() + TOO_EARLY_RETRY_MS;
    return (await this.deps.book.patch(id, (o) => ({ ...o, rejectRetryAt: retryAt, error: null }))) ?? order;
  }

  private async recheck(client: Text2faClient, id: string): Promise<RemoteOrder | null> {
    const order = await this.deps.book.find(id);
    if (!order?.orderId || order.pool === 'rental') return null;
    try {
      this.deps.countRequest();
      const remote = order.pool === 's1' ? await client.numberDetailsS1(order.orderId) : await client.numberDetailsS2(order.orderId);
      await absorb(this.deps, id, remote);
      return remote;
    } catch {
      return null;
    }
  }

  /** Cancels a rental and records the refund. */
  async cancelRental(id: string): Promise<Order> {
    const { client, accountId } = await requireSession(this.deps.session);
    const order = await requireOrder(this.deps.book, id, accountId);
    if (order.pool !== 'rental') throw new OrderError('not_allowed', 'Only rentals can be cancelled; reject a temporary number instead.');
    if (isFinal(order.phase)) return order;
    this.deps.countRequest();
    const result = await client.cancelRental(order.orderId);
    const saved = await this.deps.book.patch(id, (o) => ({
      ...o,
      phase: 'cancelled',
      remoteStatus: result.rawStatus || o.remoteStatus,
      refund: result.refund ?? 0,
      updatedAt: this.deps.now(),
      error: null,
    }));
    await this.deps.session.balanceChanged(result.balance);
    if (saved) this.deps.events.ended(saved);
    return saved ?? order;
  }

  /** Extends a rental by `days`. */
  async renewRental(id: string, days: number): Promise<Order> {
    const { client, accountId } = await requireSession(this.deps.session);
    const order = await requireOrder(this.deps.book, id, accountId);
    if (order.pool !== 'rental' || isFinal(order.phase)) throw new OrderError('not_allowed', 'Only an active rental can be renewed.');
    this.deps.countRequest();
    const result = await client.renewRental(order.orderId, days);
    const saved = await this.deps.book.patch(id, (o) => ({
      ...o,
      expiresAt: result.expiresAt !== null ? result.expiresAt + this.deps.skewMs() : o.expiresAt,
      price: o.price !== null && result.price !== null ? o.price + result.price : o.price,
      updatedAt: this.deps.now(),
      expiryWarnedAt: null,
    }));
    await this.deps.session.balanceChanged(result.balance);
    return saved ?? order;
  }

  /** A page was filled with this code of the order: it is spent (never filled again unasked) and seen. */
  async markCodeFilled(id: string, code: string): Promise<void> {
    await this.markSeen(id);
    await this.deps.book.patch(id, (o) => (o.filledCode === code ? o : { ...o, filledCode: code }));
  }

  /** The page's phone field got this order's number: don't fill it again. */
  async markPhoneFilled(id: string): Promise<void> {
    await this.deps.book.patch(id, (o) => (o.phoneFilledAt !== null ? o : { ...o, phoneFilledAt: this.deps.now() }));
  }

  /** The page's phone field would not hold this order's number (null: it does now). */
  async markPhoneProblem(id: string, problem: string | null): Promise<void> {
    await this.deps.book.patch(id, (o) => (o.phoneFillProblem === problem ? o : { ...o, phoneFillProblem: problem }));
  }

  /**
   * The order's sign-up moved to another tab (see `delivery.ts`): binds it to `toTabId` if it is
   * still bound to `fromTabId`. True when `toTabId` holds it now.
   */
  async moveToTab(id: string, fromTabId: number | null, toTabId: number): Promise<boolean> {
    const saved = await this.deps.book.patch(id, (o) =>
      o.site === null || o.site.tabId !== fromTabId ? o : { ...o, site: { ...o.site, tabId: toTabId }, updatedAt: this.deps.now() },
    );
    return saved?.site?.tabId === toTabId;
  }

  /**
   * The user saw the order's code (popup, filled into the page): it no longer
   * counts on the badge. For a twin, the user also read the popup's notice about it.
   */
  async markSeen(id: string): Promise<void> {
    const now = this.deps.now();
    await this.deps.book.patch(id, (o) => {
      const dismiss = o.twin !== null && o.twin.dismissedAt === null;
      if (o.unseenCode === null && !dismiss) return o;
      return { ...o, unseenCode: null, ...(dismiss ? { twin: { ...o.twin!, dismissedAt: now } } : {}) };
    });
  }
}
