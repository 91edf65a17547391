import { attr, controls, editable, nearText, ownText, tier, within } from './dom';
import { fillField, fire, getValue, setProp, sleep } from './input';
import { AC_OTHER, EMAIL, EXCLUDED, PASSWORD, PHONE, PHONE_PART, norm, strong, weak } from './keywords';
import { pick } from './otp';
import type { FillFailure, FillOptions, FillResult } from './types';

const TYPES = /^(text|tel|number)$/;
const TEL_AC = /(?:^|\s)tel(?:-national|-local)?(?:\s|$)/;
// other languages' names fall back to the first +1 option, which still takes a US national number
const US = /united states(?! minor| virgin)|(?<![a-z])usa?(?![a-z])|estados unidos|etats unis/;

/** Phone-field score, or -1: autocomplete tel*, type=tel and phone words, minus code-ish and other fields. */
function score(el: HTMLInputElement): number {
  const ac = attr(el, 'autocomplete');
  const telAc = TEL_AC.test(ac);
  const own = norm(ownText(el));
  const near = norm(nearText(el));
  const phoneOwn = telAc || PHONE.test(own);
  if (
    (!telAc && (AC_OTHER.test(ac) || ac.includes('one-time-code') || PHONE_PART.test(own))) ||
    EXCLUDED.test(own) ||
    PASSWORD.test(own) ||
    EMAIL.test(norm(attr(el, 'name') + ' ' + el.id)) ||
    // A field that does not call itself a phone field, among text about a verification code,
    // is a code box (e.g. split boxes under "we sent a code to your phone").
    (!phoneOwn && (weak(own) || EXCLUDED.test(near) || strong(near))) ||
    (el.maxLength >= 0 && el.maxLength < 10 && !ac.includes('tel-local'))
  )
    return -1;
  return (
    (telAc ? 100 : 0) +
    (el.type === 'tel' ? 40 : 0) +
    (PHONE.test(own) ? 50 : 0) +
    (PHONE.test(near) ? 30 : 0) +
    (/sms|mobil|cell|movil|handy|portable|мобильн|手机|携帯/.test(own) ? 5 : 0) -
    (!phoneOwn && weak(near) ? 20 : 0)
  );
}

function locate(doc: Document, opts: FillOptions): HTMLInputElement | FillFailure {
  const t = opts.target as HTMLInputElement | undefined;
  if (t?.localName === 'input') return TYPES.test(t.type) && editable(t) ? t : 'not-fillable';
  const cands = [];
  for (const el of controls(doc, opts) as HTMLInputElement[]) {
    const s = el.localName === 'input' && TYPES.test(el.type) && (!t || within(t, el)) ? score(el) : -1;
    const tr = s >= 30 ? tier(el, opts) : 2;
    if (tr < 2) cands.push({ el, score: s, tier: tr });
  }
  const r = pick(cands);
  return typeof r === 'string' ? r : r.el;
}

/** Finds the phone-number field (the number itself, not a country-code part); null if none or a tie. */
export function findPhoneField(doc: Document, options: FillOptions = {}): HTMLInputElement | null {
  const r = locate(doc, options);
  return typeof r === 'string' ? null : r;
}

/**
 * A country-code select or input beside the phone field (within three ancestors). A select counts
 * if its options show dial codes or it speaks of phone/dial codes: an address form's plain
 * "Country" select may sit next to the phone field and must stay as it is.
 */
function countryControl(p: HTMLInputElement): HTMLSelectElement | HTMLInputElement | undefined {
  for (let a = p.parentElement, d = 0; a && d < 3 && a.localName !== 'body'; a = a.parentElement, d++)
    for (const c of a.querySelectorAll<HTMLInputElement>('select,input')) {
      const own = norm(ownText(c));
      if (
        c !== p &&
        editable(c) &&
        (attr(c, 'autocomplete').includes('tel-country-code') ||
          (c.localName === 'select'
            ? [...(c as unknown as HTMLSelectElement).options].filter((o) => /\+\d/.test(o.text + o.value)).length > 2 || /dial|calling|prefix|code|phone|tel/.test(own)
            : TYPES.test(c.type) && /dial|calling|country code/.test(own)))
      )
        return c;
    }
}

/** Selects the country (for +1 the US by name rather than Canada) or writes the code; false if the select has no such option. */
function setCountry(c: HTMLSelectElement | HTMLInputElement, cc: string): boolean {
  let best = -1;
  let top = 0;
  let v: string | number = c.type === 'number' || (c as HTMLInputElement).maxLength === cc.length ? cc : '+' + cc;
  if (c.localName === 'select') {
    [...(c as HTMLSelectElement).options].forEach((o, i) => {
      const t = o.value + ' ' + o.text;
      const s = (new RegExp(`(?:^|\\D)\\+?0{0,2}${cc}(?!\\d)`).test(t) ? 1 : 0) + (cc === '1' && US.test(norm(t)) ? 2 : 0);
      if (s > top) [top, best] = [s, i];
    });
    if (best < 0) return false;
    if ((c as HTMLSelectElement).selectedIndex === best) return true;
    setProp(c, 'selectedIndex', (v = best));
  } else if (getValue(c).replace(/\D/g, '') === cc) return true;
  else setProp(c, 'value', v);
  fire(c, 'input', { inputType: 'insertText', data: String(v) });
  fire(c, 'change');
  return true;
}

