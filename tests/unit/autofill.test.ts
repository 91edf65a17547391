// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { fillOtpCode, fillPhoneNumber, findOtpTarget, findPhoneField } from '../../utils/autofill';
import { STRATEGIES } from '../../utils/autofill/strategies';
import { restore, snapshot, verify } from '../../utils/autofill/verify';
import type { FillOptions, RectLike } from '../../utils/autofill';

/**
 * happy-dom has no layout, so tests supply boxes: `data-rect="left top width height"`, else inline
 * `width`/`height` in px, else a 160×32 box on screen.
 */
function rect(el: Element): RectLike {
  const r = el.getAttribute('data-rect');
  if (r) {
    const [left = 0, top = 0, width = 0, height = 0] = r.split(/\s+/).map(Number);
    return { left, top, width, height };
  }
  const st = (el as HTMLElement).style;
  const px = (v: string, d: number): number => (/px$/.test(v) ? parseFloat(v) : d);
  return { left: 10, top: 10, width: px(st?.width ?? '', 160), height: px(st?.height ?? '', 32) };
}

const opts = (o: FillOptions = {}): FillOptions => ({ getRect: rect, ...o });

/** Replaces the body and returns the document. */
function page(html: string): Document {
  document.body.innerHTML = html;
  (document.activeElement as HTMLElement | null)?.blur?.();
  return document;
}

const $ = <T extends Element = HTMLInputElement>(sel: string, root: ParentNode = document): T => {
  const el = root.querySelector<T>(sel);
  if (!el) throw new Error('no ' + sel);
  return el;
};

interface Logged {
  type: string;
  data?: string | null;
  inputType?: string;
  key?: string;
  keyCode?: number;
  bubbles: boolean;
  composed: boolean;
}

const TYPES = ['focus', 'blur', 'keydown', 'keypress', 'beforeinput', 'input', 'change', 'keyup'];

/** Records the events an element receives, with the fields frameworks read. */
function record(el: Element): Logged[] {
  const log: Logged[] = [];
  for (const type of TYPES)
    el.addEventListener(type, (e) => {
      const ie = e as InputEvent;
      const ke = e as KeyboardEvent;
      log.push({
        type,
        ...(type.endsWith('input') ? { data: ie.data, inputType: ie.inputType } : {}),
        ...(type.startsWith('key') ? { key: ke.key, keyCode: ke.keyCode } : {}),
        bubbles: e.bubbles,
        composed: e.composed,
      });
    });
  return log;
}

const types = (log: Logged[]): string[] => log.map((e) => e.type);

const nativeValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!;

describe('OTP detection', () => {
  it('prefers autocomplete=one-time-code and fires focus, input (insertText with the code), change, blur', async () => {
    const doc = page(`
      <form>
        <label for=n>Name</label><input id=n name=name>
        <label for=e>Email</label><input id=e type=email name=email>
        <input id=o name=x autocomplete="one-time-code">
      </form>`);
    const log = record($('#o'));
    const bubbled: { target: string; composed: boolean }[] = [];
    doc.addEventListener('input', (e) => bubbled.push({ target: (e.target as Element).id, composed: e.composed }));
    const r = await fillOtpCode(doc, '123456', opts());
    expect(r).toMatchObject({ filled: true, method: 'single', value: '123456' });
    expect(r.fields).toEqual([$('#o')]);
    expect($('#o').value).toBe('123456');
    expect($('#n').value).toBe('');
    expect($('#e').value).toBe('');
    expect(types(log)).toEqual(['focus', 'input', 'change', 'blur']);
    expect(log[1]).toMatchObject({ data: '123456', inputType: 'insertText', bubbles: true, composed: true });
    expect(log[2]).toMatchObject({ bubbles: true });
    expect(bubbled).toEqual([{ target: 'o', composed: true }]);
  });

  it('finds a field by its <label for> alone', async () => {
    const doc = page(`<label for=a>First name</label><input id=a><label for=b>Verification code</label><input id=b>`);
    expect(findOtpTarget(doc, 6, opts())?.fields).toEqual([$('#b')]);
    await fillOtpCode(doc, '482913', opts());
    expect([$('#a').value, $('#b').value]).toEqual(['', '482913']);
  });

  it('reads wrapping labels, aria-labelledby and aria-label', async () => {
    for (const html of [
      `<label>City <input id=x></label><label>Security code <input id=t></label>`,
      `<span id=l>Enter the SMS code</span><input id=x name=city><input id=t aria-labelledby=l>`,
      `<input id=x name=city><input id=t aria-label="Authentication code">`,
    ]) {
      const doc = page(html);
      expect((await fillOtpCode(doc, '777111', opts())).filled).toBe(true);
      expect([$('#x').value, $('#t').value]).toEqual(['', '777111']);
    }
  });

  it('uses the text just before an unlabelled field (a heading or caption)', async () => {
    const doc = page(`<input id=s name=city>
      <div><h2>Two-factor authentication</h2><p>We texted you a code.</p><div><div><input id=t></div></div></div>`);
    await fillOtpCode(doc, '135790', opts());
    expect([$('#s').value, $('#t').value]).toEqual(['', '135790']);
  });

  it("doesn't take a caption that belongs to another field", () => {
    const doc = page(`<div><span>Verification code</span><input id=a name=otp></div><div><input id=b name=city></div>`);
    expect(findOtpTarget(doc, 6, opts())?.fields).toEqual([$('#a')]);
  });

  it.each([
    ['es', 'Código de verificación'],
    ['fr', 'Code de vérification'],
    ['de', 'Bestätigungscode'],
    ['pt', 'Código de confirmação'],
    ['it', 'Codice di verifica'],
    ['ru', 'Код подтверждения'],
    ['zh', '短信验证码'],
    ['zh-TW', '驗證碼'],
    ['ja', '認証コード'],
    ['ko', '인증번호'],
    ['pl', 'Kod weryfikacyjny'],
    ['tr', 'Doğrulama kodu'],
    ['nl', 'Verificatiecode'],
  ])('recognises the %s label "%s" over an ambiguous "code" field', async (_lang, label) => {
    const doc = page(`<label>Code <input id=weak></label><label>${label} <input id=t></label>`);
    const r = await fillOtpCode(doc, '246810', opts());
    expect(r.filled).toBe(true);
    expect([$('#weak').value, $('#t').value]).toEqual(['', '246810']);
  });

  it.each([
    ['otp', `<input id=t name="otpCode">`],
    ['2fa', `<input id=t name="twoFactorToken">`],
    ['mfa', `<input id=t name="mfa_code">`],
    ['passcode', `<input id=t placeholder="Passcode">`],
    ['one-time', `<input id=t placeholder="One-time code">`],
    ['ru one-time password', `<input id=t type=password aria-label="Одноразовый пароль">`],
    ['de one-time password', `<input id=t type=password aria-label="Einmalpasswort">`],
  ])('recognises %s in attributes', async (_k, html) => {
    const doc = page(`<input id=n name=fullname>${html}`);
    await fillOtpCode(doc, '112233', opts());
    expect($('#t').value).toBe('112233');
    expect($('#n').value).toBe('');
  });

  it('accepts a code field marked autocomplete=new-password to keep password managers off, but not a password', async () => {
    const doc = page(`<input id=p type=password name=password autocomplete=new-password><input id=t name=otp autocomplete=new-password>`);
    await fillOtpCode(doc, '123456', opts());
    expect([$('#p').value, $('#t').value]).toEqual(['', '123456']);
  });

  it('accepts type=password with autocomplete=one-time-code', async () => {
    const doc = page(`<input id=t type=password autocomplete=one-time-code>`);
    expect((await fillOtpCode(doc, '908172', opts())).filled).toBe(true);
    expect($('#t').value).toBe('908172');
  });

  it('prefers the field that mentions SMS over the one that mentions e-mail', async () => {
    const doc = page(`<label>Email verification code <input id=e></label><label>SMS verification code <input id=s></label>`);
    await fillOtpCode(doc, '555000', opts());
    expect([$('#e').value, $('#s').value]).toEqual(['', '555000']);
  });

  it('scores the shape: maxlength equal to the code length and inputmode=numeric win a keyword tie', () => {
    const doc = page(`<input id=a name=code><input id=b name=code maxlength=6 inputmode=numeric>`);
    expect(findOtpTarget(doc, 6, opts())?.fields).toEqual([$('#b')]);
  });

  it('fills a type=number field, keeping a leading zero', async () => {
    const doc = page(`<label>Security code <input id=t type=number></label>`);
    expect(await fillOtpCode(doc, '012345', opts())).toMatchObject({ filled: true, method: 'single' });
    expect($('#t').value).toBe('012345');
  });

  it('skips a field too short for the code', async () => {
    const doc = page(`<input id=a autocomplete=one-time-code maxlength=4>`);
    expect(await fillOtpCode(doc, '123456', opts())).toMatchObject({ filled: false, reason: 'no-field' });
    expect($('#a').value).toBe('');
  });

  it('refuses to choose between two equally good fields', async () => {
    const doc = page(`<label>Code <input id=a></label><label>Code <input id=b></label>`);
    expect(await fillOtpCode(doc, '123456', opts())).toMatchObject({ filled: false, reason: 'ambiguous', fields: [] });
    expect(findOtpTarget(doc, 6, opts())).toBeNull();
    expect([$('#a').value, $('#b').value]).toEqual(['', '']);
  });

  it('finds nothing on a page without a code field', async () => {
    const doc = page(`<label>Name <input id=a></label><input type=checkbox><textarea></textarea>`);
    expect(await fillOtpCode(doc, '123456', opts())).toEqual({ filled: false, fields: [], method: 'none', reason: 'no-field' });
  });

  it('rejects codes that are not 3–12 letters or digits, and ignores spaces/dashes in good ones', async () => {
    const doc = page(`<input id=t autocomplete=one-time-code>`);
    for (const bad of ['', '12', '12345678901234', '12 34;56', '<script>'])
      expect(await fillOtpCode(doc, bad, opts())).toMatchObject({ filled: false, reason: 'invalid-code' });
    expect($('#t').value).toBe('');
    expect(await fillOtpCode(doc, '123 456', opts())).toMatchObject({ filled: true, value: '123456' });
    expect($('#t').value).toBe('123456');
  });
});

