/**
 * Codes whose SMS names another brand (issue 13, finding 11): "Your PayPal
 * security code: 551234" reached a number bought for another site and was
 * filled. Real-looking texts, and the fixtures' 336 SMS for false alarms.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { brandNames, smsNamesOtherBrand, type OrderBrand } from '@/utils/brands';
import { CATALOGUE } from '../../simulator/catalogue';

const catalogue = [...new Set([...CATALOGUE.s1, ...CATALOGUE.s2, ...CATALOGUE.rental].map((s) => s.name))];
const brands = brandNames(catalogue);

const acme: OrderBrand = { serviceName: 'Other', siteKey: 'acme.com' };
const named = (sms: string, order: OrderBrand = acme) => smsNamesOtherBrand(sms, order, brands);

describe('an SMS naming another brand', () => {
  it.each([
    ['Your PayPal security code: 551234', 'PayPal'],
    ['PayPal: Your security code is 551234. Your code expires in 10 minutes. Please don\'t reply.', 'PayPal'],
    ['G-551234 is your Google verification code.', 'Google'],
    ['[TikTok] 551234 is your verification code, valid for 5 minutes.', 'TikTok'],
    ['Zoom: your verification code is 551234', 'Zoom'],
    ['Your Signal registration code: 551-234', 'Signal'],
    ['Cash App: 551234 is your sign-in code. Don\'t share it.', 'Cash App'],
    ['<#> Your Discord verification code is: 551234\nFA+9qCX9VSu', 'Discord'],
    ['Use 551234 as your Microsoft account security code', 'Microsoft'],
    ['Your eBay security code is 551234', 'eBay'],
    ['Steam code: 5X7QK', 'Steam'],
    ['LINE: Your verification code is 5512', 'LINE'],
  ])('%j names %j for an order on acme.com', (sms, brand) => {
    expect(named(sms)).toBe(brand);
  });

  it.each([
    ['PayPal: Your security code is 551234. PayPal will never ask for it.', { serviceName: 'PayPal', siteKey: 'paypal.com' }],
    ['Google: G-551234 is your Google verification code.', { serviceName: 'Google', siteKey: 'google.com' }],
    ['Sign in with Google to Acme: your code is 551234', acme],
    ['Use 551234 to sign in to Acme with your Apple ID.', acme],
    ['Your YouTube verification code is 551234', { serviceName: 'Google', siteKey: 'google.com' }],
    ['Your Twitter confirmation code is 551234.', { serviceName: 'X (Twitter)', siteKey: 'x.com' }],
    ['WhatsApp code 551-234. Don\'t share this code with others', { serviceName: 'WhatsApp Business', siteKey: null }],
    ['Your Coinbase verification code is 551234', { serviceName: 'Coinbase Wallet', siteKey: 'coinbase.com' }],
    ['Booking confirmation code: 551234', { serviceName: 'Booking.com', siteKey: 'booking.com' }],
  ])('%j is for the order it came to', (sms, order) => {
    expect(named(sms, order)).toBeNull();
  });

  it.each([
    ['Your Googleplex visitor code is 551234'],
    ['Your code is 551234. Questions? https://acme.com/help/paypal'],
    ['Your code is 551234. Not you? Write to security@paypal.com'],
    ['Your code is 551234. Get the app: apps.apple.com/app/acme'],
    ['Your code is 551234\n\n@paypal.com #551234'],
    ['your paypal code is 551234'],
    ['Line 2 of your address changed. Code 551234'],
    ['Signal lost? Use code 551234 to sign in again.'],
    ['Your code is 551234. Reply STOP to opt out, HELP for help.'],
    ['Steamboat Springs: your code is 551234'],
    ['X marks the spot: code 551234'],
  ])('%j names no other brand', (sms) => {
    expect(named(sms)).toBeNull();
  });

  it('for a catch-all service, compares with the site alone; with no site either, it cannot tell', () => {
    expect(named('Your Acme code is 551234', { serviceName: 'Other', siteKey: 'acme.com' })).toBeNull();
    expect(named('Your Venmo code is 551234', { serviceName: 'Other', siteKey: 'acme.com' })).toBe('Venmo');
    expect(named('Your Venmo code is 551234', { serviceName: 'Other', siteKey: null })).toBeNull();
  });

  it('for an imported order with no site, compares with its service alone', () => {
    expect(named('Your Venmo code is 551234', { serviceName: 'PayPal', siteKey: null })).toBe('Venmo');
    expect(named('PayPal: your code is 551234', { serviceName: 'PayPal', siteKey: null })).toBeNull();
  });

  it('knows the alias table’s brands without any catalogue', () => {
    const aliasesOnly = brandNames([]);
    expect(smsNamesOtherBrand('Your PayPal security code: 551234', acme, aliasesOnly)).toBe('PayPal');
    expect(smsNamesOtherBrand('Your Venmo code is 551234', acme, aliasesOnly)).toBeNull();
    expect(smsNamesOtherBrand(null, acme, aliasesOnly)).toBeNull();
  });
});

describe('false alarms over the OTP fixtures', () => {
  const rows = ['otp-sms-dev.jsonl', 'otp-sms-extra.jsonl'].flatMap((name) =>
    readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => (JSON.parse(line) as { sms: string }).sms),
  );

  it('only SMS that really name a brand are flagged for an order on acme.com', () => {
    const flagged = rows.map((sms) => [sms, named(sms)] as const).filter(([, brand]) => brand !== null);
    expect(Object.fromEntries(flagged)).toEqual(FLAGGED);
  });

  it('no SMS is flagged for the brand it names', () => {
    for (const sms of rows) {
      const brand = named(sms);
      if (brand) expect(named(sms, { serviceName: brand, siteKey: null }), sms).toBeNull();
    }
  });
});

/**
 * Every fixture SMS flagged for an order on acme.com (read one by one: each
 * names that brand as its sender or subject; the AMAZON one is a bank's code
 * for a purchase there, which belongs in no sign-up page either).
 */
