/**
 * A typed client for the simulator's control API (`/__sim/`), shared by unit
 * tests, browser tests, the benchmark and the demo.
 */

export interface SimCounters {
  purchases: number;
  requests: Record<string, number>;
  total: number;
}

export interface SimFault {
  fault: '429' | '500' | '503' | 'malformed' | 'html' | 'empty' | 'error-200' | 'slow' | 'drop' | 'drop-after' | 'custom';
  count?: number;
  endpoint?: string;
  retryAfter?: string;
  delayMs?: number;
  /** `custom` only: the answer's body, verbatim, and its HTTP status (default 200). */
  body?: string;
  status?: number;
}

/** An order as the simulator's `/state` shows it (the fields tests read). */
export interface SimOrder {
  order_id: number;
  status: string;
  pool: string;
  token: string;
  service: string;
  /** When Text2FA made the order (ISO time, the simulator's clock). */
  created_at: string;
}

export class SimControl {
  constructor(private readonly origin: string) {}

  private async call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.origin}/__sim${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`simulator ${method} ${path} failed: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  }

  reset(): Promise<unknown> {
    return this.call('POST', '/reset', {});
  }

  /** Creates a funded account and returns its token. */
  async account(balance: number): Promise<string> {
    return (await this.call<{ token: string }>('POST', '/accounts', { balance })).token;
  }

  sms(target: { order_id?: number; number?: string; text: string; code?: string | null; from?: string }): Promise<unknown> {
    return this.call('POST', '/sms', target);
  }

  clock(advanceMs: number): Promise<unknown> {
    return this.call('POST', '/clock', { advanceMs });
  }

  counters(): Promise<SimCounters> {
    return this.call('GET', '/counters');
  }

  resetCounters(): Promise<unknown> {
    return this.call('POST', '/counters/reset', {});
  }

  /** Which `Authorization` form the API accepts: the raw token (default) or only `Bearer <token>`. */
  auth(accepts: 'raw' | 'bearer'): Promise<unknown> {
    return this.call('POST', '/auth', { accepts });
  }

  shape(variants: string[]): Promise<unknown> {
    return this.call('POST', '/shape', { variants });
  }

  fault(fault: SimFault): Promise<unknown> {
    return this.call('POST', '/faults', fault);
  }

  /** Every order the simulator holds, or only those bought with `token`. */
  async orders(token?: string): Promise<SimOrder[]> {
    const { orders } = await this.call<{ orders: SimOrder[] }>('GET', '/state');
    return token === undefined ? orders : orders.filter((o) => o.token === token);
  }

  clearFaults(): Promise<unknown> {
    return this.call('DELETE', '/faults');
  }
}
