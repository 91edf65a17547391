/**
 * Redaction of Text2FA answers for a problem report the user may send to
 * someone. Pure and dependency-free.
 *
 * What leaves here never holds the token (it is replaced by `[redacted]`), a
 * full phone number (every run of 10 or 11 digits, with or without
 * separators and `+`, keeps only its last 2 digits), a code (values of
 * code-like fields are masked whole; in SMS text and other prose every run
 * of 4 or more letters-and-digits that holds a digit is masked, and so are
 * codes split into groups such as `123-456`) or an e-mail address. SMS text
 * is cut to 160 characters. A masked character becomes `#`, so the shape of
 * a value (its length, where its separators are) survives for debugging.
 *
 * JSON, complete or cut off, is redacted in place by a tolerant scanner that
 * knows which key each value belongs to, so the report keeps the server's
 * own layout and types (a masked number stays unquoted). Anything else (an
 * HTML page, plain text) is treated as prose.
 */
import { redactSecret } from './errors';

/** The longest SMS text a report keeps. */
export const SMS_TEXT_LIMIT = 160;

/** What `redactAnswer` may be told. */
export interface RedactOptions {
  /** Strings to remove outright (the API token), in any of the forms a server may echo them. */
  secrets?: readonly string[];
  /** The endpoint that answered: account-details also masks the account holder's name. */
  endpoint?: string;
}

const ALNUM = String.raw`\p{L}\p{Nd}`;
const PHONE_SEPARATORS = String.raw`[\s().\-]`;

/**
 * 10 or 11 digits, each followed by at most two separators, optionally after
 * a `+`, and not inside a longer run of digits.
 */
const PHONE_RUN = new RegExp(String.raw`(?<!\p{Nd})\+?(?:\p{Nd}${PHONE_SEPARATORS}{0,2}){9,10}\p{Nd}(?!\p{Nd})`, 'gu');
/** A code split in groups of 2 to 4 digits by single spaces, dashes or dots (`123-456`, `12 34 56`). */
const SPLIT_CODE = new RegExp(String.raw`(?<![${ALNUM}])\p{Nd}{2,4}(?:[ .\-]\p{Nd}{2,4})+(?![${ALNUM}])`, 'gu');
/** A run of 4 or more letters and digits. */
const ALNUM_RUN = new RegExp(String.raw`[${ALNUM}]{4,}`, 'gu');
const DIGIT = /\p{Nd}/u;
const DIGIT_GLOBAL = /\p{Nd}/gu;
const ALNUM_GLOBAL = new RegExp(`[${ALNUM}]`, 'gu');
const EMAIL = new RegExp(String.raw`[${ALNUM}._%+\-]+@[${ALNUM}\-]+(?:\.[${ALNUM}\-]+)+`, 'gu');

/** Every letter and digit as `#`. */
export function maskAll(text: string): string {
  return text.replace(ALNUM_GLOBAL, '#');
}

/** Every digit but the last two as `#`; separators and anything else stay. */
export function maskKeepLastTwoDigits(text: string): string {
  const total = (text.match(DIGIT_GLOBAL) ?? []).length;
  let seen = 0;
  return text.replace(DIGIT_GLOBAL, (d) => (++seen > total - 2 ? d : '#'));
}

/** Phone-number-like runs (10 or 11 digits) with all but their last two digits masked. */
export function maskPhoneNumbers(text: string): string {
  return text.replace(PHONE_RUN, maskKeepLastTwoDigits);
}

function maskEmails(text: string): string {
  return text.replace(EMAIL, '[email]');
}

/**
 * Prose (SMS text, a server sentence, a web page): phone numbers, e-mail
 * addresses, split codes and every run of 4 or more letters and digits that
 * holds a digit are masked.
 */
export function maskProse(text: string): string {
  const out = maskEmails(maskPhoneNumbers(text));
  return out
    .replace(SPLIT_CODE, (run) => {
      const digits = (run.match(DIGIT_GLOBAL) ?? []).length;
      return digits >= 4 && digits <= 8 ? maskAll(run) : run;
    })
    .replace(ALNUM_RUN, (run) => (DIGIT.test(run) ? maskAll(run) : run));
}

/** SMS text: prose masking, then cut to `SMS_TEXT_LIMIT` characters. */
export function maskSmsText(text: string): string {
  const masked = maskProse(text);
  const chars = Array.from(masked);
  return chars.length > SMS_TEXT_LIMIT ? `${chars.slice(0, SMS_TEXT_LIMIT).join('')}…` : masked;
}

/** What a value is, judged by its key. */
type KeyRole = 'code' | 'phone' | 'sms' | 'personal' | 'other';

/** Keys ending in "code" that name something public, not a one-time code. */
const PUBLIC_CODE_KEYS = new Set([
  'statecode',
  'countrycode',
  'currencycode',
  'areacode',
  'errorcode',
  'statuscode',
  'httpcode',
  'responsecode',
  'servicecode',
  'regioncode',
  'zipcode',
  'postalcode',
  'languagecode',
  'reasoncode',
]);
const PHONE_KEYS = new Set(['number', 'phone', 'phonenumber', 'mdn', 'msisdn', 'mobile', 'tel', 'from', 'sender', 'fromnumber', 'to']);
const SMS_KEYS = new Set(['sms', 'message', 'messages', 'text', 'fullsms', 'body', 'smstext', 'content', 'msg', 'smslist', 'inbox']);
const EMAIL_KEYS = new Set(['email', 'mail', 'emailaddress']);
/** Names of the account holder (only in account answers: elsewhere `name` is a service's). */
const HOLDER_NAME_KEYS = new Set(['name', 'username', 'fullname', 'firstname', 'lastname']);

