/**
 * Reads the one-time code a person would type out of an SMS.
 *
 * Pure and dependency-free: it runs in the background worker, the tests, the
 * benchmarks and the simulator. Every pass over the text is linear (regexes
 * are anchored or have disjoint repeats), so a 100 KB message stays cheap.
 *
 * How a code is chosen: an origin-bound last line (`@site #code`) wins
 * outright. Otherwise every digit run, dash- or space-split group and short
 * alphanumeric token is a candidate; amounts, dates, times, phone numbers,
 * URLs and promo sentences are dropped by shape and context; the rest are
 * ranked by the nearest keyword (code/OTP/PIN/... in many languages, or a
 * reference/order/account word that disqualifies) and by shape.
 */

/** The origin-bound one-time-code line (WebOTP / Apple): domains and code. */
export interface OriginBoundCode {
  /** Lowercased: the top-level site first, then any embedded (`%`) sites. */
  domains: string[];
  code: string;
}

const ND = /\p{Nd}/u;

/**
 * Unicode lays out every decimal-digit script as aligned runs of ten, so a
 * digit's value is its distance from the run start; full-width letters shift
 * by a constant. Full-width punctuation is left alone: a CJK `，` after a code
 * is a clause break, not a thousands separator.
 */
function normalise(s: string): string {
  return s.replace(/[\uFF21-\uFF3A\uFF41-\uFF5A]|(?![0-9])\p{Nd}/gu, (c) => {
    const cp = c.codePointAt(0) ?? 0;
    if (cp >= 0xff10 && cp <= 0xff5a) return String.fromCharCode(cp - 0xfee0);
    let n = 1;
    while (ND.test(String.fromCodePoint(cp - n))) n++;
    return String((n - 1) % 10);
  });
}

const BOUND = /^@(\S+)[ \t]+#([A-Za-z0-9]{3,16})((?:[ \t]+%\S+)*)$/;
const HOST_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?$/u;

// A dotless name is a hashtag reply ("@support #help2"), not a site; localhost is kept for development.
function host(h: string): string | null {
  const d = h.toLowerCase().replace(/\.$/, '');
  const ok = d.length <= 253 && (d.includes('.') || d === 'localhost') && d.split('.').every((l) => HOST_LABEL.test(l));
  return ok ? d : null;
}

function parseBound(text: string): OriginBoundCode | null {
  // The format lives on the last line only, so a quoted example earlier in the body is not a code.
  const end = text.trimEnd();
  const m = BOUND.exec(end.slice(end.lastIndexOf('\n') + 1).trim());
  // A code without a digit is a hashtag (`#Sale`), not a one-time code.
  if (!m || !m[1] || !m[2] || !/\d/.test(m[2])) return null;
  const domains = [m[1], ...(m[3] ?? '').split('%').slice(1)].map((d) => host(d.trim()));
  return domains.every((d): d is string => d !== null) ? { domains, code: m[2] } : null;
}

/**
 * Parses the origin-bound one-time-code line (`@example.com #123456`, optionally
 * followed by ` %embedded-site.com`) from the last line of an SMS.
 * Digits in other scripts are read as ASCII; returns null when there is no such line.
 */
export function parseOriginBoundCode(sms: string): OriginBoundCode | null {
  return parseBound(normalise(sms));
}

/**
 * The domains an origin-bound SMS is bound to, lowercased, top-level site first.
 * Empty when the SMS has no valid `@domain #code` last line.
 */
export function extractOriginBoundDomains(sms: string): string[] {
  return parseOriginBoundCode(sms)?.domains ?? [];
}

// Keyword classes are per word (prefix stems, so inflections and compounds match);
// scripts written without spaces are matched anywhere instead.
const NEG_WORD =
  /^(?:ref|order|pedido|commande|bestell|ordine|zamówien|sipariş|заказ|track|sendung|rastreio|seguimiento|transac|transak|txn|trx|invoice|factur|fatura|rechnung|accoun|acct|konto|cuenta|booking|reserv|ticket|receipt|recibo|claim|member|customer|kunde|cliente|client|policy|serial|card|tarjeta|cartão|karte|ending|balance|saldo|amount|monto|importe|montant|betrag|total|payment|spent|charg|price|cost|refund|deposit|withdraw|transfer|purchase|debit|credit|compra|achat|call|llam|appel|anruf|phone|telef|teléf|телефон|dial|contact|reply|respond|user|post(?:code|al)|zip|barcode|promo|промо|coupon|voucher|flight|сч[её]т|рахун|(?:case|tel|text|fax|id|conta|carte|jan|january|feb|february|march|apr|april|june?|july?|aug|august|sept?|september|oct|october|nov|november|dec|december)$)/u;
