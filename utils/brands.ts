/**
 * Whether an SMS says it comes from another brand than the one its number was
 * bought for ("Your PayPal security code: 551234" on a number bought for
 * acme.com). Such a code is offered for copying rather than filled.
 *
 * A false alarm costs the user a paste; a miss lets a code into the wrong
 * page, as before this check. Both stay rare by reading the SMS the way a
 * person does:
 * - a brand counts only as whole words ("PayPal", "Cash App"), written as a
 *   name (with a capital), never inside a longer word ("Googleplex"), a web
 *   address, an e-mail address or a domain;
 * - a capitalised word that starts a sentence counts only when it reads as
 *   the sender ("Zoom: …", "[Chime] …", "Steam code …"), since common words
 *   start sentences too ("Line 2 …", "Signal lost …");
 * - when the SMS names the order's own brand anywhere, in any case, it is for
 *   this order whatever else it names ("Sign in with Google to Acme").
 *
 * Pure: the brands come from Text2FA's service catalogue (passed in) and the
 * alias table in `services.ts`.
 */
import type { Order, ReceivedCode } from './orders/model';
import { isCatchAllService, normaliseServiceName, serviceNameAlternatives, SITE_GROUPS } from './services';

/** What an order was bought for: its service and the site (key) it was bought on, if any. */
export interface OrderBrand {
  serviceName: string;
  siteKey: string | null;
}

/** Shorter names ("X", "FB", "QQ") are too often something else in a text. */
const MIN_BRAND_LENGTH = 3;

/** Words SMS are made of: a catalogue entry spelt like one is never looked for. */
const SMS_WORDS: ReadonlySet<string> = new Set([
  'code', 'codes', 'otp', 'pin', 'sms', 'msg', 'text', 'stop', 'help', 'info', 'reply', 'yes', 'no', 'end', 'quit',
  'cancel', 'verify', 'verification', 'security', 'login', 'account', 'app', 'your', 'the', 'use', 'store', 'bank',
]);

/** Words that, right after a capitalised word starting a sentence, make it the sender's name. */
const SENDER_NEXT = /^(?:code|codes|verification|verify|security|login|log|sign|signin|account|id|otp|pin|passcode|confirmation|authentication|auth|2fa)$/i;

/** Web addresses, e-mail addresses and domains (with any path): nothing inside one is a mention. */
const ADDRESS = /(?:https?:\/\/|www\.)\S+|\S+@\S+|@\S+|[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}(?![\p{L}\p{N}])(?:\/\S*)?/gu;

const WORD = /[\p{L}\p{N}]+\+?/gu;

/** One word of the SMS and where it is. */
interface Token {
  text: string;
  start: number;
  end: number;
}

/** A run of one to three words read as one name ("Cash App"). */
interface Span {
  text: string;
  name: string;
  first: Token;
  last: Token;
}

const WINDOW = 3;

function tokensOf(text: string): Token[] {
  return [...text.matchAll(WORD)].map((m) => ({ text: m[0], start: m.index, end: m.index + m[0].length }));
}

/** Every run of up to three words joined only by spaces or a hyphen, longest first at each position. */
function spansOf(text: string, tokens: Token[]): Span[] {
  const spans: Span[] = [];
  for (let i = 0; i < tokens.length; i += 1) {
    let j = i;
    while (j + 1 < tokens.length && j - i + 1 < WINDOW && /^[ \t]*-?[ \t]*$/.test(text.slice(tokens[j]!.end, tokens[j + 1]!.start))) j += 1;
    for (let k = j; k >= i; k -= 1) {
      const first = tokens[i]!;
      const last = tokens[k]!;
      const raw = text.slice(first.start, last.end);
      spans.push({ text: raw, name: normaliseServiceName(raw), first, last });
    }
  }
  return spans;
}

