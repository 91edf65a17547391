/**
 * What the simulated Text2FA sells: S1 and S2 services, rental services, the
 * US states S1 numbers can come from and the regions rentals can come from.
 *
 * Everything here is fixed at start-up and derived deterministically, so a
 * service key seen once stays valid across restarts of the simulator.
 */
import { hash32 } from './random';

/** The three kinds of number the service sells. */
export type Pool = 's1' | 's2' | 'rental';

export interface CatalogueService {
  pool: Pool;
  /** Six lowercase alphanumerics derived from pool and name. */
  key: string;
  name: string;
  /** S1/S2: price of one number. Rentals: price of the shortest duration. */
  priceCents: number;
  /** Stock when the simulator starts or is reset. */
  initialStock: number;
}

export interface RentalCatalogueService extends CatalogueService {
  pool: 'rental';
  durations: number[];
  pricePerDayCents: number;
}

export interface Region {
  code: string;
  name: string;
  /** Area codes numbers from this region start with. */
  areaCodes: string[];
}

/**
 * name, S1 price, S2 price (null: not sold on S2), rental price per day
 * (null: not rentable). Cents, so the table reads like a price list.
 */
const PRICE_LIST: ReadonlyArray<readonly [string, number, number | null, number | null]> = [
  ['Google', 50, 45, 30],
  ['WhatsApp', 75, 70, 35],
  ['Telegram', 60, 55, 30],
  ['Facebook', 40, 35, 25],
  ['Instagram', 45, 40, 25],
  ['X (Twitter)', 35, 30, 20],
  ['Discord', 30, 25, 20],
  ['Amazon', 55, 50, 30],
  ['Microsoft', 40, 35, 25],
  ['Apple', 65, 60, 35],
  ['Uber', 45, 40, 25],
  ['Lyft', 40, 35, null],
  ['PayPal', 90, 85, 45],
  ['Venmo', 85, 80, 40],
  ['Coinbase', 120, 110, 60],
  ['Binance', 110, 100, null],
  ['Tinder', 70, 65, 35],
  ['Snapchat', 35, 30, null],
  ['TikTok', 30, 25, 20],
  ['LinkedIn', 45, null, 25],
  ['Netflix', 40, null, null],
  ['Airbnb', 55, 50, 30],
  ['eBay', 35, 30, null],
  ['Yahoo', 25, 20, null],
  ['Steam', 30, 25, null],
  ['Signal', 60, 55, 30],
  ['Shopify', 45, null, null],
  ['Stripe', 95, 90, null],
  ['DoorDash', 50, 45, 25],
  ['Walmart', 35, null, null],
  ['Reddit', 25, 20, null],
  ['Twitch', 30, null, null],
  ['Zoom', 30, null, null],
  ['Slack', 35, null, null],
  ['Bumble', 70, 65, 35],
  ['Hinge', 70, 65, 35],
  ['OpenAI', 80, 75, 40],
  ['Cash App', 95, 90, 45],
  ['Chime', 100, 95, 50],
  ['Robinhood', 105, 100, null],
  ['Kraken', 115, 105, null],
  ['Line', 40, 35, 20],
  ['Viber', 40, 35, null],
  ['Yelp', 30, null, null],
  ['Etsy', 35, 30, null],
  ['Grubhub', 40, 35, null],
  ['Instacart', 45, 40, null],
  // Overlapping and punctuated names, as real price lists have them: a client must not confuse these.
  ['WhatsApp Business', 80, 75, null],
  ['Coinbase Wallet', 90, null, null],
  ['GitHub', 35, 30, null],
  ['Booking.com', 40, null, null],
  ['Other', 50, 50, 30],
];

/**
 * Services sold out from the start, one per pool, so a client can meet a
 * natural 503 "no numbers available" without any fault injection.
 */
export const SOLD_OUT: Readonly<Record<Pool, string>> = {
  s1: 'Kraken',
  s2: 'Chime',
  rental: 'Hinge',
};

/** Rental durations in days; a few services offer unusual sets to keep clients honest. */
const DURATIONS: Readonly<Record<string, number[]>> = {
  Google: [7, 14, 30, 90],
  WhatsApp: [7, 14, 30, 90],
  Uber: [3, 7, 30],
  Other: [1, 7, 30],
};
const DEFAULT_DURATIONS = [7, 14, 30];

