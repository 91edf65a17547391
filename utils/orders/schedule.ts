/**
 * When to ask the server again. Pure arithmetic, so the polling rules
 * (fast at first, then backing off; a global request cap; exponential
 * backoff with full jitter; Retry-After) are tested without timers.
 */

export interface PollPolicy {
  /** Interval while an order is young: codes usually arrive in the first minutes. */
  fastIntervalMs: number;
  fastWindowMs: number;
  midIntervalMs: number;
  midWindowMs: number;
  /** Interval for older orders, and for orders that already have their code. */
  slowIntervalMs: number;
  /** First retry delay after a failure, doubled per consecutive failure (with full jitter). */
  backoffBaseMs: number;
  backoffMaxMs: number;
}

export const DEFAULT_POLL_POLICY: PollPolicy = {
  fastIntervalMs: 2_000,
  fastWindowMs: 120_000,
  midIntervalMs: 5_000,
  midWindowMs: 600_000,
  slowIntervalMs: 10_000,
  backoffBaseMs: 2_000,
  backoffMaxMs: 60_000,
};

/** How long to wait between two polls of an order of this age. */
export function pollInterval(ageMs: number, policy: PollPolicy = DEFAULT_POLL_POLICY): number {
  if (ageMs < policy.fastWindowMs) return policy.fastIntervalMs;
  if (ageMs < policy.midWindowMs) return policy.midIntervalMs;
  return policy.slowIntervalMs;
}

/**
 * Delay before retrying after `failures` consecutive failures: a uniformly
 * random time up to an exponentially growing ceiling ("full jitter"), so
 * many clients recovering together don't hammer the server in step.
 */
export function backoffDelay(failures: number, random: () => number, policy: PollPolicy = DEFAULT_POLL_POLICY): number {
  const ceiling = Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(random() * ceiling);
}

/**
 * A sliding one-minute window of requests: at most `limit` requests in any
 * 60 s, shared by everything the engine sends.
 */
export class RequestBudget {
  private readonly sent: number[] = [];

  constructor(private limitPerMinute: number) {}

  setLimit(limitPerMinute: number): void {
    this.limitPerMinute = Math.max(1, Math.floor(limitPerMinute));
  }

  private prune(now: number): void {
    while (this.sent.length > 0 && (this.sent[0] ?? 0) <= now - 60_000) this.sent.shift();
  }

  /** Records a request and returns true when one may be sent now. */
  tryTake(now: number): boolean {
    this.prune(now);
    if (this.sent.length >= this.limitPerMinute) return false;
    this.sent.push(now);
    return true;
  }

  /** The earliest time a request may be sent. */
  nextAvailableAt(now: number): number {
    this.prune(now);
    if (this.sent.length < this.limitPerMinute) return now;
    return (this.sent[this.sent.length - this.limitPerMinute] ?? now) + 60_000;
  }

  /** Requests sent in the last minute. */
  used(now: number): number {
    this.prune(now);
    return this.sent.length;
  }
}

/** One thing the engine polls: a pool's list (batched) or one order. */
export interface PollUnit {
  key: string;
  nextAt: number;
  failures: number;
  inFlight: boolean;
  /** When its last request succeeded, so a newly faster interval applies at once. */
  lastSuccessAt: number | null;
}

/**
 * Keeps a `PollUnit` per key: at most one request in flight per unit, the
 * next time each is due, and their failure counts.
 */
export class PollUnits {
  private readonly units = new Map<string, PollUnit>();

  /** Returns the unit, creating it due now. */
  get(key: string, now: number): PollUnit {
    let unit = this.units.get(key);
    if (!unit) {
      unit = { key, nextAt: now, failures: 0, inFlight: false, lastSuccessAt: null };
      this.units.set(key, unit);
    }
    return unit;
  }

  /** Forgets units no longer needed (their orders ended). */
  retain(keys: ReadonlySet<string>): void {
    for (const key of this.units.keys()) if (!keys.has(key)) this.units.delete(key);
  }

  succeeded(key: string, now: number, intervalMs: number): void {
    const unit = this.get(key, now);
    unit.inFlight = false;
    unit.failures = 0;
    unit.lastSuccessAt = now;
    unit.nextAt = now + intervalMs;
  }

  /**
   * When the unit is next due, given the interval its orders need now: an
   * order bought while the unit waited out a slow interval (or while its
   * request was in flight) shortens the wait. A failing unit keeps its backoff.
   */
  dueAt(key: string, now: number, intervalMs: number): number {
    const unit = this.get(key, now);
    if (unit.failures > 0 || unit.lastSuccessAt === null) return unit.nextAt;
    return Math.min(unit.nextAt, unit.lastSuccessAt + intervalMs);
  }

  /** After a failure: wait `retryAfterMs` when the server said, else back off with jitter. */
  failed(key: string, now: number, random: () => number, retryAfterMs?: number, policy?: PollPolicy): void {
    const unit = this.get(key, now);
    unit.inFlight = false;
    unit.failures += 1;
    unit.nextAt = now + (retryAfterMs ?? backoffDelay(unit.failures, random, policy));
  }

  /** Makes a unit due now (for example when the popup opens). */
  hurry(key: string, now: number): void {
    const unit = this.units.get(key);
    if (unit && !unit.inFlight) unit.nextAt = Math.min(unit.nextAt, now);
  }

  all(): PollUnit[] {
    return [...this.units.values()];
  }
}