describe('OTP exclusions', () => {
  // Each excluded field reads as a code field but for the exclusion, and comes first.
  it.each([
    ['promo', `<label>Promo code <input id=x></label>`],
    ['coupon', `<input id=x name=coupon_code placeholder="Code">`],
    ['voucher', `<label>Voucher code <input id=x maxlength=6></label>`],
    ['discount', `<label>Discount code <input id=x></label>`],
    ['gift', `<label>Gift card code <input id=x></label>`],
    ['zip', `<label>ZIP code <input id=x inputmode=numeric></label>`],
    ['postal', `<label>Postal code <input id=x></label>`],
    ['postcode', `<input id=x name=postcode aria-label="Code">`],
    ['search type', `<input id=x type=search name=code>`],
    ['search', `<input id=x name=q placeholder="Search by code">`],
    ['email', `<input id=x name=email placeholder="Code">`],
    ['email placeholder', `<input id=x placeholder="you@example.com" aria-label="Code">`],
    ['password', `<label>Password <input id=x type=password name=code></label>`],
    ['password text', `<input id=x name=password aria-label="PIN code">`],
    ['card', `<label>Card security code <input id=x inputmode=numeric maxlength=6></label>`],
    ['cvv', `<input id=x name=cvv placeholder="Code">`],
    ['expiry', `<input id=x name=exp placeholder="MM/YY code">`],
    ['recovery', `<label>Recovery code <input id=x></label>`],
    ['backup', `<label>Backup code <input id=x></label>`],
    ['captcha', `<label>Captcha code <input id=x></label>`],
    ['captcha image', `<p>Type the characters in the image</p><div><input id=x name=code></div>`],
    ['heading promo', `<h3>Have a promo code?</h3><div><input id=x name=code></div>`],
    ['phone-named', `<input id=x name=phone aria-label="Code">`],
    ['autocomplete postal-code', `<input id=x autocomplete=postal-code aria-label="Code">`],
  ])('never fills a %s field', async (_k, html) => {
    // alone on the page: nothing to fill
    let doc = page(html);
    expect(await fillOtpCode(doc, '123456', opts())).toMatchObject({ filled: false, reason: 'no-field' });
    expect($('#x').value).toBe('');
    // beside a weak real field: the real one gets it
    doc = page(`<div>${html}</div><div><span>Code</span><input id=real></div>`);
    expect((await fillOtpCode(doc, '123456', opts())).fields).toEqual([$('#real')]);
    expect($('#x').value).toBe('');
    expect($('#real').value).toBe('123456');
  });
});

