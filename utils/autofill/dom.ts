import type { FillOptions, RectLike } from './types';

/** Fields a user can type into or choose from; hidden inputs don't count. */
const CONTROLS = 'input:not([type=hidden]),select,textarea';

// attachShadow() is only allowed on custom elements and these, so only they are worth asking
// the (comparatively slow) extension API about.
const HOSTS = /* @__PURE__ */ new Set(['div', 'span', 'p', 'section', 'article', 'aside', 'main', 'nav', 'header', 'footer', 'body', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote']);

export const attr = (el: Element, name: string): string => el.getAttribute(name) ?? '';

/** The parent in the composed tree: a shadow root's host stands in for the missing parent element. */
export const parentOf = (n: Element): Element | null => n.parentElement ?? (n.parentNode as { host?: Element } | null)?.host ?? null;

/** Whether `el` sits inside `box`, looking through shadow boundaries. */
export function within(box: Element, el: Element): boolean {
  for (let n: Element | null = el; n; n = parentOf(n)) if (n === box) return true;
  return false;
}

/**
 * Every input/select/textarea of the document and of its shadow trees (open ones, and closed
 * ones through `opts.openShadowRoot`), in tree order.
 */
export function controls(doc: Document, opts: FillOptions): Element[] {
  const out: Element[] = [];
  // A TreeWalker and plain comparisons: iterating a NodeList or running a regex per element
  // costs several times more on a 10,000-element page.
  const walk = (root: Node): void => {
    const w = doc.createTreeWalker(root, 1);
    for (let el: Element | null; (el = w.nextNode() as Element | null); ) {
      const t = el.localName;
      if (t === 'input' || t === 'select' || t === 'textarea') out.push(el);
      const sr = el.shadowRoot ?? (opts.openShadowRoot && (t.includes('-') || HOSTS.has(t)) ? opts.openShadowRoot(el) : null);
      if (sr) walk(sr);
    }
  };
  walk(doc);
  return out;
}

/** The focused element, descending into shadow roots. */
export function activeEl(doc: Document, opts: FillOptions): Element | null {
  let a = doc.activeElement;
  for (let sr; a && (sr = a.shadowRoot ?? opts.openShadowRoot?.(a)) && sr.activeElement; ) a = sr.activeElement;
  return a;
}

export const rectOf = (el: Element, opts: FillOptions): RectLike => (opts.getRect ? opts.getRect(el) : el.getBoundingClientRect());

/** Not disabled, not read-only, not inside an `inert` subtree or a disabled fieldset. */
export function editable(el: HTMLInputElement | HTMLSelectElement): boolean {
  if (el.disabled || (el as HTMLInputElement).readOnly) return false;
  for (let n: Element | null = el; n; n = parentOf(n)) if (n.matches('[inert],fieldset[disabled]')) return false;
  return true;
}

/**
 * 0: visible; 1: only off-screen or 1 px wide (a last resort); 2: never fill
 * (not editable, display:none, visibility:hidden, zero size). Opacity 0 stays visible:
 * widgets like input-otp draw the digits over a transparent input.
 */
export function tier(el: HTMLInputElement, opts: FillOptions): number {
  const win = el.ownerDocument.defaultView;
  if (!win || !editable(el)) return 2;
  // checkVisibility sees display:none ancestors; computed visibility is inherited, so the field's own tells
  const r = rectOf(el, opts);
  if (el.checkVisibility?.() === false || /hidden|collapse/.test(win.getComputedStyle(el).visibility) || !(r.width > 0 && r.height > 0)) return 2;
  return r.left + r.width + win.scrollX <= 0 || r.top + r.height + win.scrollY <= 0 || r.width < 2 || r.height < 2 ? 1 : 0;
}

/**
 * What the page calls the field: the attributes in `attrs`, and the text of its labels
 * (`<label for>`, a wrapping `<label>`, `aria-labelledby`).
 */
export function ownText(el: Element, attrs = 'name id class placeholder aria-label title'): string {
  let t = attrs.split(' ').map((a) => attr(el, a)).join(' ');
  for (const l of (el as HTMLInputElement).labels ?? []) t += ' ' + l.textContent;
  const root = el.getRootNode() as Document | ShadowRoot;
  for (const id of attr(el, 'aria-labelledby').split(' ')) t += ' ' + ((id && root.getElementById?.(id)?.textContent) || '');
  return t.slice(0, 400);
}

/**
 * Text just before the field: preceding siblings of it and of up to three ancestors (headings,
 * unlabelled captions). Stops at a sibling holding another field, whose text is that field's.
 */
export function nearText(el: Element): string {
  let out = '';
  for (let n: Element | null = el, d = 0; n && d < 4 && out.length < 200 && n.localName !== 'body'; n = parentOf(n), d++)
    for (let s = n.previousSibling, k = 0; s && k < 4; s = s.previousSibling, k++) {
      const e = s.nodeType === 1 ? (s as Element) : null;
      if (e ? /^(script|style|template)$/.test(e.localName) : s.nodeType !== 3) continue;
      if (e && (e.matches(CONTROLS) || e.querySelector(CONTROLS))) return out;
      out = (s.textContent ?? '').trim().slice(-120) + ' ' + out;
    }
  return out;
}
