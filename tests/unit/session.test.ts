import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { startSimulator, type Simulator } from '../../simulator/server';
import { createText2faClient } from '@/utils/text2fa';
import { createSession, tokenFingerprint } from '@/utils/background/session';
import { accountItem, apiBaseUrlItem, tokenItem } from '@/utils/storage';

let simulator: Simulator;
beforeAll(async () => {
  simulator = await startSimulator({ port: 0 });
});
afterAll(() => simulator.close());
beforeEach(async () => {
  fakeBrowser.reset();
  await apiBaseUrlItem.setValue(simulator.baseUrl);
});

const session = () => createSession({ createClient: ({ baseUrl, token }) => createText2faClient({ baseUrl, token }), now: () => 1_000 });

describe('session', () => {
  it('keeps a token only after Text2FA accepted it, and caches the account without the token', async () => {
    const state = await session().setToken(`  ${simulator.demoToken}  `);
    expect(state).toMatchObject({ configured: true, account: { balance: 50, currency: 'USD', checkedAt: 1_000 } });
    expect(await tokenItem.getValue()).toBe(simulator.demoToken);
    expect(state.account?.accountId).toBe(await tokenFingerprint(simulator.demoToken));
    expect(JSON.stringify(state)).not.toContain(simulator.demoToken);
    expect(JSON.stringify(await accountItem.getValue())).not.toContain(simulator.demoToken);
  });

  it('a rejected token never replaces a working one', async () => {
    const s = session();
    await s.setToken(simulator.demoToken);
    await expect(s.setToken('wrong-token-123')).rejects.toMatchObject({ kind: 'unauthorized' });
    expect(await tokenItem.getValue()).toBe(simulator.demoToken);
  });

  it('refuses a pasted token with spaces inside before asking anyone', async () => {
    await expect(session().setToken('abc def ghi')).rejects.toMatchObject({ kind: 'bad_token_format' });
  });

  it('refuses a 20,000-character paste with the forms’ own sentence, not an HTTP 431', async () => {
    await expect(session().setToken('x'.repeat(20_000))).rejects.toMatchObject({
      kind: 'bad_token_format',
      message: expect.stringContaining('That is 20,000 characters; an API token is at most 512.'),
    });
    expect(await tokenItem.getValue()).toBeNull();
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
    expect(await tokenItem.getValue()).toBeNull();
  });
});
