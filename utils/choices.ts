/**
 * The services picked per site and kind of number (see `serviceChoicesItem`):
 * the rules the background, the popup and the options page share, so a pick
 * for one kind never touches another kind's.
 */
import type { ServiceChoice, SiteChoices } from './storage';
import type { Pool } from './text2fa/types';

const POOLS: readonly Pool[] = ['s1', 's2', 'rental'];

/**
 * The choices with one site's pick for one kind set, or removed with null.
 * A site left without any pick is dropped, so the options page lists no empty site.
 */
export function withChoice(
  sites: Record<string, SiteChoices>,
  siteKey: string,
  pool: Pool,
  choice: ServiceChoice | null,
): Record<string, SiteChoices> {
  const { [pool]: _replaced, ...others } = sites[siteKey] ?? {};
  const site: SiteChoices = choice ? { ...others, [pool]: choice } : others;
  const { [siteKey]: _site, ...rest } = sites;
  return Object.keys(site).length > 0 ? { ...rest, [siteKey]: site } : rest;
}

/**
 * The kind of number to offer first for a site: the user's default kind when
 * the site has a pick for it or none at all, else the first kind it has a pick
 * for (a site only ever rented for opens on rentals).
 */
export function preferredPool(choices: SiteChoices, fallback: Pool): Pool {
  if (choices[fallback] || POOLS.every((pool) => !choices[pool])) return fallback;
  return POOLS.find((pool) => choices[pool]) ?? fallback;
}

/** Each pick of each site, sorted by site then kind: the options page's rows. */
export function choiceRows(sites: Record<string, SiteChoices>): Array<{ site: string; choice: ServiceChoice }> {
  return Object.keys(sites)
    .sort()
    .flatMap((site) => POOLS.flatMap((pool) => (sites[site]?.[pool] ? [{ site, choice: sites[site][pool] }] : [])));
}
