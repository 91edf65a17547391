/**
 * Answers the client could not understand, as the user sees and reports
 * them: what the client hands over (`UnreadableAnswer`, token already
 * removed), the redacted entry kept for the report (`AnswerProblem`), and
 * the plain-text report itself. Pure: storage and clocks belong to the caller.
 */
import { shortHash } from './hash';
import { maskProse, redactAnswer } from './redact';
import type { Text2faEndpoint } from './types';

/** Why an answer went into the report. */
export type AnswerProblemKind = 'malformed' | 'unknown_status';

/** An answer the client could not understand, as the client reports it. */
export interface UnreadableAnswer {
  endpoint: Text2faEndpoint;
  /** The HTTP status it came with. */
  status: number;
  kind: AnswerProblemKind;
  /** What was wrong with it, in the client's words ("the answer was not valid JSON"). */
  detail: string;
  /** For `unknown_status`: the status word as the server wrote it. */
  statusWord?: string;
  /** The body as it arrived, with the token already removed by the client. */
  body: string;
}

/** One entry of the problem report: everything in it is already redacted. */
export interface AnswerProblem {
  id: string;
  kind: AnswerProblemKind;
  endpoint: string;
  status: number;
  /** What the extension expected, and what was wrong. */
  expected: string;
  /** The redacted body, cut to `REPORT_BODY_LIMIT` characters. */
  body: string;
  /** The length of the body as it arrived. */
  bodyLength: number;
  /** When it was last seen, and first seen (epoch ms); the same answer again only counts up. */
  at: number;
  firstAt: number;
  count: number;
}

/** The stored report. `statusWords` are the (masked) unknown status words already reported once. */
export interface AnswerProblemLog {
  entries: AnswerProblem[];
  statusWords: string[];
}

/** How many answers the report keeps, newest first. */
export const PROBLEM_LIMIT = 20;
/** How much of a redacted body an entry keeps. */
export const REPORT_BODY_LIMIT = 4000;
/** How much of a body is redacted at all: a longer one is cut first (at a safe place). */
const REDACT_INPUT_LIMIT = 256 * 1024;
/** How many reported status words are remembered. */
const STATUS_WORD_LIMIT = 200;

/** What each endpoint should answer, in a reader's words. */
const EXPECTED: Record<Text2faEndpoint, string> = {
  'account-details': 'the account (name, email, balance, currency)',
  'services-s1': 'a list of S1 services (service_key, name, price, available)',
  'us-states': 'a list of US states (code, name)',
  'request-number-s1': 'the new S1 order (order id, number, price, status)',
  'reuse-number-s1': 'the new S1 order (order id, number, price, status)',
  'reject-number-s1': 'the rejected order (order id, status, refund, balance)',
  'number-details-s1': 'one S1 order (order id, number, status, code, SMS)',
  'reserved-list-s1': 'a list of S1 orders (order id, number, status, code, SMS)',
  'services-s2': 'a list of S2 services (service_key, name, price, available)',
  'request-number-s2': 'the new S2 order (order id, number, price, status)',
  'reject-number-s2': 'the rejected order (order id, status, refund, balance)',
  'number-details-s2': 'one S2 order (order id, number, status, code, SMS)',
  'reserved-list-s2': 'a list of S2 orders (order id, number, status, code, SMS)',
  'rental-service-list': 'a list of rental services (service_key, name, price, durations)',
  'rental-states': 'a list of rental states (code, name)',
  'request-rental-number': 'the new rental (order id, number, price, status)',
  'rental-reserve-list': 'a list of rentals (order id, number, status)',
  'rental-message': "a rental's messages (order id, number, messages)",
  'active-rental-numbers': 'a list of active rentals (order id, number, status)',
  'renew-rental': 'the renewed rental (order id, expires_at, price, balance)',
  'cancel-rental': 'the cancelled rental (order id, status, refund, balance)',
};

/** The known status words, for "what was expected". */
const KNOWN_STATUSES = 'pending, received, completed, expired, rejected, active, cancelled';

/** A status word as it may be stored and shown: masked like prose, at most 40 characters. */
export function maskedStatusWord(word: string): string {
  return maskProse(Array.from(word.trim()).slice(0, 40).join(''));
}

/** A body cut before redaction without leaving part of a number at the cut. */
function boundedInput(body: string): string {
  if (body.length <= REDACT_INPUT_LIMIT) return body;
  return body.slice(0, REDACT_INPUT_LIMIT).replace(/[\p{L}\p{Nd}\s().+\-]+$/u, '');
}

