/**
 * The one error type the Text2FA client throws, plus helpers to describe,
 * classify, serialise and revive it.
 *
 * Every string that reaches an error passes through `redactSecret` first: the
 * server may echo the token in a message or a body, and errors travel to the
 * UI, to storage and to bug reports.
 */
import type { ConflictReason, Text2faErrorKind } from './types';

const KINDS: readonly Text2faErrorKind[] = [
  'unauthorized',
  'insufficient_balance',
  'not_found',
  'conflict',
  'validation',
  'rate_limited',
  'unavailable',
  'server',
  'http',
  'network',
  'timeout',
  'malformed',
];

const REASONS: readonly ConflictReason[] = ['code_received', 'too_early', 'unknown'];

/** How many characters of a response body an error keeps for a bug report. */
export const BODY_SNIPPET_LENGTH = 300;

/** The fields an error is built from. */
export interface Text2faErrorInit {
  kind: Text2faErrorKind;
  /** HTTP status, or null when there was no HTTP answer (network, timeout, local checks). */
  status: number | null;
  /** User-facing sentence. */
  message: string;
  /** Endpoint name such as `number-details-s1`. */
  endpoint: string;
  reason?: ConflictReason;
  fieldErrors?: Record<string, string[]>;
  /** How long to wait before trying again: from a 429's `Retry-After`, or a 409 `too_early`. */
  retryAfterMs?: number;
  bodySnippet?: string;
  /** The server's own words, when it gave any (already shown inside `message` where useful). */
  serverMessage?: string;
}

/** The plain-object form of a `Text2faError`, safe for `postMessage` and storage. */
export interface Text2faErrorJSON extends Text2faErrorInit {
  name: 'Text2faError';
}

/** The error every client method rejects with. */
export class Text2faError extends Error {
  override readonly name = 'Text2faError' as const;
  readonly kind: Text2faErrorKind;
  readonly status: number | null;
  readonly endpoint: string;
  readonly reason?: ConflictReason;
  readonly fieldErrors?: Record<string, string[]>;
  readonly retryAfterMs?: number;
  readonly bodySnippet?: string;
  readonly serverMessage?: string;

  /** Prefer `createText2faError`, which also redacts the token from every field. */
  constructor(init: Text2faErrorInit) {
    super(init.message);
    this.kind = init.kind;
    this.status = init.status;
    this.endpoint = init.endpoint;
    // Optional fields are only set when present so that toJSON and equality
    // checks do not carry `undefined` keys around.
    if (init.reason !== undefined) this.reason = init.reason;
    if (init.fieldErrors !== undefined) this.fieldErrors = init.fieldErrors;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.bodySnippet !== undefined) this.bodySnippet = init.bodySnippet;
    if (init.serverMessage !== undefined) this.serverMessage = init.serverMessage;
  }

  /** A structured-clone-safe copy (no stack, no functions). */
  toJSON(): Text2faErrorJSON {
    const json: Text2faErrorJSON = {
      name: 'Text2faError',
      kind: this.kind,
      status: this.status,
      message: this.message,
      endpoint: this.endpoint,
    };
    if (this.reason !== undefined) json.reason = this.reason;
    if (this.fieldErrors !== undefined) json.fieldErrors = cloneFieldErrors(this.fieldErrors);
    if (this.retryAfterMs !== undefined) json.retryAfterMs = this.retryAfterMs;
    if (this.bodySnippet !== undefined) json.bodySnippet = this.bodySnippet;
    if (this.serverMessage !== undefined) json.serverMessage = this.serverMessage;
    return json;
  }

  /**
   * Revives an error from its `toJSON()` form (for example after crossing the
   * extension's message channel). Anything that is not such a form, or has
   * bad fields, still gives a usable error rather than throwing.
   */
  static fromJSON(value: unknown): Text2faError {
    if (!isRecord(value)) {
      return new Text2faError({
        kind: 'malformed',
        status: null,
        message: 'An unknown error was reported.',
        endpoint: '',
      });
    }
    const kind = KINDS.includes(value.kind as Text2faErrorKind)
      ? (value.kind as Text2faErrorKind)
      : 'http';
    const init: Text2faErrorInit = {
      kind,
      status: typeof value.status === 'number' && Number.isFinite(value.status) ? value.status : null,
      message:
        typeof value.message === 'string' && value.message !== ''
          ? value.message
          : defaultMessage(kind, {}),
      endpoint: typeof value.endpoint === 'string' ? value.endpoint : '',
    };
    if (REASONS.includes(value.reason as ConflictReason)) init.reason = value.reason as ConflictReason;
    const fieldErrors = readFieldErrors(value.fieldErrors);
    if (fieldErrors) init.fieldErrors = fieldErrors;
    if (typeof value.retryAfterMs === 'number' && Number.isFinite(value.retryAfterMs)) {
      init.retryAfterMs = value.retryAfterMs;
    }
    if (typeof value.bodySnippet === 'string') init.bodySnippet = value.bodySnippet;
    if (typeof value.serverMessage === 'string') init.serverMessage = value.serverMessage;
    return new Text2faError(init);
  }
}

// On the prototype as well, so that the stack trace captured inside `super()`
// (before the field above exists) already says Text2faError.
Object.defineProperty(Text2faError.prototype, 'name', { value: 'Text2faError', configurable: true, writable: true });

/**
 * Builds a `Text2faError`, removing `secret` (the API token) from every
 * string first, including the message the stack trace is made from.
 */