/** Whether a capitalised span reads as a name where it stands (see the module comment). */
function readsAsName(text: string, span: Span, next: Token | undefined): boolean {
  if (!/\p{Lu}/u.test(span.text)) return false;
  // PayPal, TikTok, eBay, LINE: a capital inside the word is a name's spelling, not a sentence's.
  if (/\p{Lu}/u.test(span.text.slice(1))) return true;
  const before = text.slice(0, span.first.start).replace(/[ \t]+$/, '');
  const startsSentence = before === '' || /[.!?\n]$/.test(before) || before.endsWith('<#>');
  if (!startsSentence) return true;
  const after = text.slice(span.last.end);
  if (/^[ \t]*[:\]|)]/.test(after) || /[[(]$/.test(before)) return true;
  return next !== undefined && /^[ \t]*-?[ \t]*$/.test(text.slice(span.last.end, next.start)) && SENDER_NEXT.test(next.text);
}

/** The normalised names a catalogue lists (and the alias table knows), without catch-alls and SMS words. */
export function brandNames(catalogue: readonly string[]): Set<string> {
  const names = new Set<string>();
  const add = (name: string) => {
    if (name.length >= MIN_BRAND_LENGTH && !SMS_WORDS.has(name) && !/^\d+$/.test(name)) names.add(name);
  };
  for (const service of catalogue) if (!isCatchAllService(service)) serviceNameAlternatives(service).forEach(add);
  for (const group of SITE_GROUPS) group.serviceNames.forEach(add);
  return names;
}

/** Every normalised name the order's own brand goes by: its service's, its site's, and their alias groups'. */
function ownNames(order: OrderBrand): Set<string> {
  const names = new Set<string>();
  if (!isCatchAllService(order.serviceName)) {
    serviceNameAlternatives(order.serviceName).forEach((n) => names.add(n));
    // "WhatsApp Business" is also WhatsApp, "Coinbase Wallet" Coinbase.
    for (const word of order.serviceName.split(/[^\p{L}\p{N}+]+/u)) {
      const name = normaliseServiceName(word);
      if (name.length >= MIN_BRAND_LENGTH) names.add(name);
    }
  }
  if (order.siteKey) {
    // A site key is a registrable domain: its first label is the site's name (acme.com → acme, booking.com → bookingcom too).
    names.add(normaliseServiceName(order.siteKey.split('.')[0] ?? ''));
    names.add(normaliseServiceName(order.siteKey));
  }
  for (const group of SITE_GROUPS) {
    if (group.key !== order.siteKey && !group.serviceNames.some((n) => names.has(n))) continue;
    group.serviceNames.forEach((n) => names.add(n));
    group.domains.forEach((domain) => names.add(normaliseServiceName(domain.split('.')[0] ?? '')));
  }
  names.delete('');
  return names;
}

/**
 * The other brand an SMS names, as the SMS writes it ("PayPal"), or null when
 * it names none, names the order's own brand, or nothing is known of the
 * order's brand (a catch-all service bought with no site). For a catch-all
 * service the site alone is the order's brand; for an order with no site, its
 * service alone.
 */
export function smsNamesOtherBrand(sms: string | null, order: OrderBrand, brands: ReadonlySet<string>): string | null {
  if (!sms) return null;
  const own = ownNames(order);
  if (own.size === 0) return null;
  // Addresses become spaces, so words around them keep their places and nothing inside them is read.
  const text = sms.normalize('NFC').replace(ADDRESS, (match) => ' '.repeat(match.length));
  const tokens = tokensOf(text);
  const spans = spansOf(text, tokens);
  if (spans.some((span) => own.has(span.name))) return null;
  for (const span of spans) {
    if (!brands.has(span.name) || own.has(span.name)) continue;
    const next = tokens[tokens.indexOf(span.last) + 1];
    if (readsAsName(text, span, next)) return span.text;
  }
  return null;
}

/** `smsNamesOtherBrand` for a code an order received, with the catalogue's service names (the alias table's brands are always known). */
export function codeNamesOtherBrand(order: Order, code: ReceivedCode | null, catalogue: readonly string[] = []): string | null {
  if (!code) return null;
  return smsNamesOtherBrand(code.sms, { serviceName: order.serviceName, siteKey: order.site?.siteKey ?? null }, brandNames(catalogue));
}
