/**
 * Service lists and regions, cached briefly: the popup asks on every
 * opening, and prices and stock change slowly enough that a few minutes
 * old is fine (the popup can force a refresh).
 */
import type { Pool, Region, RentalService, Service, Text2faClient } from '../text2fa/types';
import { matchService } from '../services';
import type { SiteInfo } from '../messaging';
import { siteKey } from '../services';
import type { SiteChoices } from '../storage';

const TTL_MS = 5 * 60_000;

export function createCatalog(deps: {
  client(): Promise<Text2faClient>;
  now(): number;
  choices(): Promise<Record<string, SiteChoices>>;
  /** Where the service names outlive a stopped worker (session storage in the extension). */
  names?: { get(): Promise<string[]>; set(names: string[]): Promise<void> };
}) {
  const cache = new Map<string, { at: number; value: Promise<unknown> }>();
  /** Every service name any pool's list gave: the brands an SMS may name. Read from storage once per worker. */
  let names: Promise<Set<string>> | null = null;

  function knownNames(): Promise<Set<string>> {
    names ??= (deps.names?.get() ?? Promise.resolve([])).then((saved) => new Set(saved), () => new Set<string>());
    return names;
  }

  async function remember(list: Array<Service | RentalService>): Promise<void> {
    const known = await knownNames();
    const before = known.size;
    for (const service of list) known.add(service.name);
    if (known.size !== before) await deps.names?.set([...known]).catch(() => undefined);
  }

  /** One cached request per key; a failed request is not cached. */
  function cached<T>(key: string, load: () => Promise<T>, refresh = false): Promise<T> {
    const hit = cache.get(key);
    if (hit && !refresh && deps.now() - hit.at < TTL_MS) return hit.value as Promise<T>;
    const value = load();
    cache.set(key, { at: deps.now(), value });
    value.catch(() => cache.delete(key));
    return value;
  }

  async function services(pool: Pool, refresh = false): Promise<Array<Service | RentalService>> {
    const client = await deps.client();
    const list = cached(`services:${pool}`, () => {
      if (pool === 's1') return client.servicesS1();
      if (pool === 's2') return client.servicesS2();
      return client.rentalServiceList();
    }, refresh);
    void list.then(remember, () => undefined);
    return list;
  }

  return {
    services,

    /** The service names the catalogue has listed so far, without asking Text2FA (a code must not wait for it). */
    async serviceNames(): Promise<string[]> {
      return [...(await knownNames())];
    },

    async regions(kind: 'us' | 'rental'): Promise<Region[]> {
      const client = await deps.client();
      return cached(`regions:${kind}`, () => (kind === 'us' ? client.usStates() : client.rentalStates()));
    },

    /** The site of a URL and the best service of each pool for it. */
    async siteInfo(url: string | null): Promise<SiteInfo> {
      const key = url ? siteKey(url) : null;
      if (!url || !key) return { url, siteKey: null, matches: { s1: null, s2: null, rental: null }, choices: {} };
      const [s1, s2, rental] = await Promise.all(
        (['s1', 's2', 'rental'] as const).map((pool) => services(pool).catch(() => [] as Service[])),
      );
      return {
        url,
        siteKey: key,
        matches: {
          s1: matchService(url, s1 ?? []),
          s2: matchService(url, s2 ?? []),
          rental: matchService(url, rental ?? []) as RentalService | null,
        },
        choices: (await deps.choices())[key] ?? {},
      };
    },
  };
}