describe('visibility', () => {
  // every decoy has the strongest signal (autocomplete) and comes first; the real field only says "Code"
  it.each([
    ['display:none', `<input id=x autocomplete=one-time-code style="display:none">`],
    ['display:none ancestor (stylesheet)', `<style>.gone{display:none}</style><div class=gone><div><input id=x autocomplete=one-time-code></div></div>`],
    ['visibility:hidden', `<div style="visibility:hidden"><input id=x autocomplete=one-time-code></div>`],
    ['zero size', `<input id=x autocomplete=one-time-code style="width:0px;height:0px">`],
    ['inert ancestor', `<div inert><input id=x autocomplete=one-time-code></div>`],
    ['disabled', `<input id=x autocomplete=one-time-code disabled>`],
    ['disabled fieldset', `<fieldset disabled><input id=x autocomplete=one-time-code></fieldset>`],
    ['readonly', `<input id=x autocomplete=one-time-code readonly>`],
  ])('skips a %s decoy', async (_k, html) => {
    const doc = page(`${html}<label>Code <input id=real></label>`);
    const r = await fillOtpCode(doc, '654321', opts());
    expect(r).toMatchObject({ filled: true, fields: [$('#real')] });
    expect($('#x').value).toBe('');
    expect($('#real').value).toBe('654321');
  });

  it('uses an off-screen field only when nothing visible qualifies', async () => {
    let doc = page(`<input id=off autocomplete=one-time-code data-rect="-9999 0 160 32"><label>Code <input id=real></label>`);
    await fillOtpCode(doc, '111222', opts());
    expect([$('#off').value, $('#real').value]).toEqual(['', '111222']);
    doc = page(`<input id=off autocomplete=one-time-code data-rect="-9999 0 160 32">`);
    expect(findOtpTarget(doc, 6, opts())).toMatchObject({ offscreen: true, fields: [$('#off')] });
    expect((await fillOtpCode(doc, '111222', opts())).filled).toBe(true);
    expect($('#off').value).toBe('111222');
  });

  it('fills the transparent input of a digits-drawn-in-divs widget (input-otp)', async () => {
    const doc = page(`
      <div style="position:relative">
        <div class=slots><div>1</div><div>2</div><div>3</div><div></div><div></div><div></div></div>
        <input id=t autocomplete=one-time-code inputmode=numeric maxlength=6 style="opacity:0;position:absolute;inset:0">
      </div>`);
    expect((await fillOtpCode(doc, '808080', opts())).filled).toBe(true);
    expect($('#t').value).toBe('808080');
  });
});

describe('split boxes', () => {
  // side by side, 40×44 with 10 px gaps, unless the attributes place them
  const boxes = (n: number, attrs = 'maxlength=1', wrap = false): string =>
    Array.from({ length: n }, (_, i) => {
      const box = `<input class=b data-i=${i} ${attrs.includes('data-rect') ? '' : `data-rect="${10 + i * 50} 10 40 44"`} ${attrs}>`;
      return wrap ? `<div>${box}</div>` : box;
    }).join('');
  const all = (): HTMLInputElement[] => [...document.querySelectorAll<HTMLInputElement>('.b')];

  it('fills 6 single-character boxes one by one through the native setter with input and change events', async () => {
    const doc = page(`<p>Enter the code</p><div class=row>${boxes(6, 'maxlength=1 inputmode=numeric', true)}</div>`);
    const logs = all().map(record);
    const r = await fillOtpCode(doc, '406213', opts());
    expect(r).toMatchObject({ filled: true, method: 'split', strategy: 'setter', value: '406213' });
    expect(r.fields).toEqual(all());
    expect(all().map((b) => b.value)).toEqual(['4', '0', '6', '2', '1', '3']);
    expect(types(logs[0]!)).toEqual(['focus', 'input', 'change', 'blur']);
    expect(logs[0]![1]).toMatchObject({ data: '4', inputType: 'insertText', bubbles: true, composed: true });
    expect(types(logs[5]!)).toEqual(['focus', 'input', 'change', 'blur']);
  });

  it('types box by box with key events when typing is asked for', async () => {
    const doc = page(`<div>${boxes(6)}</div>`);
    const logs = all().map(record);
    expect(await fillOtpCode(doc, '406213', opts({ typing: true }))).toMatchObject({ filled: true, method: 'split', strategy: 'typing' });
    expect(types(logs[0]!)).toEqual(['focus', 'keydown', 'keypress', 'beforeinput', 'input', 'keyup', 'change', 'blur']);
    expect(logs[0]![1]).toMatchObject({ key: '4', keyCode: 52 });
    expect(logs[0]![4]).toMatchObject({ data: '4', inputType: 'insertText', bubbles: true, composed: true });
  });

  it('treats a row of boxes as one field even without any keyword', () => {
    const doc = page(`<input name=city><div>${boxes(6)}</div>`);
    expect(findOtpTarget(doc, 6, opts())).toMatchObject({ kind: 'split', fields: all() });
  });

  it('ignores layout classes of the row container ("card")', async () => {
    const doc = page(`<div class="card search-panel">${boxes(6)}</div>`);
    expect(findOtpTarget(doc, 6, opts())).toMatchObject({ kind: 'split', fields: all() });
  });

  it('groups narrow same-size boxes without maxlength', async () => {
    const doc = page(`<div aria-label="Verification code">${boxes(6, '')}</div>`);
    await fillOtpCode(doc, '918273', opts());
    expect(all().map((b) => b.value).join('')).toBe('918273');
  });

  it('does not use 4 boxes for a 6-digit code, nor any single box of them', async () => {
    const doc = page(`<p>Verification code</p><div>${boxes(4)}</div>`);
    expect(await fillOtpCode(doc, '123456', opts())).toMatchObject({ filled: false, reason: 'no-field' });
    expect(all().map((b) => b.value)).toEqual(['', '', '', '']);
    expect((await fillOtpCode(doc, '1234', opts())).filled).toBe(true);
    expect(all().map((b) => b.value).join('')).toBe('1234');
  });

  it('skips a hidden row of boxes beside the visible one', async () => {
    const doc = page(`<div style="display:none">${boxes(6, 'maxlength=1 autocomplete=one-time-code')}</div><div id=v>${boxes(6)}</div>`);
    await fillOtpCode(doc, '123456', opts());
    expect(all().slice(0, 6).map((b) => b.value)).toEqual(['', '', '', '', '', '']);
    expect([...$('#v', doc).querySelectorAll('input')].map((b) => b.value).join('')).toBe('123456');
  });

  it('follows the focus when the widget moves it itself', async () => {
    // a right-to-left widget: its first box is the last in the DOM; focusing any box sends the
    // focus to its first empty one, and each input moves it to its next box
    const doc = page(`<div dir=rtl>${boxes(6)}</div>`);
    const logical = all().reverse();
    for (const [i, b] of logical.entries()) {
      b.addEventListener('focus', () => {
        const empty = logical.find((x) => !x.value);
        if (empty && empty !== b) empty.focus();
      });
      b.addEventListener('input', () => logical[i + 1]?.focus());
    }
    const r = await fillOtpCode(doc, '123456', opts());
    expect(logical.map((b) => b.value)).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(r).toMatchObject({ filled: true, method: 'split', fields: logical });
  });

  it('types into a widget that takes digits only from keydown, after the setter and a paste fail and are undone', async () => {
    const doc = page(`<div>${boxes(6)}</div>`);
    const bs = all();
    const model = ['', '', '', '', '', ''];
    const seen: string[] = [];
    for (const [i, b] of bs.entries()) {
      b.addEventListener('keydown', (e) => {
        if (!/^\d$/.test(e.key)) return;
        e.preventDefault();
        seen.push(e.key);
        model[i] = e.key;
        nativeValue.set!.call(b, e.key);
        bs[i + 1]?.focus();
      });
      // controlled: a value that did not come from a key is rendered over
      b.addEventListener('input', () => nativeValue.set!.call(b, model[i]));
    }
    const r = await fillOtpCode(doc, '314159', opts());
    expect(r).toMatchObject({ filled: true, method: 'split', strategy: 'typing' });
    expect(seen).toEqual(['3', '1', '4', '1', '5', '9']);
    expect(model.join('')).toBe('314159');
  });

  it('replaces what the boxes already hold', async () => {
    const doc = page(`<div>${boxes(6, 'maxlength=1 value=9')}</div>`);
    await fillOtpCode(doc, '123456', opts());
    expect(all().map((b) => b.value).join('')).toBe('123456');
  });
});

