import { describe, expect, it } from 'vitest';
import { parse } from 'tldts';
import type { Service } from '@/utils/text2fa/types';
import {
  SITE_GROUPS,
  matchService,
  normaliseServiceName,
  registrableDomain,
  sameSite,
  serviceNameAlternatives,
  siteKey,
} from '@/utils/services';

function svc(name: string, key: string, extra: Partial<Service> = {}): Service {
  return { pool: 's1', key, name, price: 0.5, available: 10, ...extra };
}

// Shaped like a real list: human names, some with alternatives in brackets or
// slashes, some that overlap (both "Twitter" and "X (Twitter)"), and a catch-all.
const SERVICES: Service[] = [
  svc('Google / Gmail', 'go'),
  svc('WhatsApp', 'wa'),
  svc('WhatsApp Business', 'wab'),
  svc('X (Twitter)', 'tw'),
  svc('Facebook', 'fb'),
  svc('Instagram', 'ig'),
  svc('Cash App', 'cashapp'),
  svc('OpenAI / ChatGPT', 'oai'),
  svc('Microsoft / Outlook', 'ms'),
  svc('Apple', 'apple'),
  svc('Amazon', 'am'),
  svc('PayPal', 'pp'),
  svc('Venmo', 'venmo'),
  svc('Telegram', 'tg'),
  svc('Line', 'line'),
  svc('Signal', 'signal'),
  svc('Steam', 'steam'),
  svc('Yahoo', 'yahoo'),
  svc('eBay', 'ebay'),
  svc('Discord', 'ds'),
  svc('Uber', 'uber'),
  svc('Lyft', 'lyft'),
  svc('DoorDash', 'doordash'),
  svc('Shopify', 'shopify'),
  svc('Tinder', 'tinder'),
  svc('Bumble', 'bumble'),
  svc('Hinge', 'hinge'),
  svc('Snapchat', 'snap'),
  svc('TikTok', 'tiktok'),
  svc('Netflix', 'netflix'),
  svc('Airbnb', 'airbnb'),
  svc('Coinbase', 'coinbase'),
  svc('Coinbase Wallet', 'cbwallet'),
  svc('Chime', 'chime'),
  svc('Robinhood', 'robinhood'),
  svc('Binance', 'binance'),
  svc('Kraken', 'kraken'),
  svc('LinkedIn', 'linkedin'),
  svc('GitHub', 'github'),
  svc('Booking.com', 'booking'),
  svc('Walmart (US)', 'walmart'),
  svc('Etsy', 'etsy'),
  svc('Reddit', 'reddit'),
  svc('Twitch', 'twitch'),
  svc('Viber', 'viber'),
  svc('WeChat', 'wechat'),
  svc('Naver', 'naver'),
  svc('Disney+', 'disney'),
  svc('Mercado Libre', 'meli'),
  svc('Other', 'other'),
];

function matchedKey(url: string, services: readonly Service[] = SERVICES): string | null {
  return matchService(url, services)?.key ?? null;
}

