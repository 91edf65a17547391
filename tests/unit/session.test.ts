import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { startSimulator, type Simulator } from '../../simulator/server';
import { createText2faClient } from '@/utils/text2fa';
import { createSession, storedAuthForms, tokenFingerprint, type AuthFormMemory } from '@/utils/background/session';
import { IDBFactory } from 'fake-indexeddb';
import { createTokenStore, type TokenStore } from '@/utils/background/token-store';
import { accountItem, apiBaseUrlItem, AUTH_FORMS_LIMIT, authFormsItem } from '@/utils/storage';
import { SimControl } from '../support/sim-control';

let simulator: Simulator;
beforeAll(async () => {
  simulator = await startSimulator({ port: 0 });
});
afterAll(() => simulator.close());
let tokens: TokenStore;
beforeEach(async () => {
  fakeBrowser.reset();
  // fake-indexeddb: the IndexedDB the background keeps the token in, implemented for Node.
  tokens = createTokenStore(new IDBFactory());
  await apiBaseUrlItem.setValue(simulator.baseUrl);
});

const session = () =>
  createSession({ createClient: (options) => createText2faClient(options), tokens, authForms: storedAuthForms, now: () => 1_000 });

describe('session', () => {
  it('keeps a token only after Text2FA accepted it, and caches the account without the token', async () => {
    const state = await session().setToken(`  ${simulator.demoToken}  `);
    expect(state).toMatchObject({ configured: true, account: { balance: 50, currency: 'USD', checkedAt: 1_000 } });
    expect(await tokens.get()).toBe(simulator.demoToken);
    expect(state.account?.accountId).toBe(await tokenFingerprint(simulator.demoToken));
    expect(JSON.stringify(state)).not.toContain(simulator.demoToken);
    expect(JSON.stringify(await accountItem.getValue())).not.toContain(simulator.demoToken);
  });

  it('a rejected token never replaces a working one', async () => {
    const s = session();
    await s.setToken(simulator.demoToken);
    await expect(s.setToken('wrong-token-123')).rejects.toMatchObject({ kind: 'unauthorized' });
    expect(await tokens.get()).toBe(simulator.demoToken);
  });

  it('refuses a pasted token with spaces inside before asking anyone', async () => {
    await expect(session().setToken('abc def ghi')).rejects.toMatchObject({ kind: 'bad_token_format' });
  });

  it('refuses a 20,000-character paste with the forms’ own sentence, not an HTTP 431', async () => {
    await expect(session().setToken('x'.repeat(20_000))).rejects.toMatchObject({
      kind: 'bad_token_format',
      message: expect.stringContaining('That is 20,000 characters; an API token is at most 512.'),
    });
    expect(await tokens.get()).toBeNull();
  });

  it('gives no client without a token, and one bound to the account with it', async () => {
    const s = session();
    expect(await s.current()).toBeNull();
    await s.setToken(simulator.demoToken);
    const active = await s.current();
    expect(active?.accountId).toBe(await tokenFingerprint(simulator.demoToken));
    expect((await active!.client.accountDetails()).balance).toBe(50);
  });

  it('stores a balance an answer carried, or re-reads it', async () => {
    const s = session();
    await s.setToken(simulator.demoToken);
    await s.balanceChanged(42.5);
    expect((await accountItem.getValue())?.balance).toBe(42.5);
    await s.balanceChanged(null);
    expect((await accountItem.getValue())?.balance).toBe(50);
  });

  it('only accepts the real API or a loopback simulator as the API address', async () => {
    await expect(session().setApiBaseUrl('https://evil.example/api')).rejects.toMatchObject({ kind: 'bad_api_url' });
    expect((await session().setApiBaseUrl('http://127.0.0.1:9999/api/v1/')).apiBaseUrl).toBe('http://127.0.0.1:9999/api/v1');
  });

  it('signing out forgets the token and the cached account', async () => {
    const s = session();
    await s.setToken(simulator.demoToken);
    expect(await s.signOut()).toMatchObject({ configured: false, account: null });
    expect(await tokens.get()).toBeNull();
  });
});

