import { attr, controls, editable, nearText, ownText, parentOf, rectOf, tier, within } from './dom';
import { decoy, realInput } from './decoy';
import { AC_OTHER, EMAIL, EXCLUDED, PASSWORD, PHONE, SMS, norm, strong, weak } from './keywords';
import { boxRows } from './rows';
import type { FillFailure, FillOptions, OtpTarget } from './types';

const isField = (e: Element): e is HTMLInputElement => e.localName === 'input' && /^(text|tel|number|password)$/.test((e as HTMLInputElement).type);

export interface Cand extends OtpTarget {
  tier: number;
}

/** The best-scoring candidate of the most visible tier; a tie at the top is 'ambiguous'. */
export function pick<T extends { score: number; tier: number }>(cands: T[]): T | FillFailure {
  const best = Math.min(...cands.map((c) => c.tier));
  const [a, b] = cands.filter((c) => c.tier === best).sort((x, y) => y.score - x.score);
  return !a ? 'no-field' : b?.score === a.score ? 'ambiguous' : a;
}

/**
 * Keyword score from the field's own text and the text before it: 0 for no keyword, -1 when
 * excluded. An exclusion in the field's own text always wins; one only nearby, another field's
 * autocomplete token and the password/e-mail rules yield to autocomplete=one-time-code or a
 * strong keyword of the field's own (type=password is fine for "One-time password", and so is
 * autocomplete=new-password, which some sites put on code fields to keep password managers off).
 */
function keywords(el: HTMLInputElement, ownRaw: string, nearRaw: string): number {
  const own = norm(ownRaw);
  const near = norm(nearRaw);
  const all = own + ' ' + near;
  const ac = attr(el, 'autocomplete');
  const otpAc = ac.includes('one-time-code');
  const sure = otpAc || strong(own);
  const named = norm(attr(el, 'name') + ' ' + el.id);
  if (
    EXCLUDED.test(own) ||
    (!otpAc && PHONE.test(named) && !strong(named)) ||
    (!sure && (AC_OTHER.test(ac) || EXCLUDED.test(near) || el.type === 'password' || PASSWORD.test(own) || EMAIL.test(named) || attr(el, 'placeholder').includes('@')))
  )
    return -1;
  const s = (otpAc ? 100 : 0) + (strong(own) ? 50 : weak(own) ? 15 : 0) + (strong(near) ? 25 : weak(near) ? 8 : 0);
  return s && s + (SMS.test(all) || PHONE.test(all) ? 5 : 0) - (EMAIL.test(all) ? 5 : 0);
}

/** Keyword score of a row: its one-time-code box (or first box), the container's name, the text before it. */
function rowKeywords(row: HTMLInputElement[]): number {
  const first = row[0]!;
  // the row's container; its class is left out, as layout classes ("card") say nothing of the field
  let box = parentOf(first)!;
  while (!within(box, row[row.length - 1]!)) box = parentOf(box)!;
  const lead = row.find((b) => attr(b, 'autocomplete').includes('one-time-code')) ?? first;
  return keywords(lead, ownText(lead) + ' ' + ownText(box, 'id aria-label title'), nearText(box));
}

/** Score of a single field, 0 when it is not a code field. */
function fieldScore(el: HTMLInputElement, len: number): number {
  const ml = el.maxLength;
  const kw = ml >= 0 && ml < len && el.type !== 'number' ? 0 : keywords(el, ownText(el), nearText(el));
  if (kw <= 0) return 0;
  const score =
    kw +
    (ml === len ? 10 : 0) +
    (/numeric|decimal/.test(attr(el, 'inputmode')) ? 5 : 0) +
    (/tel|number/.test(el.type) ? 3 : 0) -
    (el.ownerDocument.defaultView?.getComputedStyle(el).opacity === '0' ? 5 : 0);
  return score >= 8 ? score : 0;
}

/**
 * Ranks a candidate whose fields a person cannot type into (see decoy()) below every real one,
 * unless the widget hands the focus from them to its real input: that input then takes the
 * candidate's place at full rank, however small it is (a widget's 1-px input is no honeypot).
 */
function unmask(c: Cand, opts: FillOptions): Cand {
  if (c.tier > 0 || !c.fields.some((f) => decoy(f, c.kind === 'split', opts))) return c;
  const real = realInput(c.fields[0]!, opts);
  if (real && !c.fields.includes(real) && isField(real) && editable(real) && tier(real, opts) < 2)
    return { kind: 'single', fields: [real], score: c.score, offscreen: false, tier: 0 };
  return { ...c, tier: 1, offscreen: true };
}

/**
 * Finds the code field for a code of `len` characters: a row of `len` boxes or one input, scored
 * by keywords and shape; a candidate made of decoys gives way to the widget's real input.
 */
export function locate(doc: Document, len: number, opts: FillOptions): Cand | FillFailure {
  const t = opts.target;
  const inputs = controls(doc, opts).filter((e) => isField(e) && (!t || t.localName === 'input' || within(t, e))) as HTMLInputElement[];
  const rows = boxRows(inputs, opts);
  if (t?.localName === 'input') {
    const row = rows.find((r) => r.length === len && r.includes(t as HTMLInputElement));
    const fields = row ?? [t as HTMLInputElement];
    return isField(t) && fields.every(editable) ? { kind: row ? 'split' : 'single', fields, score: 0, offscreen: false, tier: 0 } : 'not-fillable';
  }
  const cands: Cand[] = [];
  const add = (fields: HTMLInputElement[], score: number): void => {
    const tr = Math.max(...fields.map((f) => tier(f, opts)));
    if (tr < 2) cands.push({ kind: fields.length > 1 ? 'split' : 'single', fields, score, offscreen: tr > 0, tier: tr });
  };
  for (const row of rows) {
    const kw = row.length === len ? rowKeywords(row) : -1;
    // a row of boxes (one character, or no wider than 1.6 × their height) needs no keyword, its
    // shape says enough; a row of wide fields needs one
    if (kw > 0 || (kw === 0 && row.every((b) => b.maxLength === 1 || rectOf(b, opts).width <= 1.6 * rectOf(b, opts).height))) add(row, kw + 20);
  }
  const boxed = new Set(rows.flat());
  for (const el of inputs) {
    const score = boxed.has(el) ? 0 : fieldScore(el, len);
    if (score) add([el], score);
  }
  // Several decoys of one widget may lead to the same real input: it counts once, at its best.
  const seen = new Set<Element>();
  const real = cands.map((c) => unmask(c, opts)).sort((a, b) => a.tier - b.tier || b.score - a.score);
  return pick(real.filter((c) => c.kind === 'split' || (!seen.has(c.fields[0]!) && !!seen.add(c.fields[0]!))));
}