/**
 * The role of a JSON key, from its letters alone (`sms_code`, `smsCode` and
 * `SMS-CODE` are one key). `account` says the answer describes the account.
 */
export function keyRole(key: string | null, account = false): KeyRole {
  if (key === null) return 'other';
  const k = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (k === 'code' || k === 'pin' || k.endsWith('otp') || k.startsWith('otp') || k.includes('passcode') || k.endsWith('pin')) return 'code';
  if (k.endsWith('code') && !PUBLIC_CODE_KEYS.has(k)) return 'code';
  if (PHONE_KEYS.has(k) || k.includes('phone')) return 'phone';
  if (SMS_KEYS.has(k)) return 'sms';
  if (EMAIL_KEYS.has(k) || (account && HOLDER_NAME_KEYS.has(k))) return 'personal';
  return 'other';
}

/** A string value, redacted for its key. */
function redactString(value: string, key: string | null, account: boolean): string {
  switch (keyRole(key, account)) {
    case 'code':
      return maskAll(value);
    case 'phone':
      return maskProse(maskKeepLastTwoDigits(value));
    case 'sms':
      return maskSmsText(value);
    case 'personal':
      return maskAll(value);
    case 'other':
      // A sentence may be an SMS under a key nobody told us about.
      return /\s/.test(value) ? maskProse(value) : maskEmails(maskPhoneNumbers(value));
  }
}

/** A bare JSON number (as written), redacted for its key. */
function redactNumber(literal: string, key: string | null): string {
  const role = keyRole(key);
  if (role === 'code') return maskAll(literal);
  if (role === 'phone') return maskKeepLastTwoDigits(literal);
  return maskPhoneNumbers(literal);
}

/** Decodes the inside of a JSON string literal (possibly cut off); null when it cannot be read. */
function decodeLiteral(inside: string): string | null {
  // A literal cut off inside an escape loses the broken escape.
  const trimmed = inside.replace(/\\(u[0-9a-fA-F]{0,3})?$/, '');
  try {
    return JSON.parse(`"${trimmed}"`) as string;
  } catch {
    return null;
  }
}

/** Encodes a string back as the inside of a JSON literal. */
function encodeLiteral(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

interface Frame {
  kind: 'object' | 'array';
  /** The key the next value of an object belongs to, or the key an array sits under. */
  key: string | null;
}

/**
 * Redacts JSON text in place, whether or not it is complete: each string and
 * number is redacted for the key it belongs to (values in a list belong to
 * the list's key); keys holding phone numbers are masked too.
 */
export function redactJsonText(text: string, account = false): string {
  const stack: Frame[] = [];
  let out = '';
  let i = 0;
  const currentKey = (): string | null => stack[stack.length - 1]?.key ?? null;

  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const closed = j < text.length;
      const inside = text.slice(i + 1, Math.min(j, text.length));
      const decoded = decodeLiteral(inside);
      const after = text.slice(closed ? j + 1 : text.length).match(/^\s*:/);
      const top = stack[stack.length - 1];
      if (after && top?.kind === 'object') {
        // A key: remembered for the value that follows.
        top.key = decoded;
        out += `"${encodeLiteral(maskPhoneNumbers(decoded ?? inside))}"`;
      } else {
        const redacted = decoded === null ? maskAll(inside) : redactString(decoded, currentKey(), account);
        out += `"${encodeLiteral(redacted)}${closed ? '"' : ''}`;
      }
      i = closed ? j + 1 : text.length;
      continue;
    }
    if (ch === '-' || (ch >= '0' && ch <= '9')) {
      const literal = /^-?[0-9][0-9.eE+\-]*/.exec(text.slice(i))?.[0] ?? ch;
      out += redactNumber(literal, currentKey());
      i += literal.length;
      continue;
    }
    if (ch === '{') stack.push({ kind: 'object', key: null });
    else if (ch === '[') stack.push({ kind: 'array', key: currentKey() });
    else if (ch === '}' || ch === ']') stack.pop();
    else if (ch === ',' && stack[stack.length - 1]?.kind === 'object') stack[stack.length - 1]!.key = null;
    else if (!/[\s:,a-z]/.test(ch)) {
      // Not JSON after all from here on: the rest is prose.
      return out + maskProse(text.slice(i));
    }
    out += ch;
    i++;
  }
  return out;
}

/**
 * An answer body made safe for a report: the secrets removed first, then
 * JSON (complete or cut off) redacted by key, anything else as prose.
 */
export function redactAnswer(body: string, options: RedactOptions = {}): string {
  let text = body;
  for (const secret of options.secrets ?? []) text = redactSecret(text, secret);
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (!start.startsWith('{') && !start.startsWith('[')) return maskProse(text);
  return redactJsonText(text, options.endpoint === 'account-details');
}
