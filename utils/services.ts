/**
 * Which site a tab is on, and which Text2FA service sells numbers for it.
 *
 * Two jobs share this module because they share one table:
 *
 * - **Site identity** (`registrableDomain`, `siteKey`, `sameSite`): a code bought
 *   for a site must only ever be filled into that site, so every URL is reduced
 *   to a key that is the same for `x.com` and `twitter.com` but different for
 *   `twitter.com.evil.io`.
 * - **Service matching** (`matchService`): pick the service to buy from the
 *   tab's URL. A wrong guess is worse than no guess (it would buy a number for
 *   one site and hand its code to another, possibly a phishing page), so every
 *   rule here errs towards `null`.
 *
 * Pure functions with no extension APIs, so the background worker, the tests
 * and the simulator can all call them.
 */
import { getDomainWithoutSuffix, parse } from 'tldts';
import type { Service } from '@/utils/text2fa/types';

/** One organisation's set of domains that are the same site, and the service names it sells as. */
export interface SiteGroup {
  /** The canonical site key: what `siteKey` returns for every domain of the group. */
  key: string;
  /** Registrable domains (eTLD+1) that belong to this site; subdomains follow automatically. */
  domains: readonly string[];
  /**
   * Normalised service names (see `normaliseServiceName`) that mean this site,
   * in order of preference.
   */
  serviceNames: readonly string[];
}

// From Google's published supported_domains list; a pattern such as `google.*`
// would also accept ccTLD registrations Google does not own.
const GOOGLE_COUNTRY_DOMAINS = (
  'google.ad google.ae google.com.af google.com.ag google.al google.am google.co.ao ' +
  'google.com.ar google.as google.at google.com.au google.az google.ba google.com.bd google.be ' +
  'google.bf google.bg google.com.bh google.bi google.bj google.com.bn google.com.bo ' +
  'google.com.br google.bs google.bt google.co.bw google.by google.com.bz google.ca google.cd ' +
  'google.cf google.cg google.ch google.ci google.co.ck google.cl google.cm google.cn ' +
  'google.com.co google.co.cr google.com.cu google.cv google.com.cy google.cz google.de google.dj ' +
  'google.dk google.dm google.com.do google.dz google.com.ec google.ee google.com.eg google.es ' +
  'google.com.et google.fi google.com.fj google.fm google.fr google.ga google.ge google.gg ' +
  'google.com.gh google.com.gi google.gl google.gm google.gr google.com.gt google.gy ' +
  'google.com.hk google.hn google.hr google.ht google.hu google.co.id google.ie google.co.il ' +
  'google.im google.co.in google.iq google.is google.it google.je google.com.jm google.jo ' +
  'google.co.jp google.co.ke google.com.kh google.ki google.kg google.co.kr google.com.kw ' +
  'google.kz google.la google.com.lb google.li google.lk google.co.ls google.lt google.lu ' +
  'google.lv google.com.ly google.co.ma google.md google.me google.mg google.mk google.ml ' +
  'google.com.mm google.mn google.com.mt google.mu google.mv google.mw google.com.mx ' +
  'google.com.my google.co.mz google.com.na google.com.ng google.com.ni google.ne google.nl ' +
  'google.no google.com.np google.nr google.nu google.co.nz google.com.om google.com.pa ' +
  'google.com.pe google.com.pg google.com.ph google.com.pk google.pl google.pn google.com.pr ' +
  'google.ps google.pt google.com.py google.com.qa google.ro google.ru google.rw google.com.sa ' +
  'google.com.sb google.sc google.se google.com.sg google.sh google.si google.sk google.com.sl ' +
  'google.sn google.so google.sm google.sr google.st google.com.sv google.td google.tg ' +
  'google.co.th google.com.tj google.tl google.tm google.tn google.to google.com.tr google.tt ' +
  'google.com.tw google.co.tz google.com.ua google.co.ug google.co.uk google.com.uy google.co.uz ' +
  'google.com.vc google.co.ve google.co.vi google.com.vn google.vu google.ws google.rs ' +
  'google.co.za google.co.zm google.co.zw google.cat'
).split(' ');

