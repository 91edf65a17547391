import { activeEl } from './dom';
import { fire, focus, setAll, setProp, sleep, typeAll } from './input';
import type { FillOptions, FillStrategy, OtpTarget } from './types';

/** Puts one character (into a box) or the whole code (into a single field) into a field. */
type Put = (el: HTMLInputElement, text: string, opts: FillOptions) => void | Promise<void>;

/**
 * Goes through the boxes one character each. When the widget moves the focus itself (on focus,
 * to its first empty box; on input, to its next box) it follows the widget instead of assuming
 * DOM order. Returns the boxes in the order they were filled.
 */
async function walk(boxes: HTMLInputElement[], code: string, opts: FillOptions, put: Put): Promise<HTMLInputElement[]> {
  const doc = boxes[0]!.ownerDocument;
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
    await put(cur, ch, opts);
    done.push(cur);
    await sleep(opts.typingDelayMs);
    cur = moved(cur) ?? boxes.find((b) => !done.includes(b));
  }
  return done;
}

/** The whole code into one field, or a character per box. */
async function fill(t: OtpTarget, code: string, opts: FillOptions, put: Put): Promise<HTMLInputElement[]> {
  if (t.kind === 'split') return walk(t.fields, code, opts, put);
  focus(t.fields[0]!, opts);
  await put(t.fields[0]!, code, opts);
  return t.fields;
}

/**
 * A paste of the code on the first box (or the one the widget sends the focus to) or the single
 * input: a `paste` event whose clipboardData carries the code. Widgets that spread a paste over
 * their boxes cancel it and do their own thing; otherwise the text goes in as the browser would
 * insert it (a synthetic paste inserts nothing by itself), cut to the field's maxlength.
 */
async function paste(t: OtpTarget, code: string, opts: FillOptions): Promise<HTMLInputElement[]> {
  let el = t.fields[0]!;
  focus(el, opts);
  const a = activeEl(el.ownerDocument, opts) as HTMLInputElement;
  if (t.fields.includes(a)) el = a;
  const win = el.ownerDocument.defaultView!;
  const data = win.DataTransfer ? new win.DataTransfer() : null;
  data?.setData('text/plain', code);
  // clipboardData is what Chromium and Safari take; Firefox's ClipboardEventInit has only its own
  // `data`/`dataType` members, from which it builds the event's clipboardData. Each ignores the other's.
  const init = { bubbles: true, cancelable: true, composed: true, clipboardData: data, dataType: 'text/plain', data: code };
  const ev = new win.ClipboardEvent('paste', init);
  if (el.dispatchEvent(ev)) {
    const text = el.maxLength >= 0 ? code.slice(0, el.maxLength) : code;
    if (fire(el, 'beforeinput', { inputType: 'insertFromPaste', data: text })) {
      setProp(el, 'value', text);
      fire(el, 'input', { inputType: 'insertFromPaste', data: text });
      fire(el, 'change');
    }
  }
  return t.fields;
}

/**
 * The ways a code goes in, tried in this order. After each, the page is read back (verify.ts);
 * one that did not leave exactly the code is undone before the next is tried.
 */
export const STRATEGIES: ReadonlyArray<{ name: FillStrategy; run(t: OtpTarget, code: string, opts: FillOptions): Promise<HTMLInputElement[]> }> = [
  { name: 'setter', run: (t, code, opts) => fill(t, code, opts, setAll) },
  { name: 'paste', run: paste },
  { name: 'typing', run: (t, code, opts) => fill(t, code, opts, typeAll) },
];
