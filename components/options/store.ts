/**
 * The options page's state. It renders from storage at once (settings,
 * per-site choices, history size, cached account), then asks the background
 * about the session. Every change is a request to the background, which
 * alone writes storage; the token is only ever sent, never read.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import {
  MessageError,
  request,
  type ExportBundle,
  type SendMessage,
  type SessionState,
  type SettingsPatch,
  submitToken,
} from '@/utils/messaging';
import { choiceRows, withChoice } from '@/utils/choices';
import { DEFAULT_SETTINGS, type CachedAccount, type ServiceChoice, type Settings, type SiteChoices } from '@/utils/storage';
import type { Pool, Region, RentalService, Service } from '@/utils/text2fa/types';

/** A failure the page shows as is. */
export interface Problem {
  kind: string;
  message: string;
}

/** The result of one action: a value, or the problem to show next to its control. */
export type Outcome<T = null> = { ok: true; value: T } | { ok: false; problem: Problem };

/** One pool's services, for changing the service chosen for a site. */
export type ServiceList =
  | { status: 'loading' }
  | { status: 'ready'; services: Array<Service | RentalService> }
  | { status: 'failed'; problem: Problem };

/** The S1 state list: a select when it loads, a validated text field when it can't. */
export type RegionList =
  | { status: 'idle' | 'loading' }
  | { status: 'ready'; regions: Region[] }
  | { status: 'failed'; problem: Problem };

export interface OptionsState {
  /** False until storage has been read once. */
  ready: boolean;
  /** Settings as shown: what the background confirmed, with changes still on their way applied on top. */
  settings: Settings;
  serviceChoices: Record<string, SiteChoices>;
  historyCount: number;
  /** The account the background last saw (from storage first, then from `session.get`). */
  account: CachedAccount | null;
  /** Null until the background first answers. */
  session: SessionState | null;
  /** Why `session.get` failed, if it did. */
  sessionProblem: Problem | null;
  regions: RegionList;
  /** Service lists by pool, loaded when the user changes a site's service. */
  services: Partial<Record<Pool, ServiceList>>;

  load(): Promise<void>;
  loadSession(): Promise<void>;
  loadRegions(): Promise<void>;
  updateSettings(patch: SettingsPatch): Promise<Outcome<Settings>>;
  setToken(token: string): Promise<Outcome<SessionState>>;
  signOut(): Promise<Outcome<SessionState>>;
  setApiBaseUrl(url: string): Promise<Outcome<SessionState>>;
  /** Forgets the service chosen for a site for one kind of number; its other kinds' stay. */
  removeChoice(siteKey: string, pool: Pool): Promise<Outcome>;
  loadServices(pool: Pool, refresh?: boolean): Promise<void>;
  /** Remembers another service for a site and the service's kind (what picking it in the popup does). */
  setChoice(siteKey: string, choice: ServiceChoice): Promise<Outcome>;
  /**
   * A typed site reduced to the key the background compares (`https://www.example.co.uk/x` →
   * `example.co.uk`), or null when it is not a web site. The background does it: it already
   * carries the public-suffix list, which would more than double this page's size.
   */
  normalizeSite(text: string): Promise<Outcome<string | null>>;
  exportData(): Promise<Outcome<ExportBundle>>;
  /** Sends a parsed file to the background; on success re-reads what it replaced. */
  importData(bundle: unknown): Promise<Outcome<{ orders: number; choices: number }>>;
  clearHistory(): Promise<Outcome>;
  /** Storage changed under the page (the popup, an import, the engine): take the new values. */
  stored(change: StoredChange): void;
}

/** Values read from (or reported by) storage. */
export interface StoredChange {
  settings?: Settings;
  serviceChoices?: Record<string, SiteChoices>;
  historyCount?: number;
  account?: CachedAccount | null;
}

export interface OptionsStoreDeps {
  send: SendMessage;
  /** Puts a pasted token where the background takes it from (never in a message). */
  stageToken(token: string): Promise<void>;
  readSettings(): Promise<Settings>;
  readServiceChoices(): Promise<Record<string, SiteChoices>>;
  readHistoryCount(): Promise<number>;
  readAccount(): Promise<CachedAccount | null>;
}

/** Settings with a patch applied, `defaults` merged rather than replaced. */
export function applyPatch(settings: Settings, patch: SettingsPatch): Settings {
  return { ...settings, ...patch, defaults: { ...settings.defaults, ...patch.defaults } };
}

function problemOf(error: unknown): Problem {
  if (error instanceof MessageError) return { kind: error.kind, message: error.message };
  return { kind: 'internal', message: 'Something went wrong. Please try again.' };
}

async function attempt<T>(action: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await action() };
  } catch (error) {
    return { ok: false, problem: problemOf(error) };
  }
}

