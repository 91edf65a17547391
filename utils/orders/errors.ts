/**
 * The refusals of the order engine's user actions, and the checks that raise
 * them. They live apart from the engine so that the modules beside it can
 * throw them without importing the engine itself.
 */
import type { Text2faClient } from '../text2fa/types';
import { isText2faError } from '../text2fa/errors';
import type { OrderBookStore } from './book';
import type { EngineSession } from './engine';
import type { Order } from './model';

/** A refusal the UI shows as is; nothing was bought or changed. */
export class OrderError extends Error {
  constructor(
    readonly kind: 'busy' | 'not_found' | 'not_allowed' | 'insufficient_balance' | 'spending_limit' | 'no_token',
    message: string,
  ) {
    super(message);
    this.name = 'OrderError';
  }
}

/** The error recorded on an order; unknown errors get a generic sentence, since their text could hold anything. */
export function errorOf(error: unknown, at: number): { kind: string; message: string; at: number } {
  if (isText2faError(error)) return { kind: error.kind, message: error.message, at };
  if (error instanceof OrderError) return { kind: error.kind, message: error.message, at };
  return { kind: 'internal', message: 'Something went wrong while talking to Text2FA.', at };
}

/** The current client and account, or a refusal when no token is set. */
export async function requireSession(session: EngineSession): Promise<{ client: Text2faClient; accountId: string }> {
  const current = await session.current();
  if (!current) throw new OrderError('no_token', 'Add your Text2FA API token first.');
  return current;
}

/** A stored order the server knows, or a refusal when it is gone or belongs to another account than the token's. */
export async function requireOrder(book: OrderBookStore, id: string, accountId: string): Promise<Order & { orderId: string }> {
  const order = await book.find(id);
  if (!order || order.orderId === null) throw new OrderError('not_found', 'That order is not in this browser any more.');
  if (order.accountId !== accountId) {
    throw new OrderError('not_allowed', 'That order belongs to another Text2FA account: add that account\'s token to manage it.');
  }
  return order as Order & { orderId: string };
}