export function createText2faError(init: Text2faErrorInit, secret?: string): Text2faError {
  const r = (s: string) => redactSecret(s, secret);
  const clean: Text2faErrorInit = { ...init, message: r(init.message), endpoint: r(init.endpoint) };
  if (init.bodySnippet !== undefined) clean.bodySnippet = r(init.bodySnippet);
  if (init.serverMessage !== undefined) clean.serverMessage = r(init.serverMessage);
  if (init.fieldErrors !== undefined) {
    const fe: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(init.fieldErrors)) fe[r(k)] = v.map(r);
    clean.fieldErrors = fe;
  }
  return new Text2faError(clean);
}

/** True for a `Text2faError`, also one from another realm (same name and a known kind). */
export function isText2faError(value: unknown): value is Text2faError {
  if (value instanceof Text2faError) return true;
  return (
    value instanceof Error &&
    value.name === 'Text2faError' &&
    KINDS.includes((value as { kind?: unknown }).kind as Text2faErrorKind)
  );
}

/** True for the plain-object form produced by `Text2faError#toJSON`. */
export function isText2faErrorJSON(value: unknown): value is Text2faErrorJSON {
  return (
    isRecord(value) &&
    value.name === 'Text2faError' &&
    KINDS.includes(value.kind as Text2faErrorKind) &&
    typeof value.message === 'string'
  );
}

/**
 * A sentence a UI can show for any thrown value: a client error (live or
 * serialised) gives its own message; anything else gives a generic sentence,
 * because a foreign error's text is neither user-facing nor known to be free
 * of secrets.
 */
export function describeError(err: unknown): string {
  if (isText2faError(err) || isText2faErrorJSON(err)) return err.message;
  if (err instanceof Error && err.name === 'AbortError') return 'The request was cancelled.';
  return 'Something went wrong. Please try again.';
}

/**
 * True when the same request may succeed if simply sent again later
 * (network trouble, timeout, rate limit, a 5xx). A retried purchase after a
 * `timeout` or `network` error may buy a second number: the caller must check
 * the reserved list before repeating a POST.
 */
export function isRetryable(err: unknown): boolean {
  const kind = errorKind(err);
  return kind === 'network' || kind === 'timeout' || kind === 'rate_limited' || kind === 'server';
}

/** The kind of a client error (live or serialised), or null for anything else. */
export function errorKind(err: unknown): Text2faErrorKind | null {
  if (isText2faError(err) || isText2faErrorJSON(err)) return err.kind;
  return null;
}

/**
 * Replaces every occurrence of `secret` (raw, URL-encoded and JSON-escaped,
 * since a server may echo it in any of these) with `[redacted]`.
 */
export function redactSecret(text: string, secret: string | undefined): string {
  if (!secret) return text;
  let out = text;
  const forms = new Set<string>([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]);
  // Form-encoding differs from encodeURIComponent only in spaces.
  forms.add(encodeURIComponent(secret).replace(/%20/g, '+'));
  for (const form of forms) {
    if (form !== '') out = out.split(form).join('[redacted]');
  }
  return out;
}

/** Context for default messages. */
export interface MessageContext {
  status?: number | null;
  reason?: ConflictReason;
  retryAfterMs?: number;
  timeoutMs?: number;
  /** True when the failing call tried to obtain a number (a 503 then means "no stock"). */
  purchase?: boolean;
}

/** The client's own sentence for each kind, used when the server's words are missing or unsuitable. */
export function defaultMessage(kind: Text2faErrorKind, ctx: MessageContext): string {
  const http = ctx.status != null ? ` (HTTP ${ctx.status})` : '';
  switch (kind) {
    case 'unauthorized':
      return 'Text2FA did not accept the API token. Check the token in the extension settings.';
    case 'insufficient_balance':
      return 'Your Text2FA balance is too low for this. Top up your account and try again.';
    case 'not_found':
      return 'Text2FA does not know this order. It may have expired or been removed.';
    case 'conflict':
      if (ctx.reason === 'code_received') {
        return 'A code has already arrived for this number, so it can no longer be rejected.';
      }
      if (ctx.reason === 'too_early') {
        return 'It is too early for this: Text2FA only allows it a little later. Try again in a minute.';
      }
      return 'Text2FA does not allow this for the order in its current state.';
    case 'validation':
      return 'Text2FA rejected the request as invalid.';
    case 'rate_limited': {
      if (ctx.retryAfterMs !== undefined) {
        const s = Math.max(1, Math.ceil(ctx.retryAfterMs / 1000));
        return `Too many requests to Text2FA. Try again in ${s} second${s === 1 ? '' : 's'}.`;
      }
      return 'Too many requests to Text2FA. Wait a moment and try again.';
    }
    case 'unavailable':
      return ctx.purchase
        ? 'No numbers are available for this service right now. Try again later or pick another service.'
        : 'Text2FA is temporarily unavailable. Try again in a few minutes.';
    case 'server':
      return `Text2FA had a problem on its side${http}. Try again in a moment.`;
    case 'http':
      return `Text2FA answered with an unexpected error${http}.`;
    case 'network':
      return 'Could not reach Text2FA. Check your internet connection and try again.';
    case 'timeout': {
      const s = ctx.timeoutMs !== undefined ? Math.round(ctx.timeoutMs / 1000) : null;
      return s
        ? `Text2FA did not answer within ${s} second${s === 1 ? '' : 's'}. Try again.`
        : 'Text2FA did not answer in time. Try again.';
    }
    case 'malformed':
      return `Text2FA sent an answer the extension could not understand${http}. A redacted copy is kept in the options, under “Problems with Text2FA answers”, for you to report.`;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function cloneFieldErrors(fe: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(fe)) out[k] = [...v];
  return out;
}

function readFieldErrors(value: unknown): Record<string, string[]> | undefined {
  if (!isRecord(value)) return undefined;
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(value)) {
    if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === 'string');
    else if (typeof v === 'string') out[k] = [v];
  }
  return out;
}
