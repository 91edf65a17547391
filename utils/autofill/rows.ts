import { parentOf, rectOf, within } from './dom';
import type { FillOptions, RectLike } from './types';

/** How many levels up two neighbouring boxes may meet: a box is often wrapped 3–4 deep (Naive UI, MUI). */
const MAX_DEPTH = 5;

/**
 * Whether `a` and `b` meet in an ancestor at most MAX_DEPTH levels above `a` (through shadow
 * boundaries, for boxes that are components of their own): one container holds the row.
 */
function sameContainer(a: Element, b: Element): boolean {
  let p = parentOf(a);
  for (let i = 0; p && i < MAX_DEPTH; i++, p = parentOf(p)) if (within(p, b)) return true;
  return false;
}

const near = (a: number, b: number): boolean => Math.abs(a - b) <= Math.max(2, 0.15 * Math.max(a, b));

/**
 * Whether box `r` continues a row whose last box is `p`: about the same size, on the same line,
 * beside it with a gap no wider than a box (either direction, for right-to-left rows), not on top of it.
 */
function follows(p: RectLike, r: RectLike): boolean {
  const gap = Math.max(r.left - p.left - p.width, p.left - r.left - r.width);
  return near(p.width, r.width) && near(p.height, r.height) && Math.abs(r.top - p.top) < r.height / 2 && gap > -r.width / 2 && gap <= Math.max(r.width, r.height);
}

/**
 * Rows of three or more consecutive inputs (tree order) that look like one code widget: boxes of
 * about one size, on one line, side by side, in one container. Found by their geometry relative
 * to each other, not by absolute size, so wide design-system boxes count; maxlength and
 * autocomplete may differ from box to box (a first box that takes a paste). An input that is
 * not rendered between two boxes does not split a row.
 */
export function boxRows(inputs: HTMLInputElement[], opts: FillOptions): HTMLInputElement[][] {
  const rows: HTMLInputElement[][] = [];
  let row: HTMLInputElement[] = [];
  let last: RectLike | undefined;
  for (const el of [...inputs, null]) {
    const r = el && rectOf(el, opts);
    // not rendered (display:none, zero size): no part of any row, and no gap in one either
    if (r && !(r.width > 0 && r.height > 0)) continue;
    if (!el || !r || !last || !follows(last, r) || !sameContainer(row[row.length - 1]!, el)) {
      if (row.length > 2) rows.push(row);
      row = [];
    }
    if (el) row.push(el);
    last = r ?? undefined;
  }
  return rows;
}