describe('split boxes: rows', () => {
  it('keeps two stacked rows apart and picks the SMS one', async () => {
    const row = (top: number): string =>
      Array.from({ length: 6 }, (_, i) => `<input maxlength=1 class=r${top} data-rect="${10 + i * 50} ${top} 40 40">`).join('');
    const doc = page(`<p>Email code</p><div>${row(100)}</div><p>SMS code</p><div>${row(300)}</div>`);
    const r = await fillOtpCode(doc, '123456', opts());
    expect(r).toMatchObject({ filled: true, method: 'split' });
    expect([...doc.querySelectorAll<HTMLInputElement>('.r100')].map((b) => b.value).join('')).toBe('');
    expect([...doc.querySelectorAll<HTMLInputElement>('.r300')].map((b) => b.value).join('')).toBe('123456');
  });
});

describe('rows by relative geometry (component-library widgets)', () => {
  const row = (n: number, attrs: (i: number) => string, w = 40, h = 44, wrap = (x: string) => x): string =>
    Array.from({ length: n }, (_, i) => wrap(`<input class=b ${attrs(i)} data-rect="${10 + i * (w + 12)} 100 ${w} ${h}">`)).join('');
  const all = (): HTMLInputElement[] => [...document.querySelectorAll<HTMLInputElement>('.b')];

  it('takes six wide type=number fields on one line for a row (a design system stretching them)', async () => {
    const doc = page(`<p>Enter the code we texted you</p><div>${row(6, () => 'type=number autocomplete=one-time-code', 190, 45)}</div>`);
    expect(findOtpTarget(doc, 6, opts())).toMatchObject({ kind: 'split', fields: all() });
    expect(await fillOtpCode(doc, '408317', opts())).toMatchObject({ filled: true, method: 'split' });
    expect(all().map((b) => b.value).join('')).toBe('408317');
  });

  it('needs a keyword for a row of wide fields, not for a row of boxes', () => {
    let doc = page(`<div>${row(6, (i) => `name=f${i}`, 190, 45)}</div>`);
    expect(findOtpTarget(doc, 6, opts())).toBeNull();
    doc = page(`<div>${row(6, (i) => `name=f${i}`)}</div>`);
    expect(findOtpTarget(doc, 6, opts())).toMatchObject({ kind: 'split' });
  });

  it('lets the first box differ in maxlength and autocomplete (Radix: it takes a paste of the whole code)', () => {
    const doc = page(`<div>${row(6, (i) => (i ? 'maxlength=1 autocomplete=off' : 'maxlength=6 autocomplete=one-time-code'))}</div>`);
    expect(findOtpTarget(doc, 6, opts())).toMatchObject({ kind: 'split', fields: all() });
  });

  it('groups boxes wrapped four levels deep in one container (Naive UI), but not boxes of two containers far apart in the tree', () => {
    let doc = page(`<div class=otp>${row(6, () => '', 40, 44, (x) => `<div><div><div>${x}</div></div></div>`)}</div>`);
    expect(findOtpTarget(doc, 6, opts())).toMatchObject({ kind: 'split', fields: all() });
    doc = page(`<div><div><div><div><div><div>${row(3, () => '')}</div></div></div></div></div></div><div><div><div><div><div><div>${row(3, (i) => `data-rect="${166 + i * 52} 100 40 44"`)}</div></div></div></div></div></div>`);
    expect(findOtpTarget(doc, 6, opts())).toBeNull();
  });

  it('keeps boxes of different sizes, or overlapping ones, out of one row', () => {
    let doc = page(`<div>${row(3, () => '')}${row(3, (i) => `data-rect="${166 + i * 72} 100 60 44"`)}</div>`);
    expect(findOtpTarget(doc, 6, opts())).toBeNull();
    doc = page(`<div>${Array.from({ length: 6 }, () => '<input class=b data-rect="10 100 40 44">').join('')}</div>`);
    expect(findOtpTarget(doc, 6, opts())).toBeNull();
  });

  it('does not take tabindex=-1 for a decoy: a roving-tabindex row is filled', async () => {
    const doc = page(`<div>${row(6, (i) => `maxlength=1 tabindex=${i ? -1 : 0}`)}</div>`);
    expect(await fillOtpCode(doc, '515151', opts())).toMatchObject({ filled: true, method: 'split', fields: all() });
  });

  it('fills the tiny real input a widget focuses from its aria-hidden boxes, at full rank, and leaves the boxes alone', async () => {
    const doc = page(`<div class=otp-widget>${row(6, () => 'class="b otp-digit" aria-hidden=true tabindex=-1 maxlength=1')}
      <input id=real inputmode=numeric data-rect="10 100 1 1"></div><label>Name <input id=name></label>`);
    const real = $('#real');
    for (const b of all()) b.addEventListener('focus', () => real.focus());
    expect(findOtpTarget(doc, 6, opts())).toMatchObject({ kind: 'single', fields: [real], offscreen: false });
    // the same when the real input already has the focus (the user clicked the widget), which it keeps
    real.focus();
    expect(findOtpTarget(doc, 6, opts())?.fields).toEqual([real]);
    expect(document.activeElement).toBe(real);
    expect(await fillOtpCode(doc, '424242', opts())).toMatchObject({ filled: true, fields: [real] });
    expect(real.value).toBe('424242');
    expect(all().map((b) => b.value).join('')).toBe('');
    expect($('#name').value).toBe('');
  });

  it('ranks decoy boxes (aria-hidden, pointer-events:none) that lead nowhere below a real field', async () => {
    for (const decoy of ['aria-hidden=true', 'style="pointer-events:none"']) {
      const doc = page(`<div>${row(6, () => `maxlength=1 autocomplete=one-time-code ${decoy}`)}</div><label>Code <input id=real></label>`);
      expect(findOtpTarget(doc, 6, opts())?.fields).toEqual([$('#real')]);
    }
  });

  it('still gives a lone 1-px input outside any widget only the last-resort rank', () => {
    const doc = page(`<input id=pot autocomplete=one-time-code data-rect="10 10 1 1">`);
    expect(findOtpTarget(doc, 6, opts())).toMatchObject({ offscreen: true, fields: [$('#pot')] });
    page(`<input id=pot autocomplete=one-time-code data-rect="10 10 1 1"><label>Code <input id=real></label>`);
    expect(findOtpTarget(document, 6, opts())?.fields).toEqual([$('#real')]);
  });
});