const KEY_SPACE = 36 ** 6;

/** Derives the stable six-character key of a service in a pool. */
export function serviceKeyFor(pool: Pool, name: string, salt = 0): string {
  const text = `${pool}:${name}:${salt}`;
  // Two hashes so the key space (36^6) is covered evenly, not just the low bits of one.
  const mixed = (hash32(text) * 0x10000 + (hash32(`${text}#`) & 0xffff)) % KEY_SPACE;
  return mixed.toString(36).padStart(6, '0');
}

function stockFor(pool: Pool, name: string): number {
  if (SOLD_OUT[pool] === name) return 0;
  const base = pool === 'rental' ? 5 : 20;
  const spread = pool === 'rental' ? 40 : 400;
  return base + (hash32(`stock:${pool}:${name}`) % spread);
}

/** The whole catalogue; built once because it never changes while running. */
export interface Catalogue {
  s1: CatalogueService[];
  s2: CatalogueService[];
  rental: RentalCatalogueService[];
  /** Looks a key up within one pool only: an S1 key is not valid for S2. */
  find(pool: Pool, key: string): CatalogueService | undefined;
  findRental(key: string): RentalCatalogueService | undefined;
}

function createCatalogue(): Catalogue {
  const used = new Set<string>();
  const uniqueKey = (pool: Pool, name: string): string => {
    // Collisions are astronomically unlikely, but a duplicate key would be a silent bug.
    for (let salt = 0; ; salt++) {
      const key = serviceKeyFor(pool, name, salt);
      if (!used.has(key)) {
        used.add(key);
        return key;
      }
    }
  };

  const s1: CatalogueService[] = [];
  const s2: CatalogueService[] = [];
  const rental: RentalCatalogueService[] = [];
  for (const [name, s1Price, s2Price, perDay] of PRICE_LIST) {
    s1.push({ pool: 's1', key: uniqueKey('s1', name), name, priceCents: s1Price, initialStock: stockFor('s1', name) });
    if (s2Price !== null) {
      s2.push({ pool: 's2', key: uniqueKey('s2', name), name, priceCents: s2Price, initialStock: stockFor('s2', name) });
    }
    if (perDay !== null) {
      const durations = DURATIONS[name] ?? DEFAULT_DURATIONS;
      rental.push({
        pool: 'rental',
        key: uniqueKey('rental', name),
        name,
        priceCents: perDay * Math.min(...durations),
        pricePerDayCents: perDay,
        durations,
        initialStock: stockFor('rental', name),
      });
    }
  }

  const index = new Map<string, CatalogueService>();
  for (const service of [...s1, ...s2, ...rental]) index.set(`${service.pool}:${service.key}`, service);
  const rentalIndex = new Map(rental.map((service) => [service.key, service]));

  return {
    s1,
    s2,
    rental,
    find: (pool, key) => index.get(`${pool}:${key}`),
    findRental: (key) => rentalIndex.get(key),
  };
}

export const CATALOGUE: Catalogue = createCatalogue();