describe('registrableDomain', () => {
  it.each([
    ['https://accounts.google.com/signin?x=1', 'google.com'],
    ['accounts.google.com', 'google.com'],
    ['WWW.Google.COM.', 'google.com'],
    ['https://user:pw@mail.google.com:8443/#inbox', 'google.com'],
    ['example.co.uk', 'example.co.uk'],
    ['https://shop.example.co.uk/basket', 'example.co.uk'],
    ['https://www.amazon.com.br/', 'amazon.com.br'],
    ['https://a.b.c.example.com.au', 'example.com.au'],
    ['cash.app', 'cash.app'],
    ['example.com:8080/path', 'example.com'],
    ['//example.com/x', 'example.com'],
    // Not in the suffix list: the last label is taken as the suffix.
    ['http://shop.myapp.test/', 'myapp.test'],
  ])('%s → %s', (input, expected) => {
    expect(registrableDomain(input)).toBe(expected);
  });

  it('treats private-section suffixes as public: each github.io site is its own owner', () => {
    expect(registrableDomain('https://foo.github.io/page')).toBe('foo.github.io');
    expect(registrableDomain('https://a.b.foo.github.io')).toBe('foo.github.io');
    expect(registrableDomain('https://myapp.herokuapp.com')).toBe('myapp.herokuapp.com');
    expect(registrableDomain('https://github.io')).toBe('github.io');
  });

  it('returns the host itself for IPs and localhost, so local test pages are sites', () => {
    expect(registrableDomain('http://127.0.0.1:5173/login')).toBe('127.0.0.1');
    expect(registrableDomain('127.0.0.1')).toBe('127.0.0.1');
    expect(registrableDomain('http://192.168.1.20/')).toBe('192.168.1.20');
    expect(registrableDomain('http://0x7f.1/')).toBe('127.0.0.1');
    expect(registrableDomain('http://[::1]:3000/')).toBe('[::1]');
    expect(registrableDomain('http://localhost:3000/otp')).toBe('localhost');
    expect(registrableDomain('localhost:3000')).toBe('localhost');
    expect(registrableDomain('localhost')).toBe('localhost');
    expect(registrableDomain('http://app.localhost:8080')).toBe('app.localhost');
  });

  it.each([
    'chrome://extensions',
    'chrome-extension://abcdefghijklmnop/popup.html',
    'moz-extension://1234-5678/popup.html',
    'about:blank',
    'about:newtab',
    'file:///home/me/page.html',
    'data:text/html,<p>hi</p>',
    'javascript:alert(1)',
    'view-source:https://google.com',
    'blob:https://google.com/1234',
    'mailto:someone@example.com',
    'ftp://example.com/file',
    '',
    '   ',
    'not a url',
    'http://',
    'https://exa mple.com',
    'https://a..b.com',
    'intranet',
    'http://intranet/',
    'co.uk',
    'com',
  ])('returns null, without throwing, for %j', (input) => {
    expect(() => registrableDomain(input)).not.toThrow();
    expect(registrableDomain(input)).toBeNull();
  });

  it('punycodes Unicode hosts, so a Cyrillic "аpple.com" is not apple.com', () => {
    expect(registrableDomain('https://\u0430pple.com/')).toBe('xn--pple-43d.com');
  });
});