describe('fill strategies and verification', () => {
  const all = (): HTMLInputElement[] => [...document.querySelectorAll<HTMLInputElement>('.b')];
  const row = (attrs = 'maxlength=6'): string =>
    `<div>${Array.from({ length: 6 }, (_, i) => `<input class=b ${attrs} data-rect="${i * 50} 0 40 44">`).join('')}</div>`;

  it('tries the native setter, then a paste, then typing, in that order', () => {
    expect(STRATEGIES.map((s) => s.name)).toEqual(['setter', 'paste', 'typing']);
  });

  it('pastes the code (clipboardData carries it) into a row that takes only keys or a paste, after undoing the setter', async () => {
    const doc = page(row());
    const model = ['', '', '', '', '', ''];
    const pasted: string[] = [];
    const render = (): void => all().forEach((b, i) => nativeValue.set!.call(b, model[i]));
    for (const [i, b] of all().entries()) {
      b.addEventListener('input', render);
      b.addEventListener('paste', (e) => {
        e.preventDefault();
        const text = (e as ClipboardEvent).clipboardData?.getData('text/plain') ?? '';
        pasted.push(text);
        [...text].forEach((ch, k) => (model[i + k] = ch));
        render();
      });
    }
    const r = await fillOtpCode(doc, '408317', opts());
    expect(r).toMatchObject({ filled: true, method: 'split', strategy: 'paste' });
    expect(pasted).toEqual(['408317']);
    expect(model.join('')).toBe('408317');
  });

  it('inserts a paste nobody handles as the browser would, cut to maxlength, and counts it only if the page holds the code', async () => {
    const doc = page(`<input id=t autocomplete=one-time-code>`);
    const t = $('#t');
    // refuses a value set at once (no inputType from a paste), takes a pasted one
    t.addEventListener('input', (e) => {
      if ((e as InputEvent).inputType === 'insertText' && (e as InputEvent).data!.length > 1) nativeValue.set!.call(t, '');
    });
    expect(await fillOtpCode(doc, '777123', opts())).toMatchObject({ filled: true, method: 'paste', strategy: 'paste' });
    expect(t.value).toBe('777123');
  });

  it('says what failed when no strategy works, and leaves every field as it was', async () => {
    const doc = page(row('maxlength=1 value=9'));
    // keeps only a digit it likes in each box, whatever the way in
    for (const b of all()) b.addEventListener('input', () => nativeValue.set!.call(b, /^[0-5]$/.test(nativeValue.get!.call(b)) ? nativeValue.get!.call(b) : '9'));
    const r = await fillOtpCode(doc, '408317', opts());
    expect(r).toMatchObject({ filled: false, reason: 'rejected', method: 'split' });
    expect(r.attempts?.map((a) => a.strategy)).toEqual(['setter', 'paste', 'typing']);
    expect(r.attempts?.[0]?.held).toBe('409319');
    expect(all().map((b) => b.value).join('')).toBe('999999');
  });

  it('judges a row by all its boxes: digits in the wrong boxes are not "filled"', async () => {
    const doc = page(row('maxlength=1'));
    const bs = all();
    // a broken widget that writes every digit into the box before
    for (const [i, b] of bs.entries())
      b.addEventListener('input', () => {
        const v = nativeValue.get!.call(b);
        if (i > 0 && v) {
          nativeValue.set!.call(bs[i - 1], v);
          nativeValue.set!.call(b, '');
        }
      });
    expect(await fillOtpCode(doc, '408317', opts())).toMatchObject({ filled: false, reason: 'rejected' });
  });

  it('waits a little for a framework that applies the value later', async () => {
    const doc = page(`<input id=t autocomplete=one-time-code>`);
    const t = $('#t');
    t.addEventListener('input', () => {
      const v = nativeValue.get!.call(t);
      nativeValue.set!.call(t, '');
      setTimeout(() => nativeValue.set!.call(t, v), 10);
    });
    expect(await fillOtpCode(doc, '246813', opts())).toMatchObject({ filled: true, strategy: 'setter' });
  });

  it('verify() reads the boxes in the order they were filled or in tree order; restore() puts values back with input events', async () => {
    const doc = page(row('maxlength=1'));
    const bs = all();
    const snap = snapshot(bs);
    '123456'.split('').forEach((ch, i) => nativeValue.set!.call(bs[5 - i], ch));
    expect(await verify(bs, [...bs].reverse(), '123456')).toBe(true);
    expect(await verify(bs, bs, '123457')).toBe('654321');
    const inputs: string[] = [];
    doc.addEventListener('input', (e) => inputs.push((e as InputEvent).inputType));
    restore(snap);
    expect(bs.map((b) => b.value).join('')).toBe('');
    expect(inputs).toHaveLength(6);
  });
});