/** All 50 states and DC, each with a few real area codes. */
export const US_STATES: readonly Region[] = [
  { code: 'AL', name: 'Alabama', areaCodes: ['205', '251', '334'] },
  { code: 'AK', name: 'Alaska', areaCodes: ['907'] },
  { code: 'AZ', name: 'Arizona', areaCodes: ['480', '520', '602'] },
  { code: 'AR', name: 'Arkansas', areaCodes: ['479', '501'] },
  { code: 'CA', name: 'California', areaCodes: ['213', '415', '619', '714'] },
  { code: 'CO', name: 'Colorado', areaCodes: ['303', '719'] },
  { code: 'CT', name: 'Connecticut', areaCodes: ['203', '860'] },
  { code: 'DE', name: 'Delaware', areaCodes: ['302'] },
  { code: 'DC', name: 'District of Columbia', areaCodes: ['202'] },
  { code: 'FL', name: 'Florida', areaCodes: ['305', '407', '813'] },
  { code: 'GA', name: 'Georgia', areaCodes: ['404', '678', '912'] },
  { code: 'HI', name: 'Hawaii', areaCodes: ['808'] },
  { code: 'ID', name: 'Idaho', areaCodes: ['208'] },
  { code: 'IL', name: 'Illinois', areaCodes: ['312', '630', '773'] },
  { code: 'IN', name: 'Indiana', areaCodes: ['317', '219'] },
  { code: 'IA', name: 'Iowa', areaCodes: ['515', '319'] },
  { code: 'KS', name: 'Kansas', areaCodes: ['316', '785'] },
  { code: 'KY', name: 'Kentucky', areaCodes: ['502', '859'] },
  { code: 'LA', name: 'Louisiana', areaCodes: ['504', '225'] },
  { code: 'ME', name: 'Maine', areaCodes: ['207'] },
  { code: 'MD', name: 'Maryland', areaCodes: ['410', '301'] },
  { code: 'MA', name: 'Massachusetts', areaCodes: ['617', '508'] },
  { code: 'MI', name: 'Michigan', areaCodes: ['313', '616'] },
  { code: 'MN', name: 'Minnesota', areaCodes: ['612', '651'] },
  { code: 'MS', name: 'Mississippi', areaCodes: ['601', '228'] },
  { code: 'MO', name: 'Missouri', areaCodes: ['314', '816'] },
  { code: 'MT', name: 'Montana', areaCodes: ['406'] },
  { code: 'NE', name: 'Nebraska', areaCodes: ['402', '308'] },
  { code: 'NV', name: 'Nevada', areaCodes: ['702', '775'] },
  { code: 'NH', name: 'New Hampshire', areaCodes: ['603'] },
  { code: 'NJ', name: 'New Jersey', areaCodes: ['201', '973'] },
  { code: 'NM', name: 'New Mexico', areaCodes: ['505', '575'] },
  { code: 'NY', name: 'New York', areaCodes: ['212', '718', '917'] },
  { code: 'NC', name: 'North Carolina', areaCodes: ['704', '919'] },
  { code: 'ND', name: 'North Dakota', areaCodes: ['701'] },
  { code: 'OH', name: 'Ohio', areaCodes: ['216', '614', '513'] },
  { code: 'OK', name: 'Oklahoma', areaCodes: ['405', '918'] },
  { code: 'OR', name: 'Oregon', areaCodes: ['503', '541'] },
  { code: 'PA', name: 'Pennsylvania', areaCodes: ['215', '412', '610'] },
  { code: 'RI', name: 'Rhode Island', areaCodes: ['401'] },
  { code: 'SC', name: 'South Carolina', areaCodes: ['803', '843'] },
  { code: 'SD', name: 'South Dakota', areaCodes: ['605'] },
  { code: 'TN', name: 'Tennessee', areaCodes: ['615', '901'] },
  { code: 'TX', name: 'Texas', areaCodes: ['214', '512', '713'] },
  { code: 'UT', name: 'Utah', areaCodes: ['801', '435'] },
  { code: 'VT', name: 'Vermont', areaCodes: ['802'] },
  { code: 'VA', name: 'Virginia', areaCodes: ['703', '804'] },
  { code: 'WA', name: 'Washington', areaCodes: ['206', '509'] },
  { code: 'WV', name: 'West Virginia', areaCodes: ['304'] },
  { code: 'WI', name: 'Wisconsin', areaCodes: ['414', '608'] },
  { code: 'WY', name: 'Wyoming', areaCodes: ['307'] },
];

/** Every area code the simulator hands out when the buyer expresses no preference. */
export const ALL_AREA_CODES: readonly string[] = US_STATES.flatMap((state) => state.areaCodes);

/** Regions rentals can be ordered from; `US` means "any state". */
export const RENTAL_STATES: readonly Region[] = [
  { code: 'US', name: 'United States (any state)', areaCodes: ALL_AREA_CODES.slice() },
  ...['CA', 'FL', 'IL', 'NY', 'TX', 'WA'].map((code) => {
    const state = US_STATES.find((s) => s.code === code);
    if (!state) throw new Error(`rental state ${code} missing from US_STATES`);
    return state;
  }),
];

/** Finds a region by code, case-insensitively. */
export function findRegion(regions: readonly Region[], code: string): Region | undefined {
  const wanted = code.trim().toUpperCase();
  return regions.find((region) => region.code === wanted);
}