/** A dial code shown just before the field ("+1" text, intl-tel-input's separate dial code). */
function dialPrefix(p: Element): string | undefined {
  for (let n: Element | null = p, d = 0; n && d < 2; n = n.parentElement, d++)
    for (let s = n.previousSibling, k = 0; s && k < 3; s = s.previousSibling, k++) {
      const t = s.textContent ?? '';
      const m = /\+\s?(\d{1,4})(?!\d)/.exec(t.length > 40 ? ((s as Element).querySelector?.('[class*=dial]')?.textContent ?? '') : t);
      if (m) return m[1];
    }
}

/** The dial code shown inside the field's value ("+1 ", "+44 20…"), as widgets in international mode show it. */
function dialInValue(p: HTMLInputElement): { prefix: string; code: string } | undefined {
  const m = /^\s*\+\s?(\d{1,3})(?!\d)[\s-]*/.exec(getValue(p));
  return m ? { prefix: m[0], code: m[1]! } : undefined;
}

/** The dial code a country control currently selects, when it shows one (or the US by name for +1). */
function countryOf(c: HTMLSelectElement | HTMLInputElement, cc: string): string | undefined {
  if (c.localName !== 'select') return getValue(c).replace(/\D/g, '') || undefined;
  const o = (c as HTMLSelectElement).selectedOptions[0];
  if (!o) return undefined;
  const m = /\+\s?0{0,2}(\d{1,4})(?!\d)/.exec(o.text + ' ' + o.value) ?? /^0{0,2}(\d{1,4})$/.exec(o.value.trim());
  if (m) return m[1];
  return cc === '1' && US.test(norm(o.value + ' ' + o.text)) ? '1' : undefined;
}

/**
 * Whether the page holds exactly this number, read back from the field and its widget: a value
 * that carries its "+code" says it all; otherwise the country the control or the shown prefix
 * selects must be ours and the digits the national number (with no country shown, the digits alone).
 */
function holdsNumber(p: HTMLInputElement, ctl: HTMLSelectElement | HTMLInputElement | undefined, cc: string, nat: string): boolean {
  const value = getValue(p).trim();
  const digits = value.replace(/\D/g, '');
  if (value.startsWith('+')) return digits === cc + nat;
  const country = ctl ? countryOf(ctl, cc) : dialPrefix(p);
  return country === undefined ? digits === nat || digits === cc + nat : country === cc && digits === nat;
}

/**
 * Fills a phone number (`2055550123`, `12055550123` or `+12055550123` with the default country
 * code 1), keeping what the page already shows of the country:
 * - a dial code inside the field's value ("+1 ", a widget in international mode): the number goes
 *   after it, as "+1 2055550123";
 * - a country select or code input beside the field: set to the country, the national form filled;
 * - otherwise the field's hints choose: tel-national, a "+1" shown before it or a digits-only
 *   placeholder → national; another shown code, a "+" placeholder or autocomplete=tel →
 *   international; else national, which input masks expect.
 * The page is then read back: `filled` only when it holds exactly this country and number;
 * another country or number is `mismatch`.
 */
export async function fillPhoneNumber(doc: Document, phone: string, options: FillOptions = {}): Promise<FillResult> {
  const cc = (options.countryCode ?? '1').replace(/\D/g, '');
  const d = phone.replace(/\D/g, '');
  const nat = d.length > 10 && d.startsWith(cc) ? d.slice(cc.length) : d;
  const p = !cc || (cc === '1' ? nat.length !== 10 : nat.length < 6 || nat.length > 14) ? 'invalid-phone' : locate(doc, options);
  if (typeof p === 'string') return { filled: false, fields: [], method: 'none', reason: p };
  const fields: Element[] = [];
  const ctl = countryControl(p);
  const ac = attr(p, 'autocomplete');
  const pre = dialPrefix(p);
  let national = /tel-(?:national|local)/.test(ac);
  if (ctl && setCountry(ctl, cc)) {
    fields.push(ctl);
    national = true;
    // let the widget react to the country (mask, placeholder, a "+1" it puts in the value) before the number goes in
    await sleep();
  } else if (!national) national = pre ? pre === cc : !p.placeholder.includes('+') && (/\d/.test(p.placeholder) || !TEL_AC.test(ac));
  const shown = dialInValue(p);
  // A "+code" in the value stays: the number goes after it, with our country code if it showed another.
  const value = shown ? (shown.code === cc ? shown.prefix : `+${cc} `) + nat : national ? nat : '+' + cc + nat;
  fields.push(p);
  const how = await fillField(p, value, options, (v) => p.isConnected && [nat, cc + nat].includes(v.replace(/\D/g, '')));
  if (!how) return { filled: false, fields, method: 'typed', reason: 'rejected', value };
  return holdsNumber(p, ctl, cc, nat) ? { filled: true, fields, method: how, value } : { filled: false, fields, method: how, reason: 'mismatch', value };
}
