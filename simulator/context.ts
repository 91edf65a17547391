/**
 * Everything one running simulator owns. Passed to the API and control
 * handlers explicitly, so that several simulators (one per test file) can
 * run in the same process without sharing anything.
 */
import type { ServerResponse } from 'node:http';
import { SimClock } from './clock';
import { Counters } from './counters';
import { FaultQueue } from './faults';
import type { ShapeVariant } from './shapes';

/**
 * Which `Authorization` form the API accepts: the raw token (the official
 * documentation, the default) or only `Bearer <token>` (a third-party guide).
 */
export const AUTH_MODES = ['raw', 'bearer'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];
import { SimState } from './state';

/** One simulator's state, clock, counters, faults and active shape. */
export class SimContext {
  readonly clock = new SimClock();
  readonly counters = new Counters();
  readonly faults = new FaultQueue();
  readonly state: SimState;
  /** Active shape variants; empty means canonical. */
  shape = new Set<ShapeVariant>();
  auth: AuthMode = 'raw';
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(demoBalanceCents: number) {
    this.state = new SimState(this.clock, this.counters, demoBalanceCents);
  }

  /** Everything back to the start: orders, accounts, stock, counters, faults, shape, auth form, clock. */
  reset(): void {
    this.clock.reset();
    this.counters.reset();
    this.faults.clear();
    this.shape = new Set();
    this.auth = 'raw';
    this.state.reset();
  }

  /**
   * Runs `fn` after `ms`, or at once when `ms` is 0. The timer is dropped if
   * the client goes away first, and `cancelTimers` drops all of them, so a
   * pending `slow` answer never keeps a closing server alive.
   */
  later(res: ServerResponse, ms: number, fn: () => void): void {
    if (ms <= 0) {
      fn();
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
    res.once('close', () => {
      clearTimeout(timer);
      this.timers.delete(timer);
    });
  }

  cancelTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
