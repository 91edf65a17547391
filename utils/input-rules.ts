/**
 * The rules for what a user types that Text2FA would refuse: S2 area codes,
 * S1 premium bids and the API token. One rule each, used by the popup's
 * order form, the options page and the background's message validation, so
 * no part accepts what another refuses, and a bad value is named before
 * anything is sent.
 *
 * The bounds are those the simulator assumes of the documented API
 * (simulator/README.md, "Validation"): at most 10 area codes, each `[2-9]XX`;
 * a premium of at most $50.00 with at most two decimals.
 */

/** A checked value, or the sentence that says what is wrong with it. */
export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * Most area codes one S2 purchase may name. Text2FA (as the simulator models
 * it) refuses more than 10 with a 422, so a longer default list could only
 * ever fail; 10 is also what the popup always allowed.
 */
export const MAX_AREA_CODES = 10;
/** Longest rental, and longest renewal, in days (Text2FA's `duration` and `additional_days`). */
export const MAX_RENTAL_DAYS = 365;
/** Highest S1 premium bid, in dollars (the simulator refuses more than 50.00). */
export const MAX_PREMIUM = 50;
/** Shortest and longest token accepted: real tokens are tens of characters; 20,000 pasted characters end in an HTTP 431. */
export const TOKEN_MIN_LENGTH = 8;
export const TOKEN_MAX_LENGTH = 512;

const AREA_CODE = /^[2-9]\d{2}$/;

/** A US area code: three digits, the first 2–9 (no area code starts with 0 or 1). */
export function isAreaCode(value: unknown): value is string {
  return typeof value === 'string' && AREA_CODE.test(value);
}

/** A list of area codes one purchase may carry (what the background accepts in a message). */
export function isAreaCodeList(value: unknown): value is string[] {
  return Array.isArray(value) && value.length <= MAX_AREA_CODES && value.every(isAreaCode);
}

/** Area codes as typed (separated by commas, spaces or semicolons), duplicates dropped; the first bad one is named. */
export function checkAreaCodes(text: string): Checked<string[]> {
  const parts = text.split(/[\s,;]+/).filter((part) => part !== '');
  const bad = parts.find((part) => !isAreaCode(part));
  if (bad !== undefined) {
    const why = /^\d{3}$/.test(bad) ? 'US area codes never start with 0 or 1' : 'each is three digits';
    return { ok: false, message: `“${bad}” is not a US area code (${why}). Use codes such as 212 or 610, separated by commas.` };
  }
  const unique = [...new Set(parts)];
  if (unique.length > MAX_AREA_CODES) {
    return { ok: false, message: `That is ${unique.length} area codes; Text2FA takes at most ${MAX_AREA_CODES}.` };
  }
  return { ok: true, value: unique };
}

/** A premium bid Text2FA takes: 0 to MAX_PREMIUM dollars, whole cents. */
export function isPremium(value: unknown): value is number {
  return (
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= 0 &&
    value <= MAX_PREMIUM &&
    Math.abs(Math.round(value * 100) - value * 100) < 1e-6
  );
}

/** A premium as typed: empty for none, else an amount up to MAX_PREMIUM with at most two decimals (a comma works as the point). */
export function checkPremium(text: string): Checked<number | null> {
  const trimmed = text.trim().replace(',', '.');
  if (trimmed === '') return { ok: true, value: null };
  const amount = /^\d{1,7}(\.\d{1,2})?$/.test(trimmed) ? Number(trimmed) : null;
  if (amount === null || !isPremium(amount)) {
    return { ok: false, message: `A premium is an amount from $0.00 to $${MAX_PREMIUM.toFixed(2)} with at most two decimals, such as 0.25.` };
  }
  return { ok: true, value: amount };
}

/** Days to renew a rental by, as typed: a whole number from 1 to MAX_RENTAL_DAYS. */
export function checkRenewDays(text: string): Checked<number> {
  const trimmed = text.trim();
  const days = /^\d{1,4}$/.test(trimmed) ? Number(trimmed) : null;
  if (days === null || days < 1 || days > MAX_RENTAL_DAYS) {
    return { ok: false, message: `Renew by a whole number of days from 1 to ${MAX_RENTAL_DAYS}.` };
  }
  return { ok: true, value: days };
}

/**
 * A pasted API token, trimmed. Tokens are opaque, but they travel in an HTTP
 * header: only visible ASCII characters fit there, and whitespace inside one
 * is always a paste accident. A "Bearer " prefix, as a third-party guide
 * writes the header, is dropped: the client finds the form the account
 * accepts by itself.
 */
export function checkToken(raw: string): Checked<string> {
  const token = raw.trim().replace(/^bearer\s+/i, '');
  const again = 'Copy it again from your Text2FA dashboard and paste only the token.';
  if (token === '') return { ok: false, message: 'Paste your API token from the Text2FA dashboard first.' };
  if (/\s/.test(token)) return { ok: false, message: `The token has a space or line break inside it. ${again}` };
  const odd = /[^\x21-\x7e]/.exec(token);
  if (odd) {
    const char = odd[0];
    // An invisible character (a zero-width space from a rich-text paste) is named by its code point.
    const shown = /[\p{L}\p{N}\p{P}\p{S}]/u.test(char) ? `“${char}”` : `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    return { ok: false, message: `The token has a character no API token has (${shown}). ${again}` };
  }
  if (token.length < TOKEN_MIN_LENGTH) {
    return { ok: false, message: `That is too short for an API token (${token.length} characters). ${again}` };
  }
  if (token.length > TOKEN_MAX_LENGTH) {
    return {
      ok: false,
      message: `That is ${token.length.toLocaleString('en-US')} characters; an API token is at most ${TOKEN_MAX_LENGTH}. ${again}`,
    };
  }
  return { ok: true, value: token };
}