// Amazon's retail marketplaces; all share the one Amazon account. amazon.com.be
// is left out: com.be is not a public suffix, so its registrable domain is com.be,
// which would make every *.com.be site Amazon.
const AMAZON_DOMAINS = [
  'amazon.com', 'amazon.ca', 'amazon.com.mx', 'amazon.com.br', 'amazon.co.uk', 'amazon.de',
  'amazon.fr', 'amazon.it', 'amazon.es', 'amazon.nl', 'amazon.se', 'amazon.pl', 'amazon.ie',
  'amazon.com.tr', 'amazon.ae', 'amazon.sa', 'amazon.eg', 'amazon.in', 'amazon.co.jp',
  'amazon.com.au', 'amazon.sg', 'amazon.cn', 'amazon.co.za',
];

const EBAY_DOMAINS = [
  'ebay.com', 'ebay.ca', 'ebay.co.uk', 'ebay.de', 'ebay.fr', 'ebay.it', 'ebay.es', 'ebay.at',
  'ebay.ch', 'ebay.be', 'ebay.ie', 'ebay.nl', 'ebay.pl', 'ebay.com.au', 'ebay.com.hk',
  'ebay.com.sg', 'ebay.com.my', 'ebay.ph',
];

/**
 * The curated alias table: only domains run by the same organisation behind the
 * same account. Related but separate accounts are deliberately apart: Instagram
 * and WhatsApp from Facebook, LinkedIn and GitHub from Microsoft, Square from
 * Cash App, Venmo from PayPal, Yahoo Japan (another company) from Yahoo.
 *
 * A brand listed here is matched only through this table, so its name on any
 * other domain (`google.xyz`, `x.co`) is never taken for it.
 */
export const SITE_GROUPS: readonly SiteGroup[] = [
  {
    key: 'google.com',
    domains: [
      'google.com', ...GOOGLE_COUNTRY_DOMAINS, 'gmail.com', 'googlemail.com', 'youtube.com', 'youtu.be',
    ],
    serviceNames: ['google', 'gmail', 'youtube'],
  },
  { key: 'x.com', domains: ['x.com', 'twitter.com', 't.co'], serviceNames: ['x', 'twitter'] },
  { key: 'whatsapp.com', domains: ['whatsapp.com', 'whatsapp.net', 'wa.me'], serviceNames: ['whatsapp'] },
  {
    key: 'facebook.com',
    domains: ['facebook.com', 'fb.com', 'messenger.com'],
    serviceNames: ['facebook', 'fb', 'messenger'],
  },
  { key: 'instagram.com', domains: ['instagram.com'], serviceNames: ['instagram'] },
  {
    key: 'microsoft.com',
    domains: [
      'microsoft.com', 'live.com', 'outlook.com', 'hotmail.com', 'microsoftonline.com', 'office.com',
      'microsoft365.com', 'onedrive.com', 'xbox.com', 'skype.com',
    ],
    serviceNames: ['microsoft', 'outlook', 'hotmail', 'xbox', 'skype'],
  },
  { key: 'apple.com', domains: ['apple.com', 'icloud.com'], serviceNames: ['apple', 'appleid', 'icloud'] },
  { key: 'amazon.com', domains: AMAZON_DOMAINS, serviceNames: ['amazon'] },
  { key: 'paypal.com', domains: ['paypal.com', 'paypal.me'], serviceNames: ['paypal'] },
  { key: 'telegram.org', domains: ['telegram.org', 't.me', 'telegram.me'], serviceNames: ['telegram'] },
  {
    key: 'discord.com',
    domains: ['discord.com', 'discord.gg', 'discordapp.com'],
    serviceNames: ['discord'],
  },
  { key: 'openai.com', domains: ['openai.com', 'chatgpt.com'], serviceNames: ['openai', 'chatgpt'] },
  { key: 'cash.app', domains: ['cash.app', 'cash.me'], serviceNames: ['cashapp'] },
  { key: 'line.me', domains: ['line.me'], serviceNames: ['line'] },
  { key: 'signal.org', domains: ['signal.org', 'signal.me'], serviceNames: ['signal'] },
  {
    key: 'steampowered.com',
    domains: ['steampowered.com', 'steamcommunity.com'],
    serviceNames: ['steam'],
  },
  { key: 'yahoo.com', domains: ['yahoo.com'], serviceNames: ['yahoo'] },
  { key: 'ebay.com', domains: EBAY_DOMAINS, serviceNames: ['ebay'] },
];