describe('siteKey and sameSite', () => {
  it('collapses aliases onto one key', () => {
    expect(siteKey('https://twitter.com/login')).toBe('x.com');
    expect(siteKey('https://x.com/i/flow/login')).toBe('x.com');
    expect(siteKey('https://mobile.twitter.com')).toBe('x.com');
    expect(siteKey('https://www.youtube.com/watch?v=1')).toBe('google.com');
    expect(siteKey('https://mail.google.com')).toBe('google.com');
    expect(siteKey('https://www.google.de')).toBe('google.com');
    expect(siteKey('gmail.com')).toBe('google.com');
    expect(siteKey('https://web.whatsapp.com')).toBe('whatsapp.com');
    expect(siteKey('https://t.me/durov')).toBe('telegram.org');
    expect(siteKey('https://chatgpt.com')).toBe('openai.com');
    expect(siteKey('https://www.amazon.co.uk/ap/signin')).toBe('amazon.com');
    expect(siteKey('https://login.live.com')).toBe('microsoft.com');
  });

  it('is the registrable domain for sites outside the table', () => {
    expect(siteKey('https://www.doordash.com/consumer/login')).toBe('doordash.com');
    expect(siteKey('https://foo.github.io')).toBe('foo.github.io');
    expect(siteKey('http://localhost:3000')).toBe('localhost');
    expect(siteKey('about:blank')).toBeNull();
  });

  it('keeps look-alikes and related-but-separate accounts apart', () => {
    expect(siteKey('https://facebook.com.evil.io')).toBe('evil.io');
    expect(siteKey('https://x.co')).toBe('x.co');
    expect(siteKey('https://instagram.com')).toBe('instagram.com');
    expect(siteKey('https://github.com')).toBe('github.com');
    expect(siteKey('https://squareup.com')).toBe('squareup.com');
  });

  it.each([
    ['https://twitter.com/home', 'https://x.com/home'],
    ['https://accounts.google.com', 'https://www.youtube.com'],
    ['https://www.google.co.uk', 'gmail.com'],
    ['https://web.whatsapp.com', 'https://wa.me/123'],
    ['https://web.telegram.org', 'https://t.me/x'],
    ['https://www.facebook.com', 'https://www.messenger.com'],
    ['https://discord.gg/abc', 'https://discord.com/login'],
    ['https://amazon.de', 'https://www.amazon.co.jp'],
    ['https://login.microsoftonline.com', 'https://outlook.live.com'],
    ['http://localhost:3000/a', 'http://localhost:4000/b'],
    ['https://foo.github.io/a', 'https://foo.github.io/b'],
  ])('%s and %s are the same site', (a, b) => {
    expect(sameSite(a, b)).toBe(true);
    expect(sameSite(b, a)).toBe(true);
  });

  it.each([
    ['https://twitter.com', 'https://twittter.com'],
    ['https://paypal.com', 'https://paypal-secure-verify.com'],
    ['https://facebook.com', 'https://facebook.com.evil.io'],
    ['https://facebook.com', 'https://instagram.com'],
    ['https://foo.github.io', 'https://bar.github.io'],
    ['https://example.co.uk', 'https://other.co.uk'],
    ['http://127.0.0.1', 'http://localhost'],
    ['about:blank', 'about:blank'],
    ['chrome://newtab', 'https://google.com'],
    ['', ''],
  ])('%s and %s are not the same site', (a, b) => {
    expect(sameSite(a, b)).toBe(false);
  });
});

describe('normaliseServiceName and serviceNameAlternatives', () => {
  it.each([
    ['X (Twitter)', 'xtwitter'],
    ['Cash App', 'cashapp'],
    ['eBay', 'ebay'],
    ['DoorDash', 'doordash'],
    ['  Booking.com ', 'bookingcom'],
    ['AT&T', 'att'],
    ['Disney+', 'disneyplus'],
    ['Mercado Libre', 'mercadolibre'],
    ['Café Señor', 'cafesenor'],
    ['', ''],
  ])('normaliseServiceName(%j) → %j', (name, expected) => {
    expect(normaliseServiceName(name)).toBe(expected);
  });

  it.each([
    ['X (Twitter)', ['x', 'twitter']],
    ['Twitter / X', ['twitter', 'x']],
    ['Google / Gmail / YouTube', ['google', 'gmail', 'youtube']],
    ['OpenAI | ChatGPT', ['openai', 'chatgpt']],
    ['Microsoft - Outlook', ['microsoft', 'outlook']],
    ['Coca-Cola', ['cocacola']],
    ['Line', ['line']],
    ['Cash App', ['cashapp']],
    ['()', []],
  ])('serviceNameAlternatives(%j) → %j', (name, expected) => {
    expect(serviceNameAlternatives(name)).toEqual(expected);
  });
});

