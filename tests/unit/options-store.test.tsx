import { describe, expect, it } from 'vitest';
import { applyPatch, createOptionsStore } from '@/components/options/store';
import type { Reply, SessionState, SettingsPatch } from '@/utils/messaging';
import { DEFAULT_SETTINGS, type CachedAccount, type Settings, type SiteChoices } from '@/utils/storage';

const account: CachedAccount = {
  accountId: 'abc',
  name: 'Demo User',
  email: 'demo@text2fa.test',
  balance: 50,
  currency: 'USD',
  checkedAt: 0,
};
const signedIn: SessionState = { configured: true, account, problem: null, apiBaseUrl: null };

type Answer = (type: string, payload: Record<string, unknown>) => Reply<unknown> | Promise<Reply<unknown>>;

/** A store over fake storage and a fake background that records what it was sent. */
function setup(answer: Answer, stored: { settings?: Settings; choices?: Record<string, SiteChoices>; history?: number } = {}) {
  const sent: { type: string; payload: Record<string, unknown> }[] = [];
  const storage = {
    settings: stored.settings ?? DEFAULT_SETTINGS,
    choices: stored.choices ?? {},
    history: stored.history ?? 0,
  };
  const staged: string[] = [];
  const store = createOptionsStore({
    stageToken: async (token) => void staged.push(token),
    send: async (message) => {
      const m = message as { type: string; payload: Record<string, unknown> };
      sent.push({ type: m.type, payload: m.payload });
      return answer(m.type, m.payload);
    },
    readSettings: async () => storage.settings,
    readServiceChoices: async () => storage.choices,
    readHistoryCount: async () => storage.history,
    readAccount: async () => account,
  });
  return { store, sent, storage, staged };
}

const ok = <T,>(data: T): Reply<T> => ({ ok: true, data });