// Private-section suffixes (github.io, herokuapp.com, blogspot.com) are honoured
// because each name under them belongs to a different customer: foo.github.io
// must not share a site key, and so codes, with bar.github.io.
const TLDTS_OPTIONS = { allowPrivateDomains: true } as const;

/** What we know about the host of a URL once it has been parsed. */
interface IcannDomain {
  label: string;
  suffix: string;
}

interface HostInfo {
  /** The site's registrable domain, or the host itself for IPs and localhost. */
  site: string;
  /**
   * Set only when the registrable domain sits directly under an ICANN suffix,
   * the one case where its label says who runs the site.
   */
  icann: IcannDomain | null;
}

const SCHEME_WITH_AUTHORITY = /^[a-z][a-z0-9+.-]*:\/\//i;
// A colon not followed by a digit is a scheme (about:, data:, mailto:), not a port.
const OPAQUE_SCHEME = /^[a-z][a-z0-9+.-]*:(?!\d)/i;

function hostnameOf(input: string): string | null {
  const text = input.trim();
  if (text === '') return null;
  let candidate: string;
  if (SCHEME_WITH_AUTHORITY.test(text)) {
    candidate = text;
  } else if (OPAQUE_SCHEME.test(text)) {
    return null;
  } else {
    candidate = `http://${text}`;
  }
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  // Only web pages can be sites: chrome://, file:, extension pages and the like never are.
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  // WHATWG URL has already lower-cased, punycoded and normalised IPv4 forms such
  // as 0x7f.1, so look-alikes in Unicode arrive as xn-- labels, never as "apple".
  const hostname = url.hostname.replace(/\.$/, '');
  return hostname === '' ? null : hostname;
}

function isLocalhost(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost');
}

function hostInfo(input: string): HostInfo | null {
  const hostname = hostnameOf(input);
  if (hostname === null) return null;
  if (hostname.startsWith('[')) return { site: hostname, icann: null };
  // Local test pages have no registrable domain but are still one site each.
  if (isLocalhost(hostname)) return { site: hostname, icann: null };

  const parsed = parse(hostname, TLDTS_OPTIONS);
  if (parsed.isIp === true) return { site: hostname, icann: null };
  if (parsed.domain !== null) {
    const icann =
      parsed.isIcann === true && parsed.domainWithoutSuffix !== null && parsed.publicSuffix !== null
        ? { label: parsed.domainWithoutSuffix, suffix: parsed.publicSuffix }
        : null;
    return { site: parsed.domain, icann };
  }
  // The host is itself a private suffix (github.io, s3.amazonaws.com): fall back
  // to the ICANN registrable domain, but never guess a service from it.
  const icannOnly = parse(hostname);
  if (icannOnly.domain !== null) return { site: icannOnly.domain, icann: null };
  return null;
}

/**
 * The registrable domain (eTLD+1) of a URL or bare host, using the Public
 * Suffix List including its private section.
 *
 * - `https://accounts.google.com/x` → `google.com`; `shop.example.co.uk` → `example.co.uk`.
 * - `foo.github.io` → `foo.github.io` (github.io is a private suffix: each
 *   subdomain is a different owner); `github.io` itself → `github.io`.
 * - IP addresses and `localhost` / `*.localhost` → the host itself (IPv6 in
 *   brackets, as `URL` writes it), so local test pages work.
 * - A TLD missing from the list counts as one label (`foo.test`, `printer.local`),
 *   so such hosts are sites, but never matched to a service.
 * - Non-web URLs (`chrome://`, `about:`, `file:`, `data:`, extension pages),
 *   single-label hosts, bare public suffixes (`co.uk`) and unparsable input → `null`.
 *
 * Never throws.
 */