describe('matchService: real sites', () => {
  it.each([
    // Google, through every alias and country domain
    ['https://accounts.google.com/v3/signin/identifier', 'go'],
    ['https://www.google.com', 'go'],
    ['https://www.google.de/', 'go'],
    ['https://www.google.co.uk', 'go'],
    ['https://www.google.com.br', 'go'],
    ['https://mail.google.com/mail/u/0/', 'go'],
    ['https://gmail.com', 'go'],
    ['https://www.youtube.com/signin', 'go'],
    ['https://m.youtube.com', 'go'],
    ['https://voice.google.com', 'go'],
    // WhatsApp (not WhatsApp Business)
    ['https://web.whatsapp.com/', 'wa'],
    ['https://www.whatsapp.com', 'wa'],
    ['https://wa.me/15551234567', 'wa'],
    // Twitter / X
    ['https://twitter.com/i/flow/login', 'tw'],
    ['https://x.com/i/flow/signup', 'tw'],
    ['https://mobile.twitter.com', 'tw'],
    // Meta
    ['https://www.facebook.com/login', 'fb'],
    ['https://m.facebook.com', 'fb'],
    ['https://www.messenger.com', 'fb'],
    ['https://www.instagram.com/accounts/login/', 'ig'],
    // Microsoft
    ['https://login.live.com/login.srf', 'ms'],
    ['https://outlook.live.com/mail/', 'ms'],
    ['https://login.microsoftonline.com/common', 'ms'],
    ['https://account.microsoft.com', 'ms'],
    ['https://www.xbox.com/en-US/', 'ms'],
    ['https://outlook.com', 'ms'],
    // Apple
    ['https://appleid.apple.com/sign-in', 'apple'],
    ['https://www.icloud.com', 'apple'],
    // Amazon, across marketplaces
    ['https://www.amazon.com/ap/signin', 'am'],
    ['https://www.amazon.co.uk/', 'am'],
    ['https://www.amazon.de/', 'am'],
    ['https://www.amazon.co.jp/', 'am'],
    ['https://www.amazon.com.au', 'am'],
    // Payments
    ['https://www.paypal.com/signin', 'pp'],
    ['https://paypal.me/someone', 'pp'],
    ['https://cash.app/login', 'cashapp'],
    ['https://venmo.com/account/sign-in', 'venmo'],
    ['https://www.coinbase.com/signin', 'coinbase'],
    ['https://robinhood.com/login', 'robinhood'],
    ['https://www.binance.com/en/login', 'binance'],
    ['https://www.kraken.com', 'kraken'],
    ['https://www.chime.com', 'chime'],
    // Messaging
    ['https://web.telegram.org/k/', 'tg'],
    ['https://t.me/durov', 'tg'],
    ['https://telegram.org', 'tg'],
    ['https://line.me/en/', 'line'],
    ['https://signal.org/download/', 'signal'],
    ['https://discord.com/login', 'ds'],
    ['https://discord.gg/invite', 'ds'],
    ['https://www.viber.com', 'viber'],
    ['https://www.wechat.com', 'wechat'],
    ['https://nid.naver.com/nidlogin.login', 'naver'],
    // AI
    ['https://chatgpt.com/auth/login', 'oai'],
    ['https://auth.openai.com/log-in', 'oai'],
    ['https://platform.openai.com', 'oai'],
    // Everything else, by label
    ['https://store.steampowered.com/login/', 'steam'],
    ['https://steamcommunity.com/login', 'steam'],
    ['https://login.yahoo.com', 'yahoo'],
    ['https://signin.ebay.com/', 'ebay'],
    ['https://www.ebay.co.uk', 'ebay'],
    ['https://www.ebay.de', 'ebay'],
    ['https://auth.uber.com/login', 'uber'],
    ['https://www.lyft.com', 'lyft'],
    ['https://www.doordash.com/consumer/login/', 'doordash'],
    ['https://accounts.shopify.com/lookup', 'shopify'],
    ['https://tinder.com', 'tinder'],
    ['https://bumble.com/get-started', 'bumble'],
    ['https://hinge.co', 'hinge'],
    ['https://accounts.snapchat.com', 'snap'],
    ['https://www.tiktok.com/login', 'tiktok'],
    ['https://www.netflix.com/login', 'netflix'],
    ['https://www.airbnb.com', 'airbnb'],
    ['https://www.airbnb.co.uk', 'airbnb'],
    ['https://www.linkedin.com/login', 'linkedin'],
    ['https://github.com/login', 'github'],
    ['https://account.booking.com/sign-in', 'booking'],
    ['https://www.walmart.com/account/login', 'walmart'],
    ['https://www.walmart.ca', 'walmart'],
    ['https://www.etsy.com/signin', 'etsy'],
    ['https://www.reddit.com/login', 'reddit'],
    ['https://www.twitch.tv/login', 'twitch'],
    ['https://www.disneyplus.com/login', 'disney'],
    ['https://www.mercadolibre.com.ar', 'meli'],
    // Bare hosts work too
    ['accounts.google.com', 'go'],
    ['doordash.com', 'doordash'],
  ])('%s → %s', (url, key) => {
    expect(matchedKey(url)).toBe(key);
  });

  it('gives twitter.com and x.com the same service', () => {
    expect(matchService('https://twitter.com', SERVICES)).toBe(matchService('https://x.com', SERVICES));
  });

  it('matches whatever shape the alias name takes in the list', () => {
    for (const name of ['X (Twitter)', 'Twitter / X', 'Twitter', 'X', 'twitter', 'X - Twitter']) {
      const list = [svc('Facebook', 'fb'), svc(name, 'target')];
      expect(matchedKey('https://x.com', list), name).toBe('target');
      expect(matchedKey('https://twitter.com', list), name).toBe('target');
    }
    for (const name of ['Google', 'Gmail', 'YouTube', 'Google / Gmail / YouTube', 'GOOGLE (Gmail)']) {
      expect(matchedKey('https://accounts.google.com', [svc(name, 'target')]), name).toBe('target');
    }
    for (const name of ['Cash App', 'CashApp', 'cash-app', 'Cash App (Square Cash)']) {
      expect(matchedKey('https://cash.app', [svc(name, 'target')]), name).toBe('target');
    }
  });

  it('prefers the service named after the domain within an alias group', () => {
    const list = [svc('Google', 'google'), svc('YouTube', 'youtube'), svc('Gmail', 'gmail')];
    expect(matchedKey('https://www.youtube.com', list)).toBe('youtube');
    expect(matchedKey('https://gmail.com', list)).toBe('gmail');
    expect(matchedKey('https://accounts.google.com', list)).toBe('google');
    expect(matchedKey('https://www.google.fr', list)).toBe('google');
  });

  it('prefers stock, then price, among services that match', () => {
    const twitterAndX = (a: Partial<Service>, b: Partial<Service>): Service[] => [
      svc('Twitter', 'twitter', a),
      svc('X (Twitter)', 'x', b),
    ];
    expect(matchedKey('https://twitter.com', twitterAndX({ price: 0.9 }, { price: 0.4 }))).toBe('x');
    expect(matchedKey('https://twitter.com', twitterAndX({ price: 0.4 }, { price: 0.9 }))).toBe('twitter');
    expect(
      matchedKey('https://twitter.com', twitterAndX({ price: 0.1, available: 0 }, { price: 2 })),
    ).toBe('x');
    expect(
      matchedKey('https://twitter.com', twitterAndX({ available: null }, { available: 3, price: 5 })),
    ).toBe('x');
    expect(matchedKey('https://twitter.com', twitterAndX({ price: null }, { price: 3 }))).toBe('x');
    // Equal in every way: list order decides.
    expect(matchedKey('https://twitter.com', twitterAndX({}, {}))).toBe('twitter');
    // Stock outranks the domain's own name: a YouTube number is no use if there are none.
    expect(
      matchedKey('https://youtube.com', [svc('YouTube', 'yt', { available: 0 }), svc('Google', 'g')]),
    ).toBe('g');
  });

  it('still returns a service that is out of stock when it is the only match', () => {
    expect(matchedKey('https://www.netflix.com', [svc('Netflix', 'n', { available: 0 })])).toBe('n');
  });

  it('returns null when the list has no service for the site', () => {
    expect(matchedKey('https://www.youtube.com', [svc('Facebook', 'fb')])).toBeNull();
    expect(matchedKey('https://www.wikipedia.org', SERVICES)).toBeNull();
    expect(matchedKey('https://www.google.com', [])).toBeNull();
  });

  it('does not match a related but separate account', () => {
    expect(matchedKey('https://www.instagram.com', [svc('Facebook', 'fb')])).toBeNull();
    expect(matchedKey('https://github.com', [svc('Microsoft', 'ms')])).toBeNull();
    expect(matchedKey('https://squareup.com/login', [svc('Cash App', 'ca')])).toBeNull();
    expect(matchedKey('https://venmo.com', [svc('PayPal', 'pp')])).toBeNull();
    expect(matchedKey('https://www.whatsapp.com', [svc('WhatsApp Business', 'wab')])).toBeNull();
  });

  it('never matches local, non-web or unparsable pages', () => {
    for (const url of [
      'http://localhost:3000/login',
      'http://127.0.0.1:8080/',
      'http://google.localhost/',
      'chrome://settings',
      'about:blank',
      'file:///google.com/index.html',
      'not a url',
      '',
    ]) {
      expect(matchedKey(url), url).toBeNull();
    }
  });
});

