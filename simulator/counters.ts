/**
 * What the API has been asked and sold since the last reset. Client tests use
 * these to prove, for example, that a retry after a lost answer did not buy a
 * second number, or that polling backs off after a 429.
 */
import { ENDPOINT_NAMES, type EndpointName } from './endpoint-names';

export interface CountersSnapshot {
  /** Successful paid purchases: request-number-s1/-s2, reuse-number-s1, request-rental-number. */
  purchases: number;
  /** Requests per endpoint, every endpoint present (zero when never called). */
  requests: Record<EndpointName, number>;
  total: number;
}

/** Request and purchase counts of one simulator since start or the last reset. */
export class Counters {
  private purchases = 0;
  private readonly requests = new Map<EndpointName, number>();

  /** Counts one request that reached an endpoint, whatever became of it. */
  request(name: EndpointName): void {
    this.requests.set(name, (this.requests.get(name) ?? 0) + 1);
  }

  purchase(): void {
    this.purchases += 1;
  }

  snapshot(): CountersSnapshot {
    const requests = Object.fromEntries(ENDPOINT_NAMES.map((name) => [name, this.requests.get(name) ?? 0])) as Record<
      EndpointName,
      number
    >;
    const total = Object.values(requests).reduce((sum, n) => sum + n, 0);
    return { purchases: this.purchases, requests, total };
  }

  reset(): void {
    this.purchases = 0;
    this.requests.clear();
  }
}