describe('shadow DOM', () => {
  it('searches open shadow roots, nested, and events leave them composed', async () => {
    const doc = page(`<label>Name <input id=n></label><otp-outer></otp-outer>`);
    const inner = doc.createElement('otp-inner');
    doc.querySelector('otp-outer')!.attachShadow({ mode: 'open' }).append(inner);
    inner.attachShadow({ mode: 'open' }).innerHTML = `<label>Verification code <input id=t></label>`;
    const t = $('#t', inner.shadowRoot!);
    const seen: string[] = [];
    doc.addEventListener('input', (e) => seen.push((e.composedPath()[0] as Element).id));
    const r = await fillOtpCode(doc, '202020', opts());
    expect(r.fields).toEqual([t]);
    expect(t.value).toBe('202020');
    expect($('#n').value).toBe('');
    expect(seen).toEqual(['t']); // composed: it crossed both shadow boundaries
  });

  it('reaches a closed shadow root only through openShadowRoot', async () => {
    const doc = page(`<otp-closed></otp-closed><div id=plain></div>`);
    const roots = new WeakMap<Element, ShadowRoot>();
    for (const host of [doc.querySelector('otp-closed')!, $('#plain', doc)]) {
      const sr = host.attachShadow({ mode: 'closed' });
      roots.set(host, sr);
      sr.innerHTML = host.id ? '' : `<input id=t autocomplete=one-time-code>`;
    }
    const t = $('#t', roots.get(doc.querySelector('otp-closed')!)!);
    expect(await fillOtpCode(doc, '303030', opts())).toMatchObject({ filled: false, reason: 'no-field' });
    expect(t.value).toBe('');
    const r = await fillOtpCode(doc, '303030', opts({ openShadowRoot: (el) => roots.get(el) ?? null }));
    expect(r).toMatchObject({ filled: true, fields: [t] });
    expect(t.value).toBe('303030');
  });
});

/**
 * A React-style controlled input: the instance `value` property is overridden to track what the
 * framework last set, and an input event only counts as a change when the DOM value differs from
 * that. `accept` is the component's onChange logic; the input is re-rendered with its result.
 */
function controlled(input: HTMLInputElement, accept: (next: string, prev: string) => string = (v) => v) {
  let tracked = nativeValue.get!.call(input) as string;
  let state = tracked;
  const changes: string[] = [];
  Object.defineProperty(input, 'value', {
    configurable: true,
    get: () => nativeValue.get!.call(input),
    set: (v: string) => {
      tracked = String(v);
      nativeValue.set!.call(input, v);
    },
  });
  input.addEventListener('input', () => {
    const v = nativeValue.get!.call(input) as string;
    if (v === tracked) return;
    changes.push(v);
    state = accept(v, state);
    input.value = state; // re-render through the tracked setter
  });
  return { changes, state: (): string => state };
}

describe('framework-controlled inputs', () => {
  it('registers the value with a React-like tracker through the native setter and an input event', async () => {
    const doc = page(`<input id=t autocomplete=one-time-code>`);
    const t = $('#t');
    const c = controlled(t);
    // what a naive fill does is invisible to the framework
    t.value = '999999';
    t.dispatchEvent(new Event('input', { bubbles: true }));
    expect(c.changes).toEqual([]);
    t.value = '';
    const r = await fillOtpCode(doc, '482193', opts());
    expect(r).toMatchObject({ filled: true, method: 'single' });
    expect(c.changes).toEqual(['482193']);
    expect(c.state()).toBe('482193');
    expect(t.value).toBe('482193');
  });

  it('falls back to typing key by key when the widget refuses the whole value', async () => {
    // accepts one more character at a time only, as key-driven widgets do
    const doc = page(`<input id=t autocomplete=one-time-code>`);
    const t = $('#t');
    const c = controlled(t, (next, prev) => (next.length <= prev.length + 1 ? next : prev));
    const log = record(t);
    const r = await fillOtpCode(doc, '271828', opts());
    expect(r).toMatchObject({ filled: true, method: 'typed', strategy: 'typing', fields: [t] });
    // the setter, then the paste's insertion, then one key at a time
    expect(c.changes).toEqual(['271828', '271828', '2', '27', '271', '2718', '27182', '271828']);
    expect(c.state()).toBe('271828');
    const typed = log.filter((e) => e.type === 'input' && e.inputType === 'insertText').map((e) => e.data);
    expect(typed).toEqual(['271828', '2', '7', '1', '8', '2', '8']);
    expect(log.filter((e) => e.type === 'keydown').map((e) => e.key)).toEqual(['2', '7', '1', '8', '2', '8']);
    expect(log.filter((e) => e.type === 'keyup')).toHaveLength(6);
    expect(log.filter((e) => e.type === 'beforeinput').map((e) => e.inputType)).toEqual(['insertFromPaste', ...Array(6).fill('insertText')]);
  });

  it('types from the start with typing:true, pausing typingDelayMs, with legacy keyCodes set', async () => {
    const doc = page(`<input id=t autocomplete=one-time-code>`);
    const t = $('#t');
    // an old widget that drops any key whose keyCode isn't a digit
    t.addEventListener('keydown', (e) => {
      if (e.keyCode < 48 || e.keyCode > 57) e.preventDefault();
    });
    const log = record(t);
    const start = performance.now();
    const r = await fillOtpCode(doc, '1234', opts({ typing: true, typingDelayMs: 15 }));
    expect(performance.now() - start).toBeGreaterThanOrEqual(55);
    expect(r).toMatchObject({ filled: true, method: 'typed' });
    expect(t.value).toBe('1234');
    expect(log.filter((e) => e.type === 'input').map((e) => e.data)).toEqual(['1', '2', '3', '4']);
    expect(log.filter((e) => e.type === 'keypress').map((e) => e.keyCode)).toEqual([49, 50, 51, 52]);
  });

  it('does not insert a character whose keydown the page cancelled', async () => {
    const doc = page(`<input id=t autocomplete=one-time-code>`);
    const t = $('#t');
    t.addEventListener('keydown', (e) => {
      if (e.key === '3') e.preventDefault();
    });
    const r = await fillOtpCode(doc, '1234', opts({ typing: true }));
    expect(r).toMatchObject({ filled: false, reason: 'rejected', method: 'typed', attempts: [{ strategy: 'typing', held: '124' }] });
    // what the failed attempt typed is taken back
    expect(t.value).toBe('');
  });

  it('reports rejected when the page keeps clearing the field', async () => {
    const doc = page(`<input id=t autocomplete=one-time-code>`);
    const t = $('#t');
    t.addEventListener('input', () => nativeValue.set!.call(t, ''));
    expect(await fillOtpCode(doc, '123456', opts())).toMatchObject({ filled: false, reason: 'rejected', fields: [t] });
  });
});

