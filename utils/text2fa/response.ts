/**
 * From an HTTP answer (status, body text, a few headers) to either a
 * normalised result or a `Text2faError`. Pure: no I/O, the clock is passed in.
 */
import {
  BODY_SNIPPET_LENGTH,
  createText2faError,
  defaultMessage,
  redactSecret,
  type Text2faError,
  type Text2faErrorInit,
} from './errors';
import { bodySignalsFailure, isRecord, ShapeError, toNumber, unwrapEnvelope, type JsonRecord } from './normalize';
import type { ConflictReason, Text2faEndpoint, Text2faErrorKind } from './types';

/** What the client read from one HTTP answer. */
export interface RawResponse {
  endpoint: Text2faEndpoint;
  status: number;
  body: string;
  /** The `Retry-After` header, if any. */
  retryAfter?: string | null;
}

/** Everything `interpretResponse` needs besides the answer. */
export interface InterpretContext {
  /** Local time (epoch ms) the answer arrived, for `Retry-After` dates. */
  now: number;
  /** The API token, only so that it can be redacted from errors. */
  token?: string;
  /** Told what was wrong when an answer cannot be understood (before the `malformed` error is thrown). */
  onMalformed?(detail: string): void;
}

/** The result of reading a body as JSON. */
export type ParsedBody =
  | { ok: true; value: unknown }
  | { ok: false; problem: 'empty' | 'html' | 'invalid_json'; detail: string };

/** Reads a body as JSON, telling an empty body, an HTML page and broken JSON apart. */
export function parseBody(text: string): ParsedBody {
  const s = text.replace(/^\uFEFF/, '').trim();
  if (s === '') return { ok: false, problem: 'empty', detail: 'the answer was empty' };
  if (s.startsWith('<')) return { ok: false, problem: 'html', detail: 'the answer was a web page, not data' };
  try {
    return { ok: true, value: JSON.parse(s) as unknown };
  } catch {
    return { ok: false, problem: 'invalid_json', detail: 'the answer was not valid JSON (possibly cut off)' };
  }
}

/** The first characters of a body, with the token removed, for bug reports. */
export function bodySnippet(body: string, token?: string): string {
  // Redact before cutting so that a token straddling the cut cannot survive in part.
  return redactSecret(body, token).slice(0, BODY_SNIPPET_LENGTH);
}

/**
 * `Retry-After` as milliseconds from `now`: delta-seconds or an HTTP-date.
 * Undefined when absent or unreadable; never negative.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value == null) return undefined;
  const s = value.trim();
  if (s === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const t = Date.parse(s);
  if (!Number.isFinite(t)) return undefined;
  return Math.max(0, t - now);
}

/** The error kind an HTTP status stands for; null for 2xx. */
export function kindForStatus(status: number): Text2faErrorKind | null {
  if (status >= 200 && status < 300) return null;
  switch (status) {
    case 401:
      return 'unauthorized';
    case 402:
      return 'insufficient_balance';
    case 404:
      return 'not_found';
    case 409:
      return 'conflict';
    case 422:
      return 'validation';
    case 429:
      return 'rate_limited';
    case 503:
      return 'unavailable';
  }
  return status >= 500 && status < 600 ? 'server' : 'http';
}

/** What an error body says, in whatever words it uses. */
export interface ErrorDetails {
  message?: string;
  reason?: ConflictReason;
  fieldErrors?: Record<string, string[]>;
  /** An HTTP-like status written in the body (`"code": 402`), for errors sent under HTTP 200. */
  bodyStatus?: number;
  retryAfterSeconds?: number;
}

/** Extracts message, conflict reason, field errors and an embedded status from an error body. */
export function readErrorDetails(body: unknown): ErrorDetails {
  const out: ErrorDetails = {};
  if (!isRecord(body)) return out;
  const message = findMessage(body);
  if (message !== undefined) out.message = message;

  const fieldErrors = readFieldErrors(body.errors);
  if (fieldErrors) out.fieldErrors = fieldErrors;

  for (const key of ['reason', 'error_code', 'errorCode', 'code', 'error']) {
    const r = conflictReasonWord(body[key]);
    if (r) {
      out.reason = r;
      break;
    }
  }
  for (const key of ['code', 'status_code', 'statusCode', 'http_code', 'error_code']) {
    const n = toNumber(body[key]);
    if (n !== null && Number.isInteger(n) && n >= 400 && n < 600) {
      out.bodyStatus = n;
      break;
    }
  }
  const retry = toNumber(body.retry_after ?? body.retryAfter);
  if (retry !== null && retry >= 0) out.retryAfterSeconds = retry;
  return out;
}