const POS_WORD =
  /^(?:cod|códig|pass(?:code|w)|otp|kod|koodi|kód|код|κωδικ|verif|vérif|weryfik|bestätig|sicherheit|secur|sécur|segur|sicurezz|beveilig|bevestig|conferm|confirma[cç]|potwierdz|onay|doğrula|dogrula|güvenlik|şifre|sifre|подтвержд|провер|верифик|парол|підтвердж|перевір|login|logon|sign|anmeld|inlog|auth|autentic|autentik|token|senha|clave|contraseñ|hasł|heslo|kennw|jednoraz|ověř|ellenőr|vahvist|bekräft|bekræft|bekreft|engångs|engangs|pengesahan|sandi|xác|xac|קוד|אימות|कोड|ओटीपी|सत्यापन|पासवर्ड|کد|(?:pin|pins|tan|mtan|confirm|passe|mã)$)|(?:code|codes|kode|kod|kód|код|koodi)$/u;
const GENERIC = /^(?:codes?|c[oó]digo|codice|kod|kode|код)$/u;
const POS_ANY =
  /验证|驗證|校验|校驗|动态码|動態碼|代码|代碼|密码|密碼|确认码|確認碼|认证|認證|登录码|登錄碼|口令|認証|コード|パスワード|暗証|ワンタイム|인증|코드|비밀번호|확인|รหัส|ยืนยัน|رمز|كود|تحقق|تأكيد|مرور|تایید|تأیید/gu;
const NEG_ANY =
  /订单|訂單|注文|주문|运单|運單|快递|快遞|单号|單號|金额|金額|余额|餘額|电话|電話|전화|계좌|账户|帳戶|口座|طلب|مبلغ|رصيد|سفارش|موجودی|تلفن/gu;
const PROMO =
  /%\s*off|(?<![\p{L}\p{N}])(?:off\s+(?:your|on|all|the|any)|promo|coupon|voucher|discount|cashback|checkout|redeem|referral|(?:sales?|save|saving)(?!\p{L})|descuento|cup[oó]n|cupom|desconto|réduction|remise|rabatt|gutschein|sconto|korting|rabat|indirim|kupon|скидк|промо|акци|знижк)|优惠|折扣|割引|クーポン|할인|쿠폰|خصم|تخفیف/giu;
