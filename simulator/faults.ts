/**
 * Injected failures. A fault is queued through the control API and consumed
 * by the next matching API requests, so a client test can stage exactly the
 * failure it wants to prove it survives: a rate limit, a broken proxy, a lost
 * answer after a purchase went through.
 */
import { isEndpointName, type EndpointName } from './endpoint-names';

export const FAULT_KINDS = [
  '429',
  '500',
  '503',
  'malformed',
  'html',
  'empty',
  'error-200',
  'slow',
  'drop',
  'drop-after',
  'custom',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * Faults whose request still runs normally; only the answer is delayed or
 * lost. Every other fault replaces the request: nothing is bought or changed.
 */
export const PROCESSING_FAULTS: ReadonlySet<FaultKind> = new Set<FaultKind>(['slow', 'drop-after']);

/** `slow` answers after this long unless `delayMs` says otherwise: longer than a client's 15 s timeout. */
export const DEFAULT_SLOW_DELAY_MS = 20_000;
export const DEFAULT_RETRY_AFTER = '2';
const MAX_DELAY_MS = 10 * 60 * 1000;
const MAX_CUSTOM_BODY = 64 * 1024;

export interface QueuedFault {
  fault: FaultKind;
  /** Matching requests still to be hit. */
  remaining: number;
  /** Only requests to this endpoint match; any endpoint when absent. */
  endpoint: EndpointName | null;
  retryAfter: string | null;
  delayMs: number | null;
  /** `custom` only: the body to answer with, verbatim, and its HTTP status. */
  body: string | null;
  status: number | null;
}

/** The fault applied to one request. */
export interface AppliedFault {
  fault: FaultKind;
  retryAfter: string | null;
  /** Milliseconds to wait before answering (or dropping). */
  delayMs: number;
  body: string | null;
  status: number | null;
}

/** Validates a control-API fault request; returns the fault or an error message. */
export function parseFault(input: Record<string, unknown>): QueuedFault | string {
  const { fault, count, endpoint, retryAfter, delayMs, body, status } = input;
  const kind = typeof fault === 'number' ? String(fault) : fault;
  if (typeof kind !== 'string' || !(FAULT_KINDS as readonly string[]).includes(kind)) {
    return `"fault" must be one of ${FAULT_KINDS.join(', ')}`;
  }
  if (count !== undefined && (typeof count !== 'number' || !Number.isInteger(count) || count < 1)) {
    return '"count" must be a positive integer';
  }
  if (endpoint !== undefined && endpoint !== null && (typeof endpoint !== 'string' || !isEndpointName(endpoint))) {
    return `"endpoint" must be one of the API endpoint names, e.g. "number-details-s1"`;
  }
  if (retryAfter !== undefined && retryAfter !== null && typeof retryAfter !== 'string' && typeof retryAfter !== 'number') {
    return '"retryAfter" must be a string such as "3" or an HTTP-date';
  }
  if (
    delayMs !== undefined &&
    delayMs !== null &&
    (typeof delayMs !== 'number' || !Number.isFinite(delayMs) || delayMs < 0 || delayMs > MAX_DELAY_MS)
  ) {
    return `"delayMs" must be a number of milliseconds between 0 and ${MAX_DELAY_MS}`;
  }
  if (kind === 'custom' && (typeof body !== 'string' || body.length > MAX_CUSTOM_BODY)) {
    return `"custom" needs "body": the answer's text, at most ${MAX_CUSTOM_BODY} characters`;
  }
  if (kind !== 'custom' && (body !== undefined || status !== undefined)) return '"body" and "status" go only with "custom"';
  if (status !== undefined && (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599)) {
    return '"status" must be an HTTP status from 200 to 599';
  }
  return {
    fault: kind as FaultKind,
    body: typeof body === 'string' ? body : null,
    status: typeof status === 'number' ? status : kind === 'custom' ? 200 : null,
    remaining: typeof count === 'number' ? count : 1,
    endpoint: typeof endpoint === 'string' && isEndpointName(endpoint) ? endpoint : null,
    retryAfter: retryAfter === undefined || retryAfter === null ? null : String(retryAfter),
    delayMs: typeof delayMs === 'number' ? delayMs : null,
  };
}

/** Queued faults, used oldest first by the requests they match. */
export class FaultQueue {
  private queue: QueuedFault[] = [];

  add(fault: QueuedFault): void {
    this.queue.push(fault);
  }

  /** Consumes one use of the oldest fault matching this endpoint, if any. */
  take(endpoint: EndpointName): AppliedFault | null {
    const index = this.queue.findIndex((fault) => fault.endpoint === null || fault.endpoint === endpoint);
    const fault = this.queue[index];
    if (!fault) return null;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.queue.splice(index, 1);
    return {
      fault: fault.fault,
      body: fault.body,
      status: fault.status,
      retryAfter: fault.retryAfter,
      delayMs: fault.delayMs ?? (fault.fault === 'slow' ? DEFAULT_SLOW_DELAY_MS : 0),
    };
  }

  list(): QueuedFault[] {
    return this.queue.map((fault) => ({ ...fault }));
  }

  clear(): void {
    this.queue = [];
  }
}
