import { activeEl } from './dom';
import type { FillMethod, FillOptions } from './types';

type Field = HTMLInputElement | HTMLSelectElement;

export const sleep = (ms = 0): Promise<void> => new Promise((r) => setTimeout(r, ms));

// The prototype accessor of the field's own window: in the page's world a framework
// (React's value tracker) may have replaced the instance property, and a setter from
// another realm would not apply to this element.
const accessor = (el: Field, prop: string): PropertyDescriptor | undefined => {
  const win = el.ownerDocument.defaultView;
  const ctor = el.localName === 'select' ? win?.HTMLSelectElement : win?.HTMLInputElement;
  return ctor && Object.getOwnPropertyDescriptor(ctor.prototype, prop);
};

/** Reads `value` through the prototype getter, so an instance override can't misreport it. */
export const getValue = (el: Field): string => String(accessor(el, 'value')?.get?.call(el) ?? el.value);

/** Sets a property through the native prototype setter, bypassing framework overrides on the instance. */
export function setProp(el: Field, prop: 'value' | 'selectedIndex', v: string | number): void {
  const set = accessor(el, prop)?.set;
  if (set) set.call(el, v);
  else Reflect.set(el, prop, v);
}

/**
 * Dispatches a bubbling, composed event built from the target's own window (so listeners in
 * either world get a native event). Returns false if a listener cancelled it.
 */
export function fire(el: Element, type: string, init: KeyboardEventInit & InputEventInit = {}): boolean {
  const win = el.ownerDocument.defaultView!;
  const o = { bubbles: true, composed: true, cancelable: !/^(input|change)$/.test(type), ...init };
  const ev = /^key/.test(type) ? new win.KeyboardEvent(type, o) : /input$/.test(type) ? new win.InputEvent(type, o) : new win.Event(type, o);
  return el.dispatchEvent(ev);
}

/** Focuses `el` unless it already has focus (a redundant focus() can reset some widgets). */
export function focus(el: HTMLElement, opts: FillOptions): void {
  if (activeEl(el.ownerDocument, opts) !== el) el.focus();
}

/** Leaves the field as a user tabbing away would, so blur-time validation and formatting run. */
export function blur(el: HTMLElement, opts: FillOptions): void {
  if (activeEl(el.ownerDocument, opts) === el) el.blur();
}

/**
 * Types one character at the end of the value as a keyboard would: keydown, keypress,
 * beforeinput, the insertion (skipped if any of those was cancelled), input, keyup. keyup goes
 * to whatever holds the focus by then, as it would for a real key.
 */
export function typeChar(el: HTMLInputElement, ch: string, opts: FillOptions): void {
  // keyCode/charCode go in the init dictionary, not onto the event object: that is the only way
  // a page's listeners see them when the event is built in a content script's isolated world
  const key = { key: ch, code: (/\d/.test(ch) ? 'Digit' : 'Key') + ch.toUpperCase(), keyCode: ch.toUpperCase().charCodeAt(0) };
  const cc = ch.charCodeAt(0);
  if (fire(el, 'keydown', key) && fire(el, 'keypress', { ...key, keyCode: cc, charCode: cc }) && fire(el, 'beforeinput', { inputType: 'insertText', data: ch })) {
    setProp(el, 'value', getValue(el) + ch);
    fire(el, 'input', { inputType: 'insertText', data: ch });
  }
  fire(activeEl(el.ownerDocument, opts) ?? el, 'keyup', key);
}

/** The native setter, then input and change: what frameworks register from a value set at once. */
export function setAll(el: HTMLInputElement, text: string): void {
  setProp(el, 'value', text);
  fire(el, 'input', { inputType: 'insertText', data: text });
  fire(el, 'change');
}

/**
 * Types `text` key by key, replacing what the field holds (a box's text is selected when it takes
 * the focus), one task per character so the widget can react in between.
 */
export async function typeAll(el: HTMLInputElement, text: string, opts: FillOptions): Promise<void> {
  if (getValue(el)) {
    setProp(el, 'value', '');
    fire(el, 'input', { inputType: 'deleteContentBackward' });
  }
  for (const ch of text) {
    typeChar(el, ch, opts);
    if (text.length > 1) await sleep(opts.typingDelayMs);
  }
  fire(el, 'change');
}

/**
 * Fills one input: native setter + input/change; if the page doesn't keep that (a controlled
 * input reverting it, a mask, a key-driven widget) it clears the field and types the value.
 * `ok` judges the value the field ends up with. Returns how it went in, or null if it didn't.
 */
export async function fillField(el: HTMLInputElement, value: string, opts: FillOptions, ok: (v: string) => boolean): Promise<FillMethod | null> {
  let how: FillMethod | null = 'single';
  focus(el, opts);
  if (!opts.typing) {
    setAll(el, value);
    await sleep();
  }
  if (opts.typing || !ok(getValue(el))) {
    focus(el, opts);
    await typeAll(el, value, opts);
    await sleep();
    how = ok(getValue(el)) ? 'typed' : null;
  }
  blur(el, opts);
  return how;
}