describe('matchService: look-alikes return null', () => {
  it.each([
    'https://g00gle.com',
    'https://google-login.com',
    'https://accounts.google-login.com/signin',
    'https://accounts-google.com',
    'https://google.xyz',
    'https://google.evil',
    'https://gmail.co',
    'https://youtube.support',
    'https://paypal-secure-verify.com',
    'https://paypa1.com',
    'https://paypal.verify-account.net',
    'https://www.paypal.com.secure-login.info',
    'https://facebook.com.evil.io',
    'https://faceb00k.com',
    'https://m-facebook.com',
    'https://amaz0n.com',
    'https://arnazon.com',
    'https://amazon.xyz',
    'https://amazon-co-uk.com',
    'https://whatsapp-web.net',
    'https://whatsapp.co',
    'https://x.co',
    'https://twittter.com',
    'https://twitter.co',
    'https://micros0ft.com',
    'https://microsoft-online.com',
    'https://appleid-verify.com',
    'https://apple.com-id.info',
    'https://\u0430pple.com',
    'https://telegrarn.org',
    'https://telegram.support',
    'https://discordapp.gift',
    'https://discord-nitro.gift',
    'https://coinbase-wallet.support',
    'https://coinbase.support',
    'https://coinbase-wallet.com',
    'https://whatsapp-business.com',
    'https://chatgpt-app.com',
    'https://openai.xyz',
    'https://instagrarn.com',
    'https://steamcommunlty.com',
    'https://steam.com',
    'https://cashapp.com',
    'https://netflix.top',
    'https://netflix-billing.com',
    'https://paypal.github.io',
    'https://google.blogspot.com',
    'https://shopify.herokuapp.com',
    'https://netflix.tk',
    'https://other.com',
    'https://us.org',
  ])('%s → null', (url) => {
    expect(matchService(url, SERVICES)).toBeNull();
  });

  it('matches exact labels only: never a prefix, suffix or substring of a service name', () => {
    const list = [svc('Shopify', 's'), svc('Uber', 'u'), svc('Line', 'l')];
    for (const url of [
      'https://shopifyy.com',
      'https://shop.com',
      'https://myshopify.net',
      'https://uberr.com',
      'https://ubereats.net',
      'https://online.com',
      'https://lines.com',
    ]) {
      expect(matchedKey(url, list), url).toBeNull();
    }
  });
});

describe('SITE_GROUPS', () => {
  it('lists every domain once, under its own registrable domain', () => {
    const seen = new Set<string>();
    for (const group of SITE_GROUPS) {
      expect(group.domains, group.key).toContain(group.key);
      for (const domain of group.domains) {
        expect(seen.has(domain), domain).toBe(false);
        seen.add(domain);
        expect(registrableDomain(domain), domain).toBe(domain);
        // An alias under a private suffix could never be told apart from its neighbours.
        expect(parse(domain, { allowPrivateDomains: true }).isIcann, domain).toBe(true);
      }
    }
  });

  it('uses only normalised service names', () => {
    for (const group of SITE_GROUPS) {
      for (const name of group.serviceNames) expect(normaliseServiceName(name)).toBe(name);
    }
  });
});