// Only small connecting words may sit between a keyword and a code for a "clearly labelled" reading.
const P = `\\s:：=\\-–—"'«»“”„\\[(【「<>#*`;
const POS_FILL = new RegExp(`^[${P}]*(?:(?:is|are|es|est|ist|lautet|é|è|e|är|er|jest|wynosi|это|是|为|為|は|هو|adalah|ialah|là|คือ)[${P}]*)?$`, 'iu');
const NEG_FILL = /^[\s:#.\-–—*]*(?:(?:number|num|no|nr|n[°º]|id|in)[\s:#.\-–—*]*)?$/iu;
const CUR = '$€£¥₹₽₩₺₴₦₱฿₫¢₪₸₼₾';
const CUR_BEFORE = new RegExp(`(?:[${CUR}]|(?<!\\p{L})(?:usd|eur|gbp|jpy|cny|rmb|inr|rs\\.?|rp\\.?|rub|brl|mxn|cad|aud|chf|uah|pln|krw|idr|vnd|thb|ngn|zar|aed|sar|egp|pkr|kes))\\s?$`, 'iu');
const CUR_AFTER = new RegExp(`^(?:\\s?(?:[${CUR}%](?!\\d)|(?:usd|eur|gbp|jpy|cny|rmb|inr|rub|brl|mxn|cad|aud|chf|tl|uah|pln|krw|idr|vnd|thb|ngn|zar|aed|sar|egp|pkr|руб|грн|zł|zl|kč|lei|dollars?|euros?|pesos?|reais|rupees?|yuan|yen|dhs?|ريال|درهم|جنيه|تومان|ریال)(?!\\p{L}))|[年月日時时分秒元円원号號点點])`, 'iu');
const WINDOW = 48;

/** `generic`: a bare "code" word, which labels promo codes as readily as one-time codes. */
interface Keyword { s: number; e: number; pos: boolean; cased: boolean; generic: boolean }
interface Candidate { s: number; e: number; code: string; shape: 'digits' | 'split' | 'alnum' | 'letters' }

/** Prefix counts, so "is there a digit / sentence end between i and j" is O(1). */
function prefix(text: string, hit: (i: number) => boolean): Uint32Array {
  const out = new Uint32Array(text.length + 1);
  for (let i = 0; i < text.length; i++) out[i + 1] = (out[i] ?? 0) + (hit(i) ? 1 : 0);
  return out;
}

function collectKeywords(text: string, inUrl: Uint8Array): Keyword[] {
  const kws: Keyword[] = [];
  for (const m of text.matchAll(/[\p{L}\p{M}]+/gu)) {
    if (inUrl[m.index]) continue;
    const w = m[0].toLowerCase();
    const pos = NEG_WORD.test(w) ? false : POS_WORD.test(w) ? true : null;
    if (pos === null) continue;
    const prev = kws[kws.length - 1];
    // "verification code", "login code": the word before makes a bare "code" specific.
    const generic = GENERIC.test(w) && !(prev?.pos && m.index - prev.e <= 2);
    kws.push({ s: m.index, e: m.index + m[0].length, pos, cased: /\p{Ll}/u.test(m[0]), generic });
  }
  for (const [re, pos] of [[POS_ANY, true], [NEG_ANY, false]] as const) {
    for (const m of text.matchAll(re)) kws.push({ s: m.index, e: m.index + m[0].length, pos, cased: true, generic: false });
  }
  return kws.sort((a, b) => a.s - b.s);
}

function collectCandidates(text: string, inUrl: Uint8Array): Candidate[] {
  const out: Candidate[] = [];
  const at = (i: number): string => text.charAt(i);
  const ok = (s: number, e: number): boolean => {
    const before = at(s - 1), after = at(e);
    return !inUrl[s] && !'+/=@_\\&'.includes(before || ' ') && !'/=@_'.includes(after || ' ')
      && !(/[.,]/.test(after) && /[A-Za-z0-9]/.test(at(e + 1)))
      && !(before === '.' && /[A-Za-z0-9]/.test(at(s - 2)))
      && !CUR_BEFORE.test(text.slice(Math.max(0, s - 6), s)) && !CUR_AFTER.test(text.slice(e, e + 10));
  };
  const push = (s: number, e: number, code: string, shape: Candidate['shape']): void => {
    if (ok(s, e)) out.push({ s, e, code, shape });
  };
  const digits = (t: { s: number; v: string }): void => {
    if (t.v.length >= 4 && t.v.length <= 8) push(t.s, t.s + t.v.length, t.v, 'digits');
  };
  let chunk: { s: number; v: string }[] = [];
  let seps = '';
  const flush = (): void => {
    const [a, b, c] = chunk;
    // Dots, commas, slashes and colons make amounts, dates, times and versions; a leading + a phone number.
    if (!a || /[.,/:]/.test(seps) || at(a.s - 1) === '+') return;
    if (!b) return digits(a);
    const dash = /[^\s]/.test(seps);
    const code = chunk.map((t) => t.v).join('');
    // Three or more groups are phone numbers and dates, unless spaced evenly like "48 29 13".
    if (c) {
      if (!dash && code.length >= 4 && code.length <= 8 && chunk.every((t) => t.v.length === a.v.length && t.v.length <= 3)) {
        push(a.s, a.s + code.length + chunk.length - 1, code, 'split');
      }
      return;
    }
    if (a.v.length === b.v.length && a.v.length >= 3 && a.v.length <= 4) push(a.s, b.s + b.v.length, code, 'split');
    // 3+4 and similar unequal pairs are local phone numbers; a 1–2 digit neighbour is a count or unit.
    else if (!dash && b.v.length <= 2) digits(a);
    else if (!dash && a.v.length <= 2) digits(b);
  };
  let last = -1;
  for (const m of text.matchAll(/[A-Za-z0-9]+/g)) {
    const s = m.index, v = m[0];
    if (/^\d+$/.test(v)) {
      const sep = text.slice(last, s);
      if (chunk.length && sep.length === 1 && /[-‐‑– \u00a0\u2009\u202f.,/:]/.test(sep)) seps += sep;
      else { flush(); chunk = []; seps = ''; }
      chunk.push({ s, v });
      last = s + v.length;
      continue;
    }
    flush(); chunk = []; seps = ''; last = -1;
    if (v.length < 4 || v.length > 8 || /[\p{L}\p{M}\p{N}]/u.test(at(s - 1) + at(s + v.length))) continue;
    if (/^[A-Z]+$/.test(v)) push(s, s + v.length, v, 'letters');
    // Digits-then-lowercase are quantities (10min, 2nd); 10PM/14h35 are times; XX4821 is a masked number.
    else if (/\d/.test(v) && !/^\d+[a-z]+$/.test(v) && !/^\d{1,2}(?:am|pm|h\d\d)$|^x+\d+$/i.test(v)) push(s, s + v.length, v, 'alnum');
  }
  flush();
  return out;
}

function bestCandidate(text: string): string | null {
  const n = text.length;
  const inUrl = new Uint8Array(n + 1);
  for (const m of text.matchAll(/\S+/g)) {
    if (/:\/\/|^www\.|@[^@\s]*\.|\.[a-z]{2,}\//i.test(m[0])) inUrl.fill(1, m.index, m.index + m[0].length);
  }
  const cands = collectCandidates(text, inUrl);
  if (!cands.length) return null;
  const kws = collectKeywords(text, inUrl);
  const digit = prefix(text, (i) => { const c = text.charCodeAt(i); return c >= 48 && c <= 57; });
  const brk = prefix(text, (i) => /[.!?]/.test(text.charAt(i)) ? /\s|^$/.test(text.charAt(i + 1)) : /[。！？।]/.test(text.charAt(i)));
  const seg = prefix(text, (i) => text.charAt(i) === '\n' || (brk[i + 1] ?? 0) > (brk[i] ?? 0));
  const promoSegs = new Set<number>();
  for (const m of text.matchAll(PROMO)) promoSegs.add(seg[m.index] ?? 0);
  const clear = (a: number, b: number): boolean =>
    b - a <= WINDOW && digit[b] === digit[a] && brk[b] === brk[a];
  const anyPos = kws.some((k) => k.pos);

  let best: { code: string; score: number } | null = null;
  let p = 0;
  for (const c of cands) {
    if (promoSegs.has(seg[c.s] ?? 0)) continue;
    while (p < kws.length && (kws[p]?.s ?? n) < c.s) p++;
    let score = -1;
    let gap = 0;
    let strong = false;
    let cased = true;
    let generic = false;
    // Walk back over the keywords that reach this candidate. A reference word right before it
    // ("Ref: 123", "order #123") rules it out; one further off only weakens it, and an earlier
    // code word still labels it ("code for your account is 123").
    let sawNeg = false;
    for (let j = p - 1; j >= 0; j--) {
      const k = kws[j];
      if (!k || k.e > c.s) continue;
      if (!clear(k.e, c.s)) break;
      const between = text.slice(k.e, c.s);
      if (!k.pos) {
        if (!sawNeg && NEG_FILL.test(between)) { score = -2; break; }
        sawNeg = true;
        continue;
      }
      gap = c.s - k.e;
      strong = !sawNeg && POS_FILL.test(between);
      cased = k.cased;
      generic = k.generic;
      score = strong ? 100 : sawNeg ? 40 - gap / 2 : 60 - gap / 2;
      break;
    }
    if (score === -2) continue;
    if (score < 0) {
      let neg = false;
      for (let j = p; j < kws.length; j++) {
        const k = kws[j];
        if (!k || k.s < c.e) continue;
        if (!clear(c.e, k.s)) break;
        if (k.pos) { gap = k.s - c.e; score = 50 - gap / 2; break; }
        neg = true;
      }
      if (neg && score < 0) continue;
    }
    if (score < 0) {
      // Unlabelled numbers count only in a message about codes, or when the number is all it says.
      const alone = cands.length === 1 && !/[\p{L}\p{N}]/u.test(text.slice(0, c.s) + text.slice(c.e));
      if (!anyPos && !alone) continue;
      score = sawNeg ? 5 : 10;
      gap = WINDOW;
    }
    const len = c.code.length;
    if (c.shape === 'letters' && !(strong && cased)) continue;
    if (c.shape === 'alnum' && !strong && gap > 15) continue;
    // WORD+number (SPRING25, WELCOME10) is how promo codes are made; one-time codes avoid words.
    if (c.shape !== 'digits' && c.shape !== 'split' && generic && /^[A-Z]*[AEIOU][A-Z]*\d{0,4}$/.test(c.code) && /^[A-Z]{4}/.test(c.code)) continue;
    if (len === 4 && c.shape === 'digits' && /^(?:19|20)\d\d$/.test(c.code) && !strong) continue;
    score += c.shape === 'letters' ? -5 : c.shape === 'split' ? 6 : c.shape === 'alnum' ? 0 : len === 6 ? 8 : 4;
    if (!best || score > best.score) best = { code: c.code, score };
  }
  return best?.code ?? null;
}

/**
 * The code a person would type from this SMS, or null when it carries none.
 * Digits in any script come back as ASCII; letters keep their case; split
 * codes (`318-442`, `889 103`) are joined and letter prefixes (`G-`) dropped.
 */
export function extractOtpCode(sms: string): string | null {
  const text = normalise(sms);
  return parseBound(text)?.code ?? bestCandidate(text);
}
