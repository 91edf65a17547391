import { activeEl, attr, controls, editable, nearText, ownText, rectOf, tier, within } from './dom';
import { blur, fillField, fire, focus, getValue, setProp, sleep, typeChar } from './input';
import { AC_OTHER, EMAIL, EXCLUDED, PASSWORD, PHONE, SMS, norm, strong, weak } from './keywords';
import type { FillFailure, FillOptions, FillResult, OtpTarget, RectLike } from './types';

const isField = (e: Element): e is HTMLInputElement => e.localName === 'input' && /^(text|tel|number|password)$/.test((e as HTMLInputElement).type);

interface Cand extends OtpTarget {
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

/** Whether `b` is inside an ancestor of `a` at most three levels up (a box row's container). */
function close(a: Element, b: Element): boolean {
  let p = a.parentElement;
  for (let i = 0; p && i < 3; i++, p = p.parentElement) if (p.contains(b)) return true;
  return false;
}

/**
 * Rows of three or more consecutive box-like inputs (maxlength=1, or no maxlength and about as
 * wide as tall): visible, sharing a container at most three levels up, on one line, close together.
 */
function boxRuns(inputs: HTMLInputElement[], opts: FillOptions): HTMLInputElement[][] {
  const runs: HTMLInputElement[][] = [];
  let run: HTMLInputElement[] = [];
  let last: RectLike | undefined;
  for (const el of [...inputs, null]) {
    const r = el && rectOf(el, opts);
    const box = !!el && !!r && (el.maxLength < 0 ? r.width > 0 && r.width <= 80 && r.width <= 1.6 * r.height : el.maxLength === 1) && tier(el, opts) < 2;
    const prev = run[run.length - 1];
    if (!box || !prev || !last || !close(prev, el) || Math.abs(r.top - last.top) >= r.height / 2 || Math.abs(r.left - last.left) >= 4 * r.width) {
      if (run.length > 2) runs.push(run);
      run = [];
    }
    if (box) run.push(el);
    last = r ?? undefined;
  }
  return runs;
}

function locate(doc: Document, len: number, opts: FillOptions): Cand | FillFailure {
  const t = opts.target;
  const inputs = controls(doc, opts).filter((e) => isField(e) && (!t || t.localName === 'input' || within(t, e))) as HTMLInputElement[];
  const runs = boxRuns(inputs, opts);
  if (t?.localName === 'input') {
    const run = runs.find((r) => r.length === len && r.includes(t as HTMLInputElement));
    const fields = run ?? [t as HTMLInputElement];
    return isField(t) && fields.every(editable) ? { kind: run ? 'split' : 'single', fields, score: 0, offscreen: false, tier: 0 } : 'not-fillable';
  }
  const cands: Cand[] = [];
  const add = (fields: HTMLInputElement[], score: number): void => {
    const tr = Math.max(...fields.map((f) => tier(f, opts)));
    if (tr < 2) cands.push({ kind: fields.length > 1 ? 'split' : 'single', fields, score, offscreen: tr > 0, tier: tr });
  };
  for (const run of runs) {
    const first = run[0]!;
    // the row's container; its class is left out, as layout classes ("card") say nothing of the field
    let box = first.parentElement!;
    while (!box.contains(run[run.length - 1]!)) box = box.parentElement!;
    const kw = keywords(run.find((b) => attr(b, 'autocomplete').includes('one-time-code')) ?? first, ownText(first) + ' ' + ownText(box, 'id aria-label title'), nearText(box));
    // a row of boxes needs no keyword: its shape says enough
    if (run.length === len && kw >= 0) add(run, kw + 20);
  }
  const boxed = runs.flat();
  for (const el of inputs) {
    const ml = el.maxLength;
    const kw = boxed.includes(el) || (ml >= 0 && ml < len && el.type !== 'number') ? 0 : keywords(el, ownText(el), nearText(el));
    if (kw <= 0) continue;
    const score =
      kw +
      (ml === len ? 10 : 0) +
      (/numeric|decimal/.test(attr(el, 'inputmode')) ? 5 : 0) +
      (/tel|number/.test(el.type) ? 3 : 0) -
      (doc.defaultView?.getComputedStyle(el).opacity === '0' ? 5 : 0);
    if (score >= 8) add([el], score);
  }
  return pick(cands);
}

/**
 * Finds the one-time-code field for a code of `codeLength` characters: one input, or a row of
 * `codeLength` single-character boxes. Null when there is none or two are equally good.
 */
export function findOtpTarget(doc: Document, codeLength: number, options: FillOptions = {}): OtpTarget | null {
  const r = locate(doc, codeLength, options);
  return typeof r === 'string' ? null : r;
}

/**
 * Types the code box by box. When the widget moves the focus itself (on focus, to its first
 * empty box; on input, to its next box) the filler follows it instead of assuming DOM order.
 * Returns the boxes in the order they were filled.
 */
async function fillBoxes(doc: Document, boxes: HTMLInputElement[], code: string, opts: FillOptions): Promise<HTMLInputElement[]> {
  const done: HTMLInputElement[] = [];
  const moved = (from?: Element): HTMLInputElement | undefined => {
    const a = activeEl(doc, opts) as HTMLInputElement;
    return a !== from && boxes.includes(a) && !done.includes(a) ? a : undefined;
  };
  let cur = boxes[0];
  for (const ch of code) {
    if (!cur) break;
    focus(cur, opts);
    cur = moved(cur) ?? cur;
    // typing into a box replaces what it holds, as if its text were selected
    setProp(cur, 'value', '');
    typeChar(cur, ch, opts);
    fire(cur, 'change');
    done.push(cur);
    await sleep(opts.typingDelayMs);
    cur = moved(cur) ?? boxes.find((b) => !done.includes(b));
  }
  await sleep();
  const a = activeEl(doc, opts) as HTMLInputElement;
  if (boxes.includes(a)) blur(a, opts);
  return done;
}

/**
 * Fills a one-time code (3–12 letters or digits; spaces and dashes are dropped) into the page's
 * code field or row of boxes, with the events a page's framework registers, and checks that the
 * page kept it.
 */
export async function fillOtpCode(doc: Document, code: string, options: FillOptions = {}): Promise<FillResult> {
  const c = code.replace(/[\s-]/g, '');
  const t = /^[\da-z]{3,12}$/i.test(c) ? locate(doc, c.length, options) : 'invalid-code';
  if (typeof t === 'string') return { filled: false, fields: [], method: 'none', reason: t };
  const same = (v: string): boolean => v.replace(/[\s-]/g, '').toLowerCase() === c.toLowerCase();
  const el = t.fields[0]!;
  const split = t.kind === 'split';
  const fields = split ? await fillBoxes(doc, t.fields, c, options) : t.fields;
  const how = split ? (same(fields.map(getValue).join('')) ? 'split' : null) : await fillField(el, c, options, (v) => el.isConnected && same(v));
  return how ? { filled: true, fields, method: how, value: c } : { filled: false, fields, method: split ? 'split' : 'typed', reason: 'rejected' };
}