export function registrableDomain(urlOrHost: string): string | null {
  return hostInfo(urlOrHost)?.site ?? null;
}

const GROUP_BY_DOMAIN: ReadonlyMap<string, SiteGroup> = new Map(
  SITE_GROUPS.flatMap((group) => group.domains.map((domain) => [domain, group] as const)),
);

/**
 * The key that identifies a site for binding codes to it: the registrable
 * domain, collapsed through `SITE_GROUPS` so that aliases share one key
 * (`twitter.com` and `x.com` both give `x.com`). `null` when the URL is not a
 * web site (see `registrableDomain`).
 */
export function siteKey(urlOrHost: string): string | null {
  const site = registrableDomain(urlOrHost);
  if (site === null) return null;
  return GROUP_BY_DOMAIN.get(site)?.key ?? site;
}

/** Whether two URLs or hosts are the same site; never true when either has no site key. */
export function sameSite(a: string, b: string): boolean {
  const keyA = siteKey(a);
  return keyA !== null && keyA === siteKey(b);
}

/**
 * A service name reduced for comparison: Unicode-decomposed with accents
 * dropped, lower-cased, `+` spelt `plus` (so "Disney+" meets disneyplus.com),
 * and everything that is not a letter or digit removed.
 * "X (Twitter)" → `xtwitter`, "Cash App" → `cashapp`, "eBay" → `ebay`.
 */
export function normaliseServiceName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/\+/g, 'plus')
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

const ALTERNATIVE_SEPARATORS = /[/|,()[\]]|\s[-–—]\s/;
const BRACKETED = /\([^)]*\)|\[[^\]]*\]/g;

/**
 * The names a service goes by, normalised: "X (Twitter)" → `['x', 'twitter']`,
 * "Google / Gmail / YouTube" → `['google', 'gmail', 'youtube']`, "Line" → `['line']`.
 * Separators are `/`, `|`, `,`, brackets and a spaced dash; a name with none is
 * one alternative. Useful for a picker that should find "X (Twitter)" under "twitter".
 */
export function serviceNameAlternatives(name: string): string[] {
  const parts = name
    .split(ALTERNATIVE_SEPARATORS)
    .map(normaliseServiceName)
    .filter((part) => part !== '');
  return [...new Set(parts)];
}

// Bracketed text is as often a qualifier ("Walmart (US)", "Uber (Eats)") as an
// alternative name, so guessing from a bare domain ignores it; only the curated
// table, which knows "twitter" is Twitter, may use it.
function primaryAlternatives(name: string): string[] {
  return serviceNameAlternatives(name.replace(BRACKETED, ' / '));
}

// Catch-all entries of a service list must never be picked because a domain
// happens to be called other.com or any.org.
const CATCH_ALL_NAMES: ReadonlySet<string> = new Set([
  'other', 'others', 'any', 'anyother', 'all', 'allservices', 'anyservice', 'misc', 'unlisted',
  'notlisted', 'generic', 'unknown', 'none',
]);

/** Whether a service is a catch-all entry of a price list ("Other", "Any service"): it names no brand. */
export function isCatchAllService(name: string): boolean {
  const names = [normaliseServiceName(name), ...primaryAlternatives(name)];
  return names.some((n) => CATCH_ALL_NAMES.has(n));
}

// Names owned by the curated groups, including the labels of their domains.
// A domain outside the group whose label is one of these (google.xyz, x.co,
// discordapp.gift) is a look-alike, not a new site for the same service.
const PROTECTED_NAMES: ReadonlySet<string> = new Set(
  SITE_GROUPS.flatMap((group) => [
    ...group.serviceNames,
    ...group.domains.map((domain) => normaliseServiceName(getDomainWithoutSuffix(domain) ?? '')),
  ]).filter((name) => name !== ''),
);

// New gTLDs (.support, .gift, .xyz, .top ...) and the former free ccTLDs are
// where brand look-alikes are registered; a real service on one of them gets a
// SITE_GROUPS entry instead of being guessed from its label.
const GUESSABLE_GENERIC_TLDS: ReadonlySet<string> = new Set(['com', 'net', 'org', 'app']);
const UNGUESSABLE_CCTLDS: ReadonlySet<string> = new Set(['tk', 'ml', 'ga', 'cf', 'gq']);