/** Creates the options page's store. */
export function createOptionsStore(deps: OptionsStoreDeps): StoreApi<OptionsState> {
  return createStore<OptionsState>()((set, get) => {
    // The background's settings.update reads, merges and writes; two updates in
    // flight at once could each miss the other's change, so they go one by one.
    let confirmed: Settings = DEFAULT_SETTINGS;
    let pending: { id: number; patch: SettingsPatch }[] = [];
    let nextId = 0;
    let queue: Promise<unknown> = Promise.resolve();

    const shown = () => pending.reduce((settings, entry) => applyPatch(settings, entry.patch), confirmed);

    async function readStorage(): Promise<void> {
      const [settings, serviceChoices, historyCount, account] = await Promise.all([
        deps.readSettings(),
        deps.readServiceChoices(),
        deps.readHistoryCount(),
        deps.readAccount(),
      ]);
      confirmed = settings;
      set({ ready: true, settings: shown(), serviceChoices, historyCount, account });
    }

    function sessionAnswered(session: SessionState): void {
      set({ session, account: session.account, sessionProblem: null });
    }

    return {
      ready: false,
      settings: DEFAULT_SETTINGS,
      serviceChoices: {},
      historyCount: 0,
      account: null,
      session: null,
      sessionProblem: null,
      regions: { status: 'idle' },
      services: {},

      async load() {
        await readStorage().catch(() => set({ ready: true }));
        await get().loadSession();
      },

      async loadSession() {
        const outcome = await attempt(() => request(deps.send, 'session.get', {}));
        if (outcome.ok) sessionAnswered(outcome.value);
        else set({ sessionProblem: outcome.problem });
      },

      async loadRegions() {
        set({ regions: { status: 'loading' } });
        const outcome = await attempt(() => request(deps.send, 'catalog.regions', { kind: 'us' }));
        set({ regions: outcome.ok ? { status: 'ready', regions: outcome.value } : { status: 'failed', problem: outcome.problem } });
      },

      updateSettings(patch) {
        const id = nextId++;
        pending = [...pending, { id, patch }];
        set({ settings: shown() });
        const run = queue.then(async (): Promise<Outcome<Settings>> => {
          const outcome = await attempt(() => request(deps.send, 'settings.update', { patch }));
          pending = pending.filter((entry) => entry.id !== id);
          if (outcome.ok) confirmed = outcome.value;
          set({ settings: shown() });
          return outcome;
        });
        queue = run;
        return run;
      },

      async setToken(token) {
        const outcome = await attempt(() => submitToken(deps.send, deps.stageToken, token));
        if (outcome.ok) {
          sessionAnswered(outcome.value);
          // A new account may see a different state list.
          if (get().regions.status !== 'idle') void get().loadRegions();
        }
        return outcome;
      },

      async signOut() {
        const outcome = await attempt(() => request(deps.send, 'session.signOut', {}));
        if (outcome.ok) sessionAnswered(outcome.value);
        return outcome;
      },

      async setApiBaseUrl(url) {
        const outcome = await attempt(() => request(deps.send, 'dev.setApiBaseUrl', { url }));
        if (outcome.ok) {
          sessionAnswered(outcome.value);
          // Another server has its own state list.
          if (get().regions.status !== 'idle') void get().loadRegions();
        }
        return outcome;
      },

      async removeChoice(siteKey, pool) {
        const outcome = await attempt(() => request(deps.send, 'site.setChoice', { siteKey, pool, choice: null }));
        if (outcome.ok) set({ serviceChoices: withChoice(get().serviceChoices, siteKey, pool, null) });
        return outcome;
      },

      async loadServices(pool, refresh = false) {
        const current = get().services[pool];
        if (!refresh && (current?.status === 'loading' || current?.status === 'ready')) return;
        set({ services: { ...get().services, [pool]: { status: 'loading' } } });
        const outcome = await attempt(() => request(deps.send, 'catalog.services', refresh ? { pool, refresh } : { pool }));
        const list: ServiceList = outcome.ok ? { status: 'ready', services: outcome.value } : { status: 'failed', problem: outcome.problem };
        set({ services: { ...get().services, [pool]: list } });
      },

      async setChoice(siteKey, choice) {
        const outcome = await attempt(() => request(deps.send, 'site.setChoice', { siteKey, pool: choice.pool, choice }));
        if (outcome.ok) set({ serviceChoices: withChoice(get().serviceChoices, siteKey, choice.pool, choice) });
        return outcome;
      },

      async normalizeSite(text) {
        const outcome = await attempt(() => request(deps.send, 'site.normalize', { text }));
        return outcome.ok ? { ok: true, value: outcome.value.siteKey } : outcome;
      },

      exportData: () => attempt(() => request(deps.send, 'data.export', {})),

      async importData(bundle) {
        const outcome = await attempt(() => request(deps.send, 'data.import', { bundle }));
        if (!outcome.ok) return outcome;
        await readStorage().catch(() => undefined);
        return { ok: true, value: { orders: outcome.value.orders, choices: choiceRows(get().serviceChoices).length } };
      },

      async clearHistory() {
        const outcome = await attempt(() => request(deps.send, 'history.clear', {}));
        if (outcome.ok) set({ historyCount: 0 });
        return outcome;
      },

      stored(change) {
        if (change.settings) {
          confirmed = change.settings;
          set({ settings: shown() });
        }
        if (change.serviceChoices) set({ serviceChoices: change.serviceChoices });
        if (change.historyCount !== undefined) set({ historyCount: change.historyCount });
        if (change.account !== undefined) set({ account: change.account });
      },
    };
  });
}
