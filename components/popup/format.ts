/** Words and number formats the popup's views share. */
import { isLive, isQueuedForReject, type Order, type OrderPhase } from '@/utils/orders/model';
import type { Pool } from '@/utils/text2fa/types';

export const POOL_NAMES: Record<Pool, string> = { s1: 'S1', s2: 'S2', rental: 'Rental' };

/** What each phase means to the user; the engine's words, not the server's. */
const PHASE_WORDS: Record<OrderPhase, string> = {
  purchasing: 'Getting the number…',
  waiting: 'Waiting for the SMS',
  received: 'Code received',
  active: 'Active',
  expired: 'Expired',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
  completed: 'Completed',
  failed: 'Not bought',
};

/** Server status words the client understands; any other word is shown as the server sent it. */
const KNOWN_STATUS = new Set(['', 'pending', 'received', 'rejected', 'expired', 'completed', 'active', 'cancelled']);

/** A purchase whose answer was lost: the engine is asking Text2FA whether it happened. */
export function isUncertainPurchase(order: Order): boolean {
  return order.phase === 'purchasing' && order.error !== null;
}

/** Whether the order counts as a live number: a purchase still being made or checked has no number yet. */
export function countsAsLive(order: Order): boolean {
  return isLive(order) && order.phase !== 'purchasing';
}

/** The order's status in words, with an unknown server status word kept verbatim. */
export function statusWords(order: Order): string {
  const words = isUncertainPurchase(order) ? 'Checking with Text2FA' : isQueuedForReject(order) ? 'To be rejected' : PHASE_WORDS[order.phase];
  const raw = order.remoteStatus.trim();
  return KNOWN_STATUS.has(raw.toLowerCase()) ? words : `${words} (Text2FA says “${raw}”)`;
}

/** `2055550123` → `(205) 555-0123`; anything else as it came. */
export function formatPhone(number: string): string {
  const digits = number.replace(/\D/g, '');
  const local = digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
  if (local.length !== 10) return number;
  return `(${local.slice(0, 3)}) ${local.slice(3, 6)}-${local.slice(6)}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Time left as a short clock: `4:05`, `1 h 05 m`, `6 d 23 h`; `0:00` once over. */
export function formatLeft(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${pad(minutes)} m`;
  return `${minutes}:${pad(total % 60)}`;
}

/** A date and time short enough for a list row. */
export function formatWhen(at: number): string {
  return new Date(at).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}