describe('the Bearer fallback', () => {
  /** Every request the clients made: where it went and how the token was written. */
  let sent: { url: string; authorization: string }[];
  const recordingFetch: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    sent.push({ url: String(input), authorization: headers.get('authorization') ?? '' });
    return fetch(input, init);
  };
  /** A new session each time: a worker restart keeps storage and loses everything else. */
  const freshSession = (authForms: AuthFormMemory = storedAuthForms) =>
    createSession({ createClient: (options) => createText2faClient({ ...options, fetch: recordingFetch }), tokens, authForms, now: () => 1_000 });
  const forms = () => sent.map((r) => (r.authorization.startsWith('Bearer ') ? 'bearer' : 'raw'));
  const sim = () => new SimControl(simulator.url);

  beforeEach(async () => {
    sent = [];
    await sim().reset();
  });

  it('raw accepted: one request per call, in the raw form, and nothing to remember', async () => {
    await freshSession().setToken(simulator.demoToken);
    expect(forms()).toEqual(['raw']);
    expect(sent[0]!.authorization).toBe(simulator.demoToken);
    expect(await authFormsItem.getValue()).toEqual({});
  });

  it('only Bearer accepted: the 401 to the raw token is retried once as Bearer, and the form is remembered by fingerprint', async () => {
    await sim().auth('bearer');
    const state = await freshSession().setToken(simulator.demoToken);
    expect(state).toMatchObject({ configured: true, account: { balance: 50 } });
    expect(forms()).toEqual(['raw', 'bearer']);
    expect(sent[1]!.authorization).toBe(`Bearer ${simulator.demoToken}`);
    const fingerprint = await tokenFingerprint(simulator.demoToken);
    expect(await authFormsItem.getValue()).toEqual({ [fingerprint]: 'bearer' });
    expect(JSON.stringify(await authFormsItem.getValue())).not.toContain(simulator.demoToken);
    expect(JSON.stringify(await fakeBrowser.storage.local.get(null))).not.toContain(`Bearer ${simulator.demoToken}`);
    expect(JSON.stringify(state)).not.toContain(simulator.demoToken);
  });

  it('the remembered form survives a worker restart: a new session starts with Bearer, no 401 first', async () => {
    await sim().auth('bearer');
    await freshSession().setToken(simulator.demoToken);
    sent = [];

    const restarted = freshSession();
    const active = await restarted.current();
    expect((await active!.client.accountDetails()).balance).toBe(50);
    const key = (await active!.client.servicesS1()).find((s) => s.name === 'Google')!.key;
    await active!.client.requestNumberS1({ serviceKey: key });
    expect(forms()).toEqual(['bearer', 'bearer', 'bearer']);
    expect((await sim().counters()).purchases).toBe(1);
    await restarted.refreshAccount();
    expect(forms()).toEqual(['bearer', 'bearer', 'bearer', 'bearer']);
  });

  it('a purchase refused as raw is bought once, as Bearer', async () => {
    await sim().auth('bearer');
    await tokens.set(simulator.demoToken);
    const active = await freshSession().current();
    const key = (await active!.client.servicesS1()).find((s) => s.name === 'Google')!.key;
    const order = await active!.client.requestNumberS1({ serviceKey: key });
    expect(order.number).toMatch(/^\d{10}$/);
    expect(forms()).toEqual(['raw', 'bearer', 'bearer']);
    expect((await sim().counters()).purchases).toBe(1);
  });

  it('neither form accepted: "token rejected" with one message, after exactly one retry, nothing remembered', async () => {
    const s = freshSession();
    await s.setToken(simulator.demoToken);
    sent = [];
    const error = await s.setToken('wrong-token-123').catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'unauthorized', status: 401, message: 'Text2FA did not accept the API token. Check the token in the extension settings.' });
    expect(forms()).toEqual(['raw', 'bearer']);
    expect(await tokens.get()).toBe(simulator.demoToken);
    expect(await authFormsItem.getValue()).toEqual({});

    // A stored token the account no longer accepts in either form.
    await sim().auth('bearer');
    await tokens.set('revoked-token-456');
    sent = [];
    await expect(s.refreshAccount()).rejects.toMatchObject({ kind: 'unauthorized' });
    expect(forms()).toEqual(['raw', 'bearer']);
    expect((await s.state()).problem).toMatchObject({ kind: 'unauthorized', message: expect.stringContaining('did not accept') });
  });

  it('a remembered Bearer that stops working falls back to raw, and that is remembered instead', async () => {
    await sim().auth('bearer');
    await freshSession().setToken(simulator.demoToken);
    await sim().auth('raw');
    sent = [];
    await freshSession().refreshAccount();
    expect(forms()).toEqual(['bearer', 'raw']);
    expect(await authFormsItem.getValue()).toEqual({});
    sent = [];
    await freshSession().refreshAccount();
    expect(forms()).toEqual(['raw']);
  });

  it('a token pasted as "Bearer xyz" is stored as "xyz", and the fallback decides the form', async () => {
    const s = freshSession();
    await s.setToken(`Bearer ${simulator.demoToken}`);
    expect(await tokens.get()).toBe(simulator.demoToken);
    expect(forms()).toEqual(['raw']);
    await sim().auth('bearer');
    await s.setToken(`  bearer   ${simulator.demoToken} `);
    expect(await tokens.get()).toBe(simulator.demoToken);
    await expect(s.setToken('Bearer ')).rejects.toMatchObject({ kind: 'bad_token_format' });
  });

  it('the token goes only to the API origin, in both forms', async () => {
    await sim().auth('bearer');
    await freshSession().setToken(simulator.demoToken);
    await sim().auth('raw');
    await freshSession().refreshAccount();
    expect(sent.length).toBeGreaterThanOrEqual(4);
    for (const request of sent) {
      expect(new URL(request.url).origin).toBe(new URL(simulator.baseUrl).origin);
      expect(request.url).not.toContain(simulator.demoToken);
    }
  });

  it('the memory keeps only the newest tokens, and a memory that fails does not block the session', async () => {
    for (let i = 0; i < AUTH_FORMS_LIMIT + 3; i++) await storedAuthForms.set(`fp${i}`, 'bearer');
    const kept = Object.keys(await authFormsItem.getValue());
    expect(kept).toHaveLength(AUTH_FORMS_LIMIT);
    expect(kept.at(-1)).toBe(`fp${AUTH_FORMS_LIMIT + 2}`);
    expect(await storedAuthForms.get('fp0')).toBeNull();

    await sim().auth('bearer');
    const broken: AuthFormMemory = { get: () => Promise.reject(new Error('x')), set: () => Promise.reject(new Error('x')) };
    expect((await freshSession(broken).setToken(simulator.demoToken)).configured).toBe(true);
  });
});
