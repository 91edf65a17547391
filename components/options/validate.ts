/**
 * Turns what the user typed into setting values, or a sentence saying how to
 * fix it. The bounds match `isSettingsPatch` in `utils/messaging.ts`, so a
 * value that passes here is never refused by the background for its shape.
 */
import { checkAreaCodes, checkPremium } from '@/utils/input-rules';

/** A parsed value, or the sentence shown next to the field. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T,>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T,>(message: string): Parsed<T> => ({ ok: false, message });

/** Whole numbers only: `1e3`, `7.0` and `+5` are refused rather than guessed at. */
function parseWhole(text: string): number | null {
  return /^\d{1,7}$/.test(text) ? Number(text) : null;
}

/** Amounts with at most two decimals (`5`, `0.5`, `12.50`); a comma is taken as the decimal point. */
function parseAmount(text: string): number | null {
  const normalised = text.replace(',', '.');
  return /^\d{1,7}(\.\d{1,2})?$/.test(normalised) ? Number(normalised) : null;
}

/** S1 state: empty for any state, else a two-letter code (upper-cased). */
export function parseStateCode(text: string): Parsed<string | null> {
  const trimmed = text.trim();
  if (trimmed === '') return ok(null);
  if (!/^[a-z]{2}$/i.test(trimmed)) {
    return fail('Type a two-letter US state code such as AL or CA, or leave it empty for any state.');
  }
  return ok(trimmed.toUpperCase());
}

/** S1 premium bid: empty for none, else what `checkPremium` allows (the popup's rule too). */
export function parsePremium(text: string): Parsed<number | null> {
  const checked = checkPremium(text);
  return checked.ok ? checked : fail(`${checked.message} Leave it empty for no bid.`);
}

/** S2 area codes: the popup's rule (`checkAreaCodes`): `[2-9]XX` each, duplicates dropped, at most `MAX_AREA_CODES`. */
export function parseAreaCodes(text: string): Parsed<string[]> {
  return checkAreaCodes(text);
}

/** Rental length in days: 1–365. */
export function parseRentalDays(text: string): Parsed<number> {
  const days = parseWhole(text.trim());
  if (days === null || days < 1 || days > 365) return fail('Enter a whole number of days from 1 to 365.');
  return ok(days);
}

/** Minutes before an automatic reject: 1–1440 (a day). */
export function parseRejectMinutes(text: string): Parsed<number> {
  const minutes = parseWhole(text.trim());
  if (minutes === null || minutes < 1 || minutes > 1440) {
    return fail('Enter a whole number of minutes from 1 to 1440, or turn automatic reject off.');
  }
  return ok(minutes);
}

/** Spending limit for any 24 hours: 0–100000 (0 blocks every purchase). */
export function parseSpendingLimit(text: string): Parsed<number> {
  const amount = parseAmount(text.trim());
  if (amount === null || amount > 100_000) {
    return fail('Enter an amount from 0 to 100000 with at most two decimals, or turn the limit off.');
  }
  return ok(amount);
}

/** Cap on polling requests per minute: 1–600. */
export function parseRequestsPerMinute(text: string): Parsed<number> {
  const count = parseWhole(text.trim());
  if (count === null || count < 1 || count > 600) return fail('Enter a whole number from 1 to 600 (the default is 60).');
  return ok(count);
}

/**
 * A site for auto-submit as typed, checked as far as the page can without the
 * public-suffix list; the background reduces it to its key (`site.normalize`),
 * and `notASite` says why when it can't.
 */
export function parseSiteText(text: string): Parsed<string> {
  const trimmed = text.trim();
  if (trimmed === '') return fail('Type a site such as example.com.');
  if (trimmed.length > 2048 || /\s/.test(trimmed)) return fail(notASite(trimmed));
  return ok(trimmed);
}

/** The sentence for text that names no web site. */
export function notASite(text: string): string {
  return `"${text.trim()}" is not a web site; type a domain such as example.com.`;
}

/** `1.5` → `"1.5"`, `null` → `""`: how a stored number shows in a text field. */
export function numberText(value: number | null): string {
  return value === null ? '' : String(value);
}
