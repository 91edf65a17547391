/**
 * Reads rental messages (rental-message) in whatever shape they come: a list
 * under `messages` (or another list key), a bare list, one message object
 * under `messages` or spread over the top level (the third-party guide's
 * webhook payload `{number_id, from, message, received_at}`), messages with
 * or without ids and codes. Split from `normalize.ts`, whose helpers it uses.
 */
import { extractOtpCode } from '../otp';
import {
  ALIASES,
  codeOf,
  describeType,
  findList,
  has,
  isRecord,
  pick,
  pickText,
  pickTime,
  ShapeError,
  smsText,
  toId,
  toText,
  type JsonRecord,
} from './normalize';
import { shortHash } from './hash';
import type { RentalMessage, RentalMessages } from './types';

/** Reads rental-message: `{order_id, number, messages: [...]}`, a bare list of messages, or one message. */
export function normalizeRentalMessages(payload: unknown, orderId: string): RentalMessages {
  if (payload === null) return { orderId, number: null, messages: [] };
  if (Array.isArray(payload)) return { orderId, number: null, messages: readMessages(payload) };
  if (!isRecord(payload)) throw new ShapeError(`expected rental messages, got ${describeType(payload)}`);

  const id = toId(pick(payload, ALIASES.orderId).value);
  const number = toText(pick(payload, ALIASES.number).value);
  const listField = pick(payload, ALIASES.messages);
  let messages: RentalMessage[];
  if (Array.isArray(listField.value)) messages = readMessages(listField.value);
  else if (isRecord(listField.value)) messages = readMessages(messageRecords(listField.value));
  else if (typeof listField.value === 'string' || has(payload, ALIASES.code) || isMessageObject(payload)) {
    // A single message spread over the top-level object, as in the guide's
    // webhook payload `{number_id, from, message, received_at}`.
    messages = readMessages([payload]);
  } else if (listField.present || id !== null || number !== null) {
    messages = [];
  } else {
    throw new ShapeError('the rental messages carry no list, order id or number');
  }
  return { orderId: id ?? orderId, number, messages };
}

/**
 * One message object carries its text and a sender or a time. Text alone is
 * not enough: a success body may carry a `message` that is the server's
 * sentence ("No messages yet"), not an SMS.
 */
function isMessageObject(record: JsonRecord): boolean {
  return typeof pick(record, ALIASES.messageText).value === 'string' && (has(record, ALIASES.messageFrom) || has(record, ALIASES.receivedAt));
}

/** The messages under a `messages` object: a list inside it, a map of messages keyed by id, or one message. */
function messageRecords(value: JsonRecord): unknown[] {
  const inner = findList(value);
  if (inner) return inner;
  if (isMessageObject(value) || has(value, ALIASES.code)) return [value];
  const entries = Object.entries(value);
  if (entries.length > 0 && entries.every(([, v]) => isRecord(v))) {
    return entries.map(([key, v]) => (has(v as JsonRecord, ALIASES.messageId) ? v : { id: key, ...(v as JsonRecord) }));
  }
  return [value];
}

function readMessages(items: unknown[]): RentalMessage[] {
  const out: RentalMessage[] = [];
  items.forEach((item, index) => {
    if (typeof item === 'string') {
      if (item.trim() !== '') out.push({ id: String(index), from: null, text: item, code: extractOtpCode(item), receivedAt: null });
      return;
    }
    if (!isRecord(item)) throw new ShapeError(`a rental message is ${describeType(item)}`);
    const text = smsText(pick(item, ALIASES.messageText).value);
    const code = codeOf(item, text);
    if (text === null && code === null) return;
    const receivedAt = pickTime(item, ALIASES.receivedAt);
    const from = pickText(item, ALIASES.messageFrom);
    out.push({
      id: toId(pick(item, ALIASES.messageId).value) ?? contentId(receivedAt, from, text ?? code ?? '', index),
      from,
      text: text ?? '',
      code,
      receivedAt,
    });
  });
  return out;
}

/**
 * An id for a message the server sent without one, made from what it says
 * and when, so the same message gets the same id on every poll whatever its
 * place in the list (a list may be newest first, or hold only the latest
 * message). Without a time, the place in the list tells a resent text apart.
 */
function contentId(receivedAt: number | null, from: string | null, text: string, index: number): string {
  return `m${shortHash(`${receivedAt ?? `#${index}`}|${from ?? ''}|${text}`)}`;
}