/** Turns what the client reported into a redacted report entry. */
export function toAnswerProblem(answer: UnreadableAnswer, at: number): AnswerProblem {
  const what = EXPECTED[answer.endpoint] ?? 'an answer the extension knows';
  const expected =
    answer.kind === 'unknown_status'
      ? `a known status word (${KNOWN_STATUSES}) in ${what}; got “${maskedStatusWord(answer.statusWord ?? '')}”`
      : `${what}; ${maskProse(answer.detail)}`;
  const redacted = redactAnswer(boundedInput(answer.body), { endpoint: answer.endpoint });
  const chars = Array.from(redacted);
  return {
    id: `${at.toString(36)}-${shortHash(`${answer.endpoint}|${expected}|${redacted}`)}`,
    kind: answer.kind,
    endpoint: answer.endpoint,
    status: answer.status,
    expected,
    body: chars.length > REPORT_BODY_LIMIT ? `${chars.slice(0, REPORT_BODY_LIMIT).join('')}…` : redacted,
    bodyLength: answer.body.length,
    at,
    firstAt: at,
    count: 1,
  };
}

/**
 * The log with one more answer: the same answer as the newest entry only
 * counts up; an unknown status word already reported is left out. Returns
 * null when nothing changes.
 */
export function addAnswerProblem(log: AnswerProblemLog, answer: UnreadableAnswer, at: number): AnswerProblemLog | null {
  let statusWords = log.statusWords;
  if (answer.kind === 'unknown_status') {
    const word = maskedStatusWord(answer.statusWord ?? '');
    if (statusWords.includes(word)) return null;
    statusWords = [...statusWords, word].slice(-STATUS_WORD_LIMIT);
  }
  const entry = toAnswerProblem(answer, at);
  const [newest, ...rest] = log.entries;
  if (newest && newest.endpoint === entry.endpoint && newest.expected === entry.expected && newest.body === entry.body) {
    return { statusWords, entries: [{ ...newest, at, count: newest.count + 1 }, ...rest] };
  }
  return { statusWords, entries: [entry, ...log.entries].slice(0, PROBLEM_LIMIT) };
}

/**
 * The status words in a decoded answer that the client did not know (an
 * order or a list of them, a refund). Empty words (a list without statuses)
 * are not problems.
 */
export function unknownStatusWords(result: unknown): string[] {
  const items = Array.isArray(result) ? result : [result];
  const words = new Set<string>();
  for (const item of items) {
    if (typeof item !== 'object' || item === null) continue;
    const { status, rawStatus } = item as { status?: unknown; rawStatus?: unknown };
    if (status === 'unknown' && typeof rawStatus === 'string' && rawStatus.trim() !== '') words.add(rawStatus);
  }
  return [...words];
}

/** What the plain-text report says about where it came from. */
export interface ReportContext {
  extensionVersion: string;
  browser: string;
  /** When the report was made (epoch ms). */
  now: number;
}

/** "Chrome 156.0.1.2", "Firefox 153.0" or "Edge …" from a user agent; the whole string when none matches. */
export function browserFromUserAgent(userAgent: string): string {
  for (const [name, pattern] of [
    ['Edge', /Edg\/([\d.]+)/],
    ['Firefox', /Firefox\/([\d.]+)/],
    ['Chromium', /Chromium\/([\d.]+)/],
    ['Chrome', /Chrome\/([\d.]+)/],
    ['Safari', /Version\/([\d.]+).*Safari/],
  ] as const) {
    const match = pattern.exec(userAgent);
    if (match) return `${name} ${match[1]}`;
  }
  return userAgent.trim() || 'unknown browser';
}

/** The report as plain text, for the user to paste into a bug report. */
export function formatProblemReport(entries: readonly AnswerProblem[], context: ReportContext): string {
  const lines = [
    'Text2FA extension: answers it could not understand',
    `Extension version: ${context.extensionVersion}`,
    `Browser: ${context.browser}`,
    `Report made: ${new Date(context.now).toISOString()}`,
    'Redacted: no API token; phone numbers keep only their last 2 digits; codes are masked (#); SMS text is cut to 160 characters.',
    '',
  ];
  if (entries.length === 0) lines.push('No problems are recorded.');
  entries.forEach((entry, index) => {
    const seen = entry.count > 1 ? ` (seen ${entry.count} times since ${new Date(entry.firstAt).toISOString()})` : '';
    const cut = entry.bodyLength > entry.body.length ? `, ${entry.bodyLength} characters as received` : '';
    lines.push(
      `#${index + 1} ${new Date(entry.at).toISOString()}${seen}`,
      `Endpoint: ${entry.endpoint} (HTTP ${entry.status})`,
      `Expected: ${entry.expected}`,
      `Body (redacted${cut}):`,
      entry.body === '' ? '(empty)' : entry.body,
      '',
    );
  });
  return lines.join('\n');
}