describe('target option', () => {
  it('fills the given input even when detection alone is ambiguous or would pick another', async () => {
    const doc = page(`<label>Code <input id=a></label><label>Code <input id=b></label><input id=c autocomplete=one-time-code>`);
    const r = await fillOtpCode(doc, '123456', opts({ target: $('#b') }));
    expect(r).toMatchObject({ filled: true, fields: [$('#b')] });
    expect([$('#a').value, $('#b').value, $('#c').value]).toEqual(['', '123456', '']);
  });

  it('fills the whole row when the target is one of its boxes', async () => {
    const doc = page(`<div>${Array.from({ length: 6 }, (_, i) => `<input maxlength=1 class=b data-rect="${i * 50} 0 40 44">`).join('')}</div>`);
    const bs = [...doc.querySelectorAll<HTMLInputElement>('.b')];
    const r = await fillOtpCode(doc, '654321', opts({ target: bs[2] }));
    expect(r).toMatchObject({ filled: true, method: 'split' });
    expect(bs.map((b) => b.value).join('')).toBe('654321');
  });

  it('searches only inside a non-input target', async () => {
    const doc = page(`<input id=a autocomplete=one-time-code><section id=s><label>Code <input id=b></label></section>`);
    await fillOtpCode(doc, '123456', opts({ target: $('#s', doc) }));
    expect([$('#a').value, $('#b').value]).toEqual(['', '123456']);
  });

  it('refuses a disabled, read-only or non-text target', async () => {
    const doc = page(`<input id=d disabled><input id=r readonly><input id=c type=checkbox>`);
    for (const id of ['#d', '#r', '#c'])
      expect(await fillOtpCode(doc, '123456', opts({ target: $(id) }))).toMatchObject({ filled: false, reason: 'not-fillable' });
    expect(await fillPhoneNumber(doc, '2055550123', opts({ target: $('#d') }))).toMatchObject({ filled: false, reason: 'not-fillable' });
  });
});