function findMessage(body: JsonRecord): string | undefined {
  for (const key of ['message', 'error', 'msg', 'detail', 'error_message', 'errorMessage', 'description', 'errors']) {
    const v = body[key];
    if (typeof v === 'string' && v.trim() !== '') return v;
    if (isRecord(v)) {
      const inner = findMessage(v);
      if (inner !== undefined) return inner;
    }
    if (Array.isArray(v)) {
      const first = v.find((x): x is string => typeof x === 'string' && x.trim() !== '');
      if (first !== undefined) return first;
    }
  }
  return undefined;
}

function readFieldErrors(value: unknown): Record<string, string[]> | undefined {
  if (!isRecord(value)) return undefined;
  const out: Record<string, string[]> = {};
  for (const [field, v] of Object.entries(value)) {
    const list = Array.isArray(v) ? v : [v];
    const msgs = list.filter((x): x is string => typeof x === 'string' && x.trim() !== '');
    if (msgs.length > 0) out[field] = msgs;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function conflictReasonWord(value: unknown): ConflictReason | null {
  if (typeof value !== 'string') return null;
  const w = value.trim().toLowerCase().replace(/[\s-]+/g, '_');
  if (['code_received', 'sms_received', 'already_received', 'code_already_received'].includes(w)) return 'code_received';
  if (['too_early', 'too_soon', 'wait', 'not_yet'].includes(w)) return 'too_early';
  return null;
}

/** A 409's reason from a server that only wrote a sentence. */
export function conflictReasonFromMessage(message: string | undefined): ConflictReason {
  if (!message) return 'unknown';
  if (/\b(code|sms|message)\b.*\b(already|has been|was)?\s*(received|arrived|delivered)\b/i.test(message) ||
      /\balready\s+(received|got)\b/i.test(message)) {
    return 'code_received';
  }
  const unit = String.raw`\s*(s|secs?|seconds?|mins?|minutes?)\b`;
  if (
    /too\s+(early|soon)|not\s+yet|wait\s+(at\s+least\s+)?\d+|try again in \d+/i.test(message) ||
    new RegExp(String.raw`after\s+\d+${unit}|\d+${unit}\s+after`, 'i').test(message)
  ) {
    return 'too_early';
  }
  return 'unknown';
}

/**
 * The kind an error sent under HTTP 200 stands for, from its words. Null
 * when nothing matches (the caller then says `server`). Order matters: the
 * more specific meanings are tried first.
 */
export function kindFromMessage(message: string | undefined): Text2faErrorKind | null {
  if (!message) return null;
  const m = message.toLowerCase();
  if (/unauthori[sz]ed|unauthenticated|forbidden|invalid\s+(api\s+)?(token|key)|(token|api key)\s+(is\s+)?(invalid|missing|expired|required)|authenticat/.test(m)) {
    return 'unauthorized';
  }
  if (/insufficient|not enough (balance|funds|credit)|low balance|balance is too low|top.?up/.test(m)) return 'insufficient_balance';
  if (/too many requests|rate.?limit|throttl|slow down/.test(m)) return 'rate_limited';
  if (conflictReasonFromMessage(message) !== 'unknown' || /cannot be (rejected|cancell?ed)|not allowed in/.test(m)) return 'conflict';
  if (/not found|does ?n[o']t exist|no such|unknown order|invalid order/.test(m)) return 'not_found';
  if (/no (numbers?|stock)|out of stock|sold out|not available|unavailable/.test(m)) return 'unavailable';
  if (/required|must be|is invalid|validation/.test(m)) return 'validation';
  return null;
}

/** A server's sentence made safe to show: tags removed, whitespace collapsed, length capped. */
export function cleanServerMessage(message: string | undefined, token?: string): string | undefined {
  if (message === undefined) return undefined;
  let s = redactSecret(message, token).replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  if (s === '') return undefined;
  if (s.length > 200) s = s.slice(0, 199).trimEnd() + '…';
  return s;
}

function sentence(s: string): string {
  return /[.!?…]$/.test(s) ? s : s + '.';
}

/** True for endpoints that obtain a number, where a 503 means "none in stock". */
export function isPurchaseEndpoint(endpoint: string): boolean {
  return endpoint.startsWith('request-') || endpoint.startsWith('reuse-');
}

/**
 * Builds the error for a failed answer: `httpStatus` is the real status,
 * `kind` what the status or the body said.
 */
function errorFromDetails(
  res: RawResponse,
  kind: Text2faErrorKind,
  details: ErrorDetails,
  ctx: InterpretContext,
): Text2faError {
  const serverMessage = cleanServerMessage(details.message, ctx.token);
  const init: Text2faErrorInit = {
    kind,
    status: res.status,
    endpoint: res.endpoint,
    message: '',
    bodySnippet: bodySnippet(res.body, ctx.token),
  };
  if (serverMessage !== undefined) init.serverMessage = serverMessage;

  if (kind === 'conflict') init.reason = details.reason ?? conflictReasonFromMessage(serverMessage);
  if (details.fieldErrors && (kind === 'validation' || kind === 'http')) init.fieldErrors = details.fieldErrors;
  // A 429 says when to come back; so may a 409 "too early" (the simulator sends `retry_after`).
  if (kind === 'rate_limited' || (kind === 'conflict' && init.reason === 'too_early')) {
    const ms =
      parseRetryAfter(res.retryAfter, ctx.now) ??
      (details.retryAfterSeconds !== undefined ? Math.round(details.retryAfterSeconds * 1000) : undefined);
    if (ms !== undefined) init.retryAfterMs = ms;
  }

  const base = defaultMessage(kind, {
    status: res.status,
    ...(init.reason !== undefined ? { reason: init.reason } : {}),
    ...(init.retryAfterMs !== undefined ? { retryAfterMs: init.retryAfterMs } : {}),
    purchase: isPurchaseEndpoint(res.endpoint),
  });
  if (kind === 'validation' && (init.fieldErrors || serverMessage)) {
    const parts = init.fieldErrors
      ? Object.values(init.fieldErrors).flatMap((msgs) => msgs.slice(0, 1)).map((m) => sentence(cleanServerMessage(m, ctx.token) ?? ''))
      : [sentence(serverMessage ?? '')];
    init.message = `Text2FA rejected the request: ${parts.join(' ')}`;
  } else if (serverMessage && (kind === 'server' || kind === 'http' || (kind === 'conflict' && init.reason === 'unknown'))) {
    // Here the server's words carry what the kind alone cannot.
    init.message = `${base} Text2FA said: “${serverMessage}”`;
  } else {
    init.message = base;
  }
  return createText2faError(init, ctx.token);
}

/** A `malformed` error for an answer that could not be read. */
export function malformedError(res: RawResponse, detail: string, ctx: InterpretContext): Text2faError {
  return createText2faError(
    {
      kind: 'malformed',
      status: res.status,
      endpoint: res.endpoint,
      message: `${defaultMessage('malformed', { status: res.status })} (${detail})`,
      bodySnippet: bodySnippet(res.body, ctx.token),
    },
    ctx.token,
  );
}

/**
 * Turns one HTTP answer into the decoded result, or throws a `Text2faError`:
 * non-2xx statuses by their meaning, 2xx bodies that say they failed by their
 * words, and anything unreadable (or that `decode` rejects) as `malformed`.
 */
export function interpretResponse<T>(res: RawResponse, decode: (payload: unknown) => T, ctx: InterpretContext): T {
  const parsed = parseBody(res.body);
  const statusKind = kindForStatus(res.status);

  if (statusKind !== null) {
    const details = parsed.ok ? readErrorDetails(parsed.value) : {};
    // A 400 that lists field errors is a validation failure under another number.
    const kind = statusKind === 'http' && res.status === 400 && details.fieldErrors ? 'validation' : statusKind;
    throw errorFromDetails(res, kind, details, ctx);
  }

  let payload: unknown;
  if (parsed.ok) {
    if (bodySignalsFailure(parsed.value)) {
      const details = readErrorDetails(parsed.value);
      const kind =
        (details.bodyStatus !== undefined ? kindForStatus(details.bodyStatus) : null) ??
        (details.reason ? 'conflict' : null) ??
        (details.fieldErrors ? 'validation' : null) ??
        kindFromMessage(details.message) ??
        'server';
      throw errorFromDetails(res, kind, details, ctx);
    }
    payload = unwrapEnvelope(parsed.value);
  } else if (parsed.problem === 'empty' && res.status === 204) {
    // "No Content" is a legitimate success for actions; the reader decides.
    payload = null;
  } else {
    throw unreadable(res, parsed.detail, ctx);
  }

  try {
    return decode(payload);
  } catch (err) {
    const detail = err instanceof ShapeError ? err.message : 'its content could not be read';
    throw unreadable(res, detail, ctx);
  }
}

/** Tells the observer, then builds the `malformed` error. */
function unreadable(res: RawResponse, detail: string, ctx: InterpretContext): Text2faError {
  try {
    ctx.onMalformed?.(detail);
  } catch {
    // An observer's bug must not change the error the caller gets.
  }
  return malformedError(res, detail, ctx);
}
