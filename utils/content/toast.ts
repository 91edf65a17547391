/**
 * The small in-page notice ("Code 123456 filled", Copy). It lives in a closed
 * shadow root so the page's styles and scripts can neither restyle it nor
 * read the code from it, and it never takes focus from the page.
 */

const STYLE = `
:host { all: initial; }
.toast { position: fixed; z-index: 2147483647; right: 16px; bottom: 16px; display: flex; gap: 10px; align-items: center;
  font: 14px/1.3 system-ui, sans-serif; color: #eceef2; background: #16181d; border-radius: 8px; padding: 10px 12px;
  box-shadow: 0 4px 16px rgba(0,0,0,.3); max-width: 360px; }
button { font: inherit; color: #0b1530; background: #9cc0ff; border: 0; border-radius: 6px; padding: 4px 10px; cursor: pointer; }
button.close { background: transparent; color: #a9afbb; padding: 2px 6px; }
strong { font-variant-numeric: tabular-nums; letter-spacing: .05em; }
`;

/**
 * Puts a notice in `doc` for `ms` (a newer one replaces an older one): `fill` adds its content to the box,
 * given a function that removes the notice; a Dismiss button ends the box.
 */
function mountToast(doc: Document, role: string, ms: number, fill: (box: HTMLElement, remove: () => void) => void): void {
  doc.querySelectorAll('t2fa-toast').forEach((old) => old.remove());
  const host = doc.createElement('t2fa-toast');
  const root = host.attachShadow({ mode: 'closed' });
  const style = doc.createElement('style');
  style.textContent = STYLE;
  const box = doc.createElement('div');
  box.className = 'toast';
  box.setAttribute('role', role);
  const remove = () => host.remove();
  fill(box, remove);
  const close = doc.createElement('button');
  close.className = 'close';
  close.textContent = '×';
  close.setAttribute('aria-label', 'Dismiss');
  close.addEventListener('click', remove);
  box.append(close);
  root.append(style, box);
  (doc.body ?? doc.documentElement).append(host);
  doc.defaultView?.setTimeout(remove, ms);
}

/**
 * Shows the toast in `doc` for `ms`; a newer toast replaces an older one.
 * `code` (a code or number) is shown in bold and offered for copying unless `copyable` is false.
 */
export function showToast(doc: Document, text: string, code: string, ms = 10_000, copyable = true): void {
  mountToast(doc, 'status', ms, (box) => {
    const label = doc.createElement('span');
    const at = code ? text.indexOf(code) : -1;
    if (at < 0) label.append(text);
    else label.append(text.slice(0, at), Object.assign(doc.createElement('strong'), { textContent: code }), text.slice(at + code.length));
    box.append(label);
    if (!copyable) return;
    const copy = doc.createElement('button');
    copy.textContent = 'Copy';
    copy.addEventListener('click', () => {
      void doc.defaultView?.navigator.clipboard.writeText(code).then(() => (copy.textContent = 'Copied'));
    });
    box.append(copy);
  });
}

/**
 * Asks in the page which of `choices` (numbers) this sign-up used; `onPick` gets the one a person clicked.
 * Only a real click counts: the page's scripted events (`isTrusted` false) pick nothing.
 */
export function showChoiceToast(doc: Document, text: string, choices: string[], onPick: (choice: string) => void, ms = 60_000): void {
  mountToast(doc, 'dialog', ms, (box, remove) => {
    box.style.flexWrap = 'wrap';
    box.append(Object.assign(doc.createElement('span'), { textContent: text }));
    for (const choice of choices) {
      const button = doc.createElement('button');
      button.textContent = choice;
      button.addEventListener('click', (event) => {
        if (!event.isTrusted) return;
        remove();
        onPick(choice);
      });
      box.append(button);
    }
  });
}
