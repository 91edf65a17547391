import { activeEl, parentOf, rectOf } from './dom';
import type { FillOptions } from './types';

/**
 * Signs that a person cannot type into `el` although it is rendered: it (or an ancestor) is
 * aria-hidden, it ignores the pointer, or (for a box of a row, `box`) another element covers its
 * centre. A widget that draws its boxes this way types into some other, real input. A single
 * input under drawn slots is no decoy by being covered: such widgets focus it from the slots.
 * `tabindex=-1` is not a sign: rows with a roving tabindex give it to every box but the current one.
 */
export function decoy(el: HTMLInputElement, box: boolean, opts: FillOptions): boolean {
  for (let n: Element | null = el; n; n = parentOf(n)) if (n.getAttribute('aria-hidden') === 'true') return true;
  if (el.ownerDocument.defaultView?.getComputedStyle(el).pointerEvents === 'none') return true;
  if (!box) return false;
  const r = rectOf(el, opts);
  const root = el.getRootNode() as Document | ShadowRoot;
  // null outside the viewport (or without layout): no evidence either way
  const top = root.elementFromPoint?.(r.left + r.width / 2, r.top + r.height / 2);
  return !!top && top !== el && !top.contains(el);
}

/**
 * The input the widget really types into, found as a person finds it: focus the drawn box (and
 * click it, for widgets that listen to clicks) and see where the focus lands. Null when it stays
 * on the box or lands outside any input. The focus is handed back afterwards.
 */
export function realInput(box: HTMLInputElement, opts: FillOptions): HTMLInputElement | null {
  const doc = box.ownerDocument;
  const before = activeEl(doc, opts) as HTMLElement | null;
  const landed = (): HTMLInputElement | null => {
    const a = activeEl(doc, opts);
    return a && a !== box && a.localName === 'input' ? (a as HTMLInputElement) : null;
  };
  // from nowhere, so that focus staying where it was is not taken for a hand-over (the real input
  // may itself be the one focused now)
  before?.blur();
  box.focus();
  let found = landed();
  if (!found) {
    box.dispatchEvent(new doc.defaultView!.MouseEvent('click', { bubbles: true, composed: true, cancelable: true }));
    found = landed();
  }
  if (before && before !== doc.body) before.focus();
  else (activeEl(doc, opts) as HTMLElement | null)?.blur();
  return found;
}