const FLAGGED: Record<string, string> = {
  "G-482913 is your Google verification code.": "Google",
  "482019 is your Tinder code\n\n@tinder.com #482019": "Tinder",
  "482913 es tu código de verificación de Facebook": "Facebook",
  "592044 is your Amazon OTP. Do not share it with anyone.": "Amazon",
  "914402 is your Facebook confirmation code": "Facebook",
  "<#> Your Discord verification code is: 602913\nFA+9qCX9VSu": "Discord",
  "Hi! Your code for signing up at Shopify: 881201": "Shopify",
  "Netflix: Your verification code is 118274. It expires in 15 minutes.": "Netflix",
  "OTP for your transaction of Rs.1,500.00 at AMAZON on card XX1234 is 482913. Valid for 10 mins.": "AMAZON",
  "Snapchat code: 304921. Happy Snapping!": "Snapchat",
  "Telegram code: 77214\n\nYou can also tap on this link to log in:\nhttps://t.me/login/77214": "Telegram",
  "Use verification code 482913 for Twitter authentication.": "Twitter",
  "Viber code: 4829": "Viber",
  "Your Airbnb verification code is: 8812. Don't share this code with anyone; our employees will never ask for the code.": "Airbnb",
  "Your Apple ID Code is: 731402. Don't share it with anyone.\n\n@apple.com #731402 %apple.com": "Apple ID",
  "Your Coinbase verification code is: 1234567. Don't share this code with anyone; our employees will never ask for the code.": "Coinbase",
  "Your Google Voice verification code is 482913": "Google",
  "Your Instagram code is 889 103. Don't share it.": "Instagram",
  "Your LinkedIn verification code is 123456.": "LinkedIn",
  "Your Lyft code is 2048": "Lyft",
  "Your Microsoft account security code is 2941": "Microsoft",
  "Your Microsoft account security code is 2941. Only enter this code on an official website or app.": "Microsoft",
  "Your PayPal code is: 501823. Don't share your code with anyone.": "PayPal",
  "Your Signal code: 482-913 Do not share this code": "Signal",
  "Your Signal registration code: 482-913": "Signal",
  "Your Steam Guard code is 2BF6K": "Steam",
  "Your Twitter confirmation code is 4vtq5": "Twitter",
  "Your Uber code: 7204. Never share this code. Reply STOP ECHO to end messages.": "Uber",
  "Your Uber code: 7204. Reply STOP ECHO to end messages.": "Uber",
  "Your Venmo code is 224801. Venmo will never call to ask for this code.": "Venmo",
  "Your WhatsApp code: 318-442\nDon't share this code with others": "WhatsApp",
  "Your Yahoo verification code is 88291633": "Yahoo",
  "[Binance] Verification code: 390211. The code is valid for 30 minutes.": "Binance",
  "[TikTok] 482913 is your verification code, valid for 5 minutes. To keep your account safe, never forward this code.": "TikTok",
};

describe('the catalogue’s service names in the background', () => {
  it('are remembered as the lists load, and outlive a restarted worker without asking Text2FA again', async () => {
    const { createCatalog } = await import('@/utils/background/catalog');
    let saved: string[] = [];
    let requests = 0;
    const client = {
      servicesS1: async () => {
        requests += 1;
        return [
          { pool: 's1', key: 'v', name: 'Venmo', price: 0.85, available: 3 },
          { pool: 's1', key: 'o', name: 'Other', price: 0.5, available: 9 },
        ];
      },
    } as unknown as import('@/utils/text2fa/types').Text2faClient;
    const deps = {
      client: async () => client,
      now: () => 0,
      choices: async () => ({}),
      names: { get: async () => saved, set: async (names: string[]) => void (saved = names) },
    };
    const first = createCatalog(deps);
    expect(await first.serviceNames()).toEqual([]);
    await first.services('s1');
    await expect.poll(() => first.serviceNames()).toEqual(['Venmo', 'Other']);

    const restarted = createCatalog(deps);
    expect(await restarted.serviceNames()).toEqual(['Venmo', 'Other']);
    expect(requests).toBe(1);
    expect(smsNamesOtherBrand('Your Venmo code is 551234', acme, brandNames(await restarted.serviceNames()))).toBe('Venmo');
  });
});
