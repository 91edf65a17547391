import { locate } from './detect';
import { blur } from './input';
import { STRATEGIES } from './strategies';
import type { FillOptions, FillResult, OtpTarget } from './types';
import { restore, snapshot, verify } from './verify';

export { pick } from './detect';

const METHOD = { setter: 'single', paste: 'paste', typing: 'typed' } as const;

/**
 * Finds the one-time-code field for a code of `codeLength` characters: one input, or a row of
 * `codeLength` single-character boxes. Null when there is none or two are equally good.
 */
export function findOtpTarget(doc: Document, codeLength: number, options: FillOptions = {}): OtpTarget | null {
  const r = locate(doc, codeLength, options);
  return typeof r === 'string' ? null : r;
}

/**
 * Fills a one-time code (3–12 letters or digits; spaces and dashes are dropped) into the page's
 * code field or row of boxes. The strategies of strategies.ts are tried in order; after each the
 * page is read back, and only a page holding exactly the code across its fields counts as filled.
 * A strategy that falls short is undone before the next. When none works the result says
 * 'rejected', with what each attempt left.
 */
export async function fillOtpCode(doc: Document, code: string, options: FillOptions = {}): Promise<FillResult> {
  const c = code.replace(/[\s-]/g, '');
  const t = /^[\da-z]{3,12}$/i.test(c) ? locate(doc, c.length, options) : 'invalid-code';
  if (typeof t === 'string') return { filled: false, fields: [], method: 'none', reason: t };
  const split = t.kind === 'split';
  const attempts: NonNullable<FillResult['attempts']> = [];
  for (const s of STRATEGIES) {
    if (options.typing && s.name !== 'typing') continue;
    const before = snapshot(t.fields);
    const order = await s.run(t, c, options);
    // leave the fields as a user tabbing away would, so blur-time validation and formatting run
    for (const f of t.fields) blur(f, options);
    const held = await verify(t.fields, order, c);
    if (held === true) {
      return { filled: true, fields: order, method: split ? 'split' : METHOD[s.name], strategy: s.name, value: c };
    }
    attempts.push({ strategy: s.name, held });
    restore(before);
  }
  return { filled: false, fields: t.fields, method: split ? 'split' : 'typed', reason: 'rejected', attempts };
}