function isGuessableSuffix(suffix: string): boolean {
  const tld = suffix.slice(suffix.lastIndexOf('.') + 1);
  if (GUESSABLE_GENERIC_TLDS.has(tld)) return true;
  return /^[a-z]{2}$/.test(tld) && !UNGUESSABLE_CCTLDS.has(tld);
}

/**
 * The normalised names a domain may be matched by when it is not curated:
 * its label (`doordash.com` → `doordash`) and label plus suffix
 * (`booking.com` → `bookingcom` for "Booking.com"). Empty when guessing is unsafe.
 */
function guessableNames(icann: IcannDomain): string[] {
  // Brands do not register hyphenated or punycode labels as their home;
  // google-login.com and xn--pple-43d.com are the look-alike pattern.
  if (icann.label.includes('-')) return [];
  if (!isGuessableSuffix(icann.suffix)) return [];
  const names = [normaliseServiceName(icann.label), normaliseServiceName(icann.label + icann.suffix)];
  if (names.some((name) => PROTECTED_NAMES.has(name) || CATCH_ALL_NAMES.has(name))) return [];
  return names.filter((name) => name !== '');
}

/** Names to look for, best first, for a domain of a curated group. */
function groupCandidates(group: SiteGroup, icann: IcannDomain): string[] {
  // On youtube.com a "YouTube" service beats "Google" when both are listed.
  const own = [normaliseServiceName(icann.label), normaliseServiceName(icann.label + icann.suffix)].filter(
    (name) => group.serviceNames.includes(name),
  );
  return [...new Set([...own, ...group.serviceNames])];
}

function stockRank(available: number | null): number {
  if (available === null || !Number.isFinite(available)) return 1;
  return available > 0 ? 0 : 2;
}

function priceOf(price: number | null): number {
  return price !== null && Number.isFinite(price) ? price : Number.POSITIVE_INFINITY;
}

/**
 * The best service in `services` for the site at `url`, or `null` when no
 * service is known to belong to it.
 *
 * 1. A domain of a curated group (`SITE_GROUPS`, subdomains included) matches a
 *    service any of whose alternatives (see `serviceNameAlternatives`) is one of
 *    the group's names; the name of the domain itself is preferred
 *    (youtube.com → "YouTube" before "Google").
 * 2. Any other domain matches only if its registrable label, or label plus
 *    suffix, *equals* a normalised unbracketed alternative of a service name
 *    (`shopify.com` → "Shopify", `booking.com` → "Booking.com"), and only when
 *    the domain is under an ICANN suffix (not github.io and the like), its label
 *    has no hyphen, its TLD is .com/.net/.org/.app or a two-letter ccTLD, and
 *    the label is not a curated brand or a catch-all ("Other").
 *
 * No substring, prefix or fuzzy matching is ever done. Among several matches:
 * in stock first (unknown stock next, none last), then the preferred name, then
 * the lower price, then list order.
 */
export function matchService(url: string, services: readonly Service[]): Service | null {
  const info = hostInfo(url);
  if (info === null || info.icann === null) return null;

  const group = GROUP_BY_DOMAIN.get(info.site);
  const candidates = group ? groupCandidates(group, info.icann) : guessableNames(info.icann);
  if (candidates.length === 0) return null;

  let best: Service | null = null;
  let bestKey: number[] = [];
  for (const [index, service] of services.entries()) {
    const names = group ? serviceNameAlternatives(service.name) : primaryAlternatives(service.name);
    const rank = candidates.findIndex((candidate) => names.includes(candidate));
    if (rank < 0) continue;
    const key = [stockRank(service.available), rank, priceOf(service.price), index];
    if (best === null || compareKeys(key, bestKey) < 0) {
      best = service;
      bestKey = key;
    }
  }
  return best;
}

function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i += 1) {
    // Compared rather than subtracted: two missing prices are both Infinity.
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
