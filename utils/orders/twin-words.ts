/**
 * What the user is told about a twin (one purchase charged twice), in the same
 * words in the notification and in the popup.
 */
import { formatMoney } from '../format';
import type { Order } from './model';

/** A twin's state in words: being refunded, refunded (with the amount), kept for its code, or not refunded. */
export function twinMessage(order: Order, currency = 'USD'): string {
  const what = `Text2FA charged twice for one ${order.serviceName} purchase`;
  const number = order.number ? ` (extra number ${order.number})` : '';
  if (order.phase === 'rejected' || order.phase === 'cancelled') {
    const amount = order.refund ?? order.price;
    return `${what}${number}. The extra charge was refunded${amount !== null ? `: ${formatMoney(amount, currency)}` : ''}.`;
  }
  const hasCode = order.codes.length > 0 || order.messages.some((m) => m.code !== null);
  if (hasCode) {
    const site = order.site?.siteKey ? ` It is kept for ${order.site.siteKey}, so you can use its code there` : ' It is kept so you can use its code';
    return `${what}${number}. An SMS reached the extra number before it could be refunded.${site}.`;
  }
  if (order.phase === 'expired' || order.phase === 'completed') {
    return `${what}${number}. Text2FA did not refund the extra number before it expired: ask Text2FA support about it.`;
  }
  return `${what}${number}. The extra number is being refunded: Text2FA allows it one minute after purchase.`;
}
