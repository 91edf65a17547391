/**
 * Keyword rules. Every regex runs on text passed through `norm`, so they are written
 * lower-case, without Latin accents (é→e, й→и), with one space for any run of separators.
 * `(?<![a-z])`/`(?![a-z])` stand in for word boundaries, which `\b` can't give outside ASCII.
 */

/** Splits camelCase, strips Latin accents, lower-cases and turns separators into one space, so `otpCode`, `otp_code` and "OTP code" read alike. */
export const norm = (s: string): string =>
  s
    .replace(/([a-z\d])([A-Z])|([A-Z])([A-Z][a-z])/g, '$1$3 $2$4')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}@]+/gu, ' ');

const re = (...parts: string[]): RegExp => new RegExp(parts.join('|'));

/** Says "one-time code" by itself. */
const ALONE = re(
  'one ?time|(?<![a-z])t?otp|(?<![a-z])(?:2 ?fa|mfa)(?![a-z])|(?:two|2|multi) ?(?:factor|step)|passcode',
  'einmal|usage unique|monouso|jednoraz|одноразов|一次性|ワンタイム|일회용|动态|動態|認証番号|確認番号|인증 ?번호',
);

/** A word for "code" ("code" also inside German/Dutch compounds). */
const CODE = /code|codigo|codice|(?<![a-z])(?:pin|token|kod|kodu|digits?)(?![a-z])|код|コード|(?<![号號密])[码碼]|코드|رمز/;

/** Verification/confirmation/security words: with a CODE word they make a strong match. */
const QUAL = re(
  'verif|confirm|secur|segur|sicher|auth|autent|sms|valid|activ|ativa|acces|login|sign ?in|bestatig|weryfik|potwierdz|dogrula|onay|xac (?:nhan|thuc)',
  'смс|подтвер|провер|безопас|доступ|验证|驗證|认证|認證|確認|确认|認証|検証|인증|확인|التحقق|التأكيد',
);

/** Strong evidence of a one-time-code field. */
export const strong = (t: string): boolean => ALONE.test(t) || (QUAL.test(t) && CODE.test(t));

/** Weak evidence: a "code" word, or a verification word without one. */
export const weak = (t: string): boolean => CODE.test(t) || QUAL.test(t);

/**
 * Never a one-time code (nor a phone): promo/coupon/gift, postal codes, search, payment
 * cards, recovery/backup codes, captchas, user names.
 */
export const EXCLUDED = re(
  'promo|coupon|voucher|discount|gift|referral|invit|redeem|rabatt|gutschein|cupo|descuento|sconto|промо|купон|скидк|优惠|クーポン',
  'postal|(?<![a-z])zip|post ?code|postleitzahl|(?<![a-z])(?:plz|cep|cap)(?![a-z])|pincode|индекс|邮编|郵便',
  'search|(?<![a-z])query|busca|recherche|suche|pesquisa|поиск|搜索|検索',
  'card|cvv|cvc|(?<![a-z])(?:csc|cvn|exp)(?![a-z])|expir|mm ?yy|tarjeta|cartao|carte|karte|карт|卡号|カード',
  'recovery|backup|recupera|secours|wiederherstell|резерв|восстанов|备用|恢复|バックアップ',
  'captcha|robot|human|(?<![a-z])image|图形|图片|画像|user ?name|login ?id|nickname',
);

/** A password field, unless a strong keyword says one-time password. */
export const PASSWORD = /passw|(?<![a-z])pwd|contrasena|mot de passe|kennwort|senha|пароль|密码|パスワード|비밀번호/;

/** Mentions e-mail: an exclusion in a field's name/id, a small minus in its label. */
export const EMAIL = /e ?mail|correo|courriel|почт|邮箱|メール/;

/** Phone-number field words. */
export const PHONE = re(
  'phone|mobile|msisdn|telefon|handy|(?<![a-z])(?:tel|cell|mo[bv]il|cel+ular|portable|telemovel)(?![a-z])',
  'телефон|мобильн|手机|手機|电话|電話|携帯|휴대|전화',
);

/** The code comes by SMS: a field that talks about SMS or phones is the likelier one. */
export const SMS = /sms|смс|短信/;

/** Parts of a phone that aren't the number itself. */
export const PHONE_PART = /(?<![a-z])(?:ext|fax|cc|ddi)(?![a-z])|extension|country|dial|prefix/;

/** autocomplete tokens that name some other kind of field. */
export const AC_OTHER = /email|username|password|cc-|postal|address|country|tel|name|bday/;