describe('phone numbers', () => {
  const cases: [string, string][] = [
    ['2055550123', 'national 10 digits'],
    ['12055550123', '1 + 10 digits'],
    ['+1 (205) 555-0123', 'formatted international'],
  ];
  it.each(cases)('accepts %s (%s) and writes the international form for autocomplete=tel without a country control', async (input) => {
    const doc = page(`<label>Name <input id=n autocomplete=name></label><input id=p type=tel autocomplete=tel>`);
    const log = record($('#p'));
    const r = await fillPhoneNumber(doc, input, opts());
    expect(r).toMatchObject({ filled: true, method: 'single', value: '+12055550123', fields: [$('#p')] });
    expect($('#p').value).toBe('+12055550123');
    expect($('#n').value).toBe('');
    expect(types(log)).toEqual(['focus', 'input', 'change', 'blur']);
    expect(log[1]).toMatchObject({ data: '+12055550123', inputType: 'insertText' });
  });

  it('sets a country-code select to the US (not Canada) and writes the national form', async () => {
    const doc = page(`
      <div class=phone>
        <select id=cc name=country_code>
          <option value="+44">United Kingdom (+44)</option>
          <option value="+1">Canada (+1)</option>
          <option value="+1">United States (+1)</option>
          <option value="+33">France (+33)</option>
        </select>
        <input id=p type=tel name=phone>
      </div>`);
    const sel = $<HTMLSelectElement>('#cc');
    const log = record(sel);
    const r = await fillPhoneNumber(doc, '+12055550123', opts());
    expect(r).toMatchObject({ filled: true, value: '2055550123', fields: [sel, $('#p')] });
    expect(sel.selectedIndex).toBe(2);
    expect(types(log)).toEqual(['input', 'change']);
    expect(log[1]!.bubbles).toBe(true);
    expect($('#p').value).toBe('2055550123');
  });

  it('picks the US from ISO-code options of a "Phone number country" select (react-phone-number-input)', async () => {
    const doc = page(`<div><select aria-label="Phone number country"><option value="DE">Germany</option><option value="US">United States</option><option value="UM">United States Minor Outlying Islands</option></select><input id=p type=tel autocomplete=tel></div>`);
    await fillPhoneNumber(doc, '2055550123', opts());
    expect($<HTMLSelectElement>('select').value).toBe('US');
    expect($('#p').value).toBe('2055550123');
  });

  it('fills a tel-country-code input with +1 and the number in national form', async () => {
    const doc = page(`<div><input id=cc autocomplete=tel-country-code maxlength=4><input id=p autocomplete=tel-national></div>`);
    const r = await fillPhoneNumber(doc, '2055550123', opts());
    expect(r.fields).toEqual([$('#cc'), $('#p')]);
    expect([$('#cc').value, $('#p').value]).toEqual(['+1', '2055550123']);
  });

  it('uses options.countryCode for other countries', async () => {
    const doc = page(`<div><select id=cc name=dial_code><option value=1>+1</option><option value=44>+44</option><option value=33>+33</option></select><input id=p type=tel></div>`);
    const r = await fillPhoneNumber(doc, '+44 7700 900123', opts({ countryCode: '44' }));
    expect(r).toMatchObject({ filled: true, value: '7700900123' });
    expect($<HTMLSelectElement>('#cc').value).toBe('44');
    expect($('#p').value).toBe('7700900123');
  });

  it('leaves an address country select alone', async () => {
    const doc = page(`<div><select id=c name=country autocomplete=country><option value=DE>Germany</option><option value=US>United States</option></select><input id=p type=tel name=phone></div>`);
    const r = await fillPhoneNumber(doc, '2055550123', opts());
    expect($<HTMLSelectElement>('#c').value).toBe('DE');
    expect(r).toMatchObject({ filled: true, fields: [$('#p')], value: '2055550123' });
  });

  it('writes the national form for tel-national, a shown +1 prefix, or a national placeholder', async () => {
    for (const html of [
      `<input id=p autocomplete=tel-national>`,
      `<div class=iti><div class=flag><span>🇺🇸</span><div class=iti__selected-dial-code>+1</div></div><input id=p type=tel autocomplete=tel></div>`,
      `<label>Phone <span>+1</span><input id=p autocomplete=tel></label>`,
      `<input id=p type=tel autocomplete=tel placeholder="(201) 555-0123">`,
    ]) {
      const doc = page(html);
      expect((await fillPhoneNumber(doc, '+12055550123', opts())).value).toBe('2055550123');
      expect($('#p').value).toBe('2055550123');
    }
  });

  it('writes the international form for a "+" placeholder or a different shown prefix', async () => {
    for (const html of [`<input id=p type=tel placeholder="+1 201 555 0123">`, `<span>+44</span><input id=p type=tel name=phone>`]) {
      const doc = page(html);
      await fillPhoneNumber(doc, '2055550123', opts());
      expect($('#p').value).toBe('+12055550123');
    }
  });

  it('keeps a dial code the field already shows in its value, and fills the rest', async () => {
    for (const [shown, expected] of [
      ['+1 ', '+1 2055550123'],
      ['+1', '+12055550123'],
      ['+44 ', '+1 2055550123'],
    ]) {
      const doc = page(`<label>Phone <input id=p type=tel value="${shown}"></label>`);
      expect(await fillPhoneNumber(doc, '2055550123', opts())).toMatchObject({ filled: true, value: expected });
      expect($('#p').value).toBe(expected);
    }
  });

  it('reports a mismatch, not a fill, when the page keeps another country than +1', async () => {
    // A widget that shows its country beside the field and keeps only the digits typed into it.
    const doc = page(`<div class=phone><span class=dial>+44</span><input id=p type=tel name=phone></div>`);
    const p = $('#p');
    p.addEventListener('input', () => nativeValue.set!.call(p, p.value.replace(/\D/g, '')));
    expect(await fillPhoneNumber(doc, '2055550123', opts())).toMatchObject({ filled: false, reason: 'mismatch' });
  });

  it('reports a mismatch when the country select will not stay on the US', async () => {
    const doc = page(`<div><select id=cc name=country_code><option value="+44">United Kingdom (+44)</option><option value="+1">United States (+1)</option></select><input id=p type=tel name=phone></div>`);
    const sel = $<HTMLSelectElement>('#cc');
    // The page resets the country (say, from the visitor's location) whenever it changes.
    sel.addEventListener('change', () => (sel.selectedIndex = 0));
    expect(await fillPhoneNumber(doc, '2055550123', opts())).toMatchObject({ filled: false, reason: 'mismatch' });
  });

  it.each([
    ['Teléfono móvil'],
    ['Numéro de téléphone'],
    ['Telefonnummer'],
    ['Handynummer'],
    ['Número de celular'],
    ['Номер телефона'],
    ['手机号码'],
    ['携帯電話番号'],
    ['Mobile number'],
  ])('finds a text field labelled "%s"', async (label) => {
    const doc = page(`<label>Name <input id=n></label><label>${label} <input id=p></label>`);
    expect(findPhoneField(doc, opts())).toBe($('#p'));
    await fillPhoneNumber(doc, '2055550123', opts());
    expect([$('#n').value, $('#p').value]).toEqual(['', '2055550123']);
  });

  it('never puts the phone into a code field, nor the code into the phone field', async () => {
    const doc = page(`<label>SMS code <input id=s type=tel></label><input id=o type=tel autocomplete=one-time-code maxlength=6><label>Verification code <input id=v type=tel></label><label>Phone <input id=p type=tel></label>`);
    const values = (): string[] => ['#s', '#o', '#v', '#p'].map((s) => $(s).value);
    await fillPhoneNumber(doc, '2055550123', opts());
    expect(values()).toEqual(['', '', '', '2055550123']);
    await fillOtpCode(doc, '123456', opts());
    expect(values()).toEqual(['', '123456', '', '2055550123']);
  });

  it('skips extension, fax, short, hidden and disabled fields', async () => {
    const doc = page(`
      <label>Phone extension <input id=x1 type=tel></label>
      <label>Fax <input id=x2 type=tel></label>
      <label>Phone <input id=x3 type=tel maxlength=4></label>
      <input id=x4 type=tel autocomplete=tel style="display:none">
      <input id=x5 type=tel autocomplete=tel disabled>
      <label>Mobile phone <input id=p></label>`);
    await fillPhoneNumber(doc, '2055550123', opts());
    expect(['#x1', '#x2', '#x3', '#x4', '#x5'].map((s) => $(s).value)).toEqual(['', '', '', '', '']);
    expect($('#p').value).toBe('2055550123');
  });

  it('types into a mask that refuses a pasted value, and accepts the formatted result', async () => {
    const doc = page(`<input id=p type=tel name=phone placeholder="(___) ___-____">`);
    const p = $('#p');
    // a mask that formats each keystroke and ignores multi-character input
    let digits = '';
    p.addEventListener('input', (e) => {
      const ie = e as InputEvent;
      if (ie.inputType === 'insertText' && ie.data?.length === 1) digits += ie.data;
      else if (ie.inputType === 'deleteContentBackward') digits = '';
      const d = digits.padEnd(10, '_');
      nativeValue.set!.call(p, digits ? `(${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6)}`.replace(/_.*$/, '') : '');
    });
    const r = await fillPhoneNumber(doc, '2055550123', opts());
    expect(r).toMatchObject({ filled: true, method: 'typed', value: '2055550123' });
    expect(p.value).toBe('(205) 555-0123');
  });

  it('rejects numbers that are not 10 national digits', async () => {
    const doc = page(`<input id=p type=tel autocomplete=tel>`);
    for (const bad of ['', '555-0123', '+442071234567', '205555012345'])
      expect(await fillPhoneNumber(doc, bad, opts())).toMatchObject({ filled: false, reason: 'invalid-phone' });
    expect($('#p').value).toBe('');
  });

  it('finds no phone field on a page without one, and reports a tie as ambiguous', async () => {
    expect(await fillPhoneNumber(page(`<label>Name <input></label>`), '2055550123', opts())).toMatchObject({ reason: 'no-field' });
    expect(await fillPhoneNumber(page(`<input type=tel name=phone><input type=tel name=phone>`), '2055550123', opts())).toMatchObject({
      reason: 'ambiguous',
    });
  });
});

describe('performance', () => {
  it('detects and fills on a 10,000-element page quickly', async () => {
    const filler = Array.from({ length: 1300 }, (_, i) =>
      i % 50 === 0
        ? `<div><label>Field ${i} <input name=f${i}></label><select><option>a</option></select></div>`
        : `<div class=c${i}><span>Item ${i}</span><p>text <b>x</b> <i>y</i></p><ul><li>a</li><li>b</li></ul></div>`,
    ).join('');
    const doc = page(`${filler}<label>Verification code <input id=t inputmode=numeric></label>`);
    expect(doc.querySelectorAll('*').length).toBeGreaterThan(10_000);
    findOtpTarget(doc, 6, opts()); // happy-dom builds its selector caches on the first query
    const t0 = performance.now();
    expect(findOtpTarget(doc, 6, opts())?.fields).toEqual([$('#t')]);
    const detect = performance.now() - t0;
    const r = await fillOtpCode(doc, '123456', opts());
    const fill = performance.now() - t0 - detect;
    expect(r.filled).toBe(true);
    console.log(`10k elements in happy-dom: detect ${detect.toFixed(1)} ms, detect+fill ${fill.toFixed(1)} ms`);
    // happy-dom is far slower than a browser (see the Chromium benchmark); this only catches blow-ups
    expect(detect).toBeLessThan(1500);
  });
});