describe('options store', () => {
  it('renders from storage first, then takes the session from the background', async () => {
    let release: (reply: Reply<unknown>) => void = () => {};
    const { store } = setup((type) => (type === 'session.get' ? new Promise((r) => (release = r)) : ok(null)), {
      history: 3,
      choices: { 'example.com': { s1: { pool: 's1', serviceKey: 'ex', serviceName: 'Example' } } },
    });
    const loading = store.getState().load();
    await new Promise((r) => setTimeout(r, 0));
    expect(store.getState()).toMatchObject({ ready: true, historyCount: 3, account, session: null });
    expect(Object.keys(store.getState().serviceChoices)).toEqual(['example.com']);
    release(ok(signedIn));
    await loading;
    expect(store.getState().session).toEqual(signedIn);
  });

  it('keeps the background unreachable as a problem to show', async () => {
    const { store } = setup(() => {
      throw new Error('Receiving end does not exist.');
    });
    await store.getState().load();
    expect(store.getState().sessionProblem?.message).toContain('did not answer');
  });

  it('sends settings changes one at a time and shows them at once', async () => {
    let current = DEFAULT_SETTINGS;
    const releases: (() => void)[] = [];
    const { store, sent } = setup(
      (type, payload) =>
        new Promise((resolve) => {
          releases.push(() => {
            current = applyPatch(current, payload.patch as SettingsPatch);
            resolve(ok(current));
          });
        }),
    );
    const first = store.getState().updateSettings({ autofill: false });
    const second = store.getState().updateSettings({ defaults: { rentalDays: 9 } });
    expect(store.getState().settings.autofill).toBe(false);
    expect(store.getState().settings.defaults.rentalDays).toBe(9);
    await new Promise((r) => setTimeout(r, 0));
    // The second waits for the first: the background merges into what it last wrote.
    expect(sent.map((m) => m.type)).toEqual(['settings.update']);
    releases[0]!();
    await first;
    expect(store.getState().settings.defaults.rentalDays).toBe(9);
    await new Promise((r) => setTimeout(r, 0));
    expect(sent).toHaveLength(2);
    releases[1]!();
    await second;
    expect(store.getState().settings).toEqual({ ...DEFAULT_SETTINGS, autofill: false, defaults: { ...DEFAULT_SETTINGS.defaults, rentalDays: 9 } });
  });

  it('takes back a change the background refused', async () => {
    const { store } = setup(() => ({ ok: false, error: { kind: 'bad_message', message: 'invalid payload' } }));
    const outcome = await store.getState().updateSettings({ notifications: false });
    expect(outcome).toEqual({ ok: false, problem: { kind: 'bad_message', message: 'invalid payload' } });
    expect(store.getState().settings.notifications).toBe(true);
  });

  it('re-reads storage after an import and counts what came in', async () => {
    const { store, storage } = setup((type) => (type === 'data.import' ? ok({ orders: 2 }) : ok(signedIn)));
    await store.getState().load();
    storage.settings = { ...DEFAULT_SETTINGS, notifications: false };
    storage.choices = {
      'a.com': { s1: { pool: 's1', serviceKey: 'a', serviceName: 'A' }, rental: { pool: 'rental', serviceKey: 'ar', serviceName: 'A' } },
      'b.com': { s2: { pool: 's2', serviceKey: 'b', serviceName: 'B' } },
    };
    storage.history = 2;
    const outcome = await store.getState().importData({ format: 'text2fa-extension-export' });
    // Counted per pick: a.com's S1 and rental services are two.
    expect(outcome).toEqual({ ok: true, value: { orders: 2, choices: 3 } });
    expect(store.getState()).toMatchObject({ historyCount: 2, settings: { notifications: false } });
  });

  it('passes an import refusal on as is and changes nothing', async () => {
    const { store } = setup((type) =>
      type === 'data.import'
        ? { ok: false, error: { kind: 'bad_import', message: 'The settings in this file are not valid.' } }
        : ok(signedIn),
    );
    await store.getState().load();
    const outcome = await store.getState().importData({});
    expect(outcome).toEqual({ ok: false, problem: { kind: 'bad_import', message: 'The settings in this file are not valid.' } });
    expect(store.getState().settings).toEqual(DEFAULT_SETTINGS);
  });

  it('forgets a removed choice, empties the history, and follows storage changes', async () => {
    const { store, sent } = setup((type) => ok(type === 'session.get' ? signedIn : null), {
      history: 4,
      choices: { 'a.com': { s1: { pool: 's1', serviceKey: 'a', serviceName: 'A' }, s2: { pool: 's2', serviceKey: 'a2', serviceName: 'A' } } },
    });
    await store.getState().load();
    await store.getState().removeChoice('a.com', 's2');
    expect(sent.at(-1)).toEqual({ type: 'site.setChoice', payload: { siteKey: 'a.com', pool: 's2', choice: null } });
    expect(store.getState().serviceChoices).toEqual({ 'a.com': { s1: { pool: 's1', serviceKey: 'a', serviceName: 'A' } } });
    await store.getState().removeChoice('a.com', 's1');
    expect(store.getState().serviceChoices).toEqual({});
    await store.getState().clearHistory();
    expect(store.getState().historyCount).toBe(0);
    store.getState().stored({ historyCount: 1, account: null, settings: { ...DEFAULT_SETTINGS, fillPhone: false } });
    expect(store.getState()).toMatchObject({ historyCount: 1, account: null, settings: { fillPhone: false } });
  });

  it('hands the token over outside any message, and never sends it', async () => {
    const { store, sent, staged } = setup((type) => ok(type === 'catalog.regions' ? [] : signedIn));
    await store.getState().load();
    await store.getState().setToken('t2fa_secret_token');
    await store.getState().loadRegions();
    await store.getState().signOut();
    expect(staged).toEqual(['t2fa_secret_token']);
    expect(sent.map((m) => m.type)).toContain('session.setToken');
    expect(JSON.stringify(sent)).not.toContain('t2fa_secret_token');
  });
});
