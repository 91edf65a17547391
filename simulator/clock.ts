/**
 * The simulator's clock: real time plus an offset that the control API can
 * only move forward. Order status is always computed from this clock, so
 * advancing it expires orders, ends the 60-second reject lock and moves the
 * `Date` header, without any test having to wait.
 */
export class SimClock {
  private offsetMs = 0;

  /** Simulated time in epoch milliseconds. */
  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Moves the clock forward by `ms`; returns the new simulated time. */
  advance(ms: number): number {
    this.offsetMs += ms;
    return this.now();
  }

  /** How far the simulated clock runs ahead of the real one. */
  get offset(): number {
    return this.offsetMs;
  }

  reset(): void {
    this.offsetMs = 0;
  }
}

/** ISO 8601 UTC, the canonical time format of the API. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
