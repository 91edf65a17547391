// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { OptionsPage } from '@/components/options/OptionsPage';
import { applyPatch, createOptionsStore } from '@/components/options/store';
import type { ShortcutCommand } from '@/components/options/ShortcutsSection';
import type { ExportBundle, Reply, SessionState, SettingsPatch } from '@/utils/messaging';
import { typedSiteKey } from '@/utils/background/sites';
import { DEFAULT_SETTINGS, type CachedAccount, type Settings, type SiteChoices } from '@/utils/storage';
import { flush } from './popup-harness';

const account: CachedAccount = {
  accountId: 'abc',
  name: 'Demo User',
  email: 'demo@text2fa.test',
  balance: 50,
  currency: 'USD',
  checkedAt: 0,
};
const signedIn: SessionState = { configured: true, account, problem: null, apiBaseUrl: 'http://127.0.0.1:8787/api/v1' };
const signedOut: SessionState = { configured: false, account: null, problem: null, apiBaseUrl: 'http://127.0.0.1:8787/api/v1' };
const COMMANDS: ShortcutCommand[] = [
  { name: '_execute_action', description: '', shortcut: 'Alt+Shift+T' },
  { name: 'get-number', description: 'Get a number for this site', shortcut: '' },
  { name: 'fill-code', description: 'Fill the latest code', shortcut: 'Alt+Shift+F' },
];

type Handler = (payload: Record<string, unknown>) => Reply<unknown> | Promise<Reply<unknown>>;
const ok = <T,>(data: T): Reply<T> => ({ ok: true, data });
const refuse = (kind: string, message: string): Reply<never> => ({ ok: false, error: { kind, message } });

interface Options {
  handlers?: Record<string, Handler>;
  settings?: Settings;
  choices?: Record<string, SiteChoices>;
  history?: number;
  cachedAccount?: CachedAccount | null;
  showDeveloper?: boolean;
  browserKind?: 'chromium' | 'firefox';
  initialSection?: string;
}

let root: HTMLElement;
afterEach(() => {
  render(null, root);
  root.remove();
});


/** Renders the options page over fake storage and a fake background that records every message. */
async function renderPage(options: Options = {}) {
  const sent: { type: string; payload: Record<string, unknown> }[] = [];
  let settings = options.settings ?? DEFAULT_SETTINGS;
  const defaults: Record<string, Handler> = {
    'session.get': () => ok(signedIn),
    'session.setToken': () => ok(signedIn),
    'session.signOut': () => ok(signedOut),
    'dev.setApiBaseUrl': (p) => ok({ ...signedIn, apiBaseUrl: p.url }),
    'catalog.regions': () => ok([{ code: 'AL', name: 'Alabama' }, { code: 'CA', name: 'California' }]),
    'settings.update': (p) => {
      settings = applyPatch(settings, p.patch as SettingsPatch);
      return ok(settings);
    },
    'site.setChoice': () => ok(null),
    // The background's own reduction (it has the public-suffix list; the page asks it).
    'site.normalize': (p) => ok({ siteKey: typedSiteKey(String(p.text)) }),
    'catalog.services': (p) =>
      ok(
        p.pool === 's1'
          ? [
              { pool: 's1', key: 'x', name: 'X (Twitter)', price: 0.35, available: 20 },
              { pool: 's1', key: 'tw1', name: 'Twitch', price: 0.4, available: 9 },
            ]
          : [{ pool: p.pool, key: `tw-${String(p.pool)}`, name: 'Twitch', price: 0.3, available: 5 }],
      ),
    'history.clear': () => ok(null),
    'data.export': () =>
      ok<ExportBundle>({
        format: 'text2fa-extension-export',
        version: 2,
        exportedAt: '2025-01-09T10:00:00.000Z',
        settings,
        serviceChoices: options.choices ?? {},
        history: [],
      }),
    'data.import': () => ok({ orders: 2 }),
  };
  const handlers = { ...defaults, ...options.handlers };
  const staged: string[] = [];
  const store = createOptionsStore({
    stageToken: async (token) => void staged.push(token),
    send: async (message) => {
      const m = message as { type: string; payload: Record<string, unknown> };
      sent.push({ type: m.type, payload: m.payload });
      const handler = handlers[m.type];
      if (!handler) throw new Error(`unexpected ${m.type}`);
      return handler(m.payload);
    },
    readSettings: async () => settings,
    readServiceChoices: async () => options.choices ?? {},
    readHistoryCount: async () => options.history ?? 0,
    readAccount: async () => (options.cachedAccount === undefined ? account : options.cachedAccount),
  });
  const saved: { name: string; text: string }[] = [];
  const opened: string[] = [];
  root = document.createElement('div');
  document.body.append(root);
  await act(async () => {
    render(
      <OptionsPage
        store={store}
        showDeveloper={options.showDeveloper ?? true}
        browserKind={options.browserKind ?? 'chromium'}
        commands={async () => COMMANDS}
        openShortcutSettings={async () => {
          opened.push('shortcuts');
        }}
        saveFile={(name, text) => saved.push({ name, text })}
        now={() => new Date(2025, 0, 9, 12)}
        {...(options.initialSection ? { initialSection: options.initialSection } : {})}
      />,
      root,
    );
  });
  await flush();
  return { sent, staged, store, saved, opened, settings: () => settings, of: (type: string) => sent.filter((m) => m.type === type) };
}

/** The control a label names. */
function field<T extends HTMLElement = HTMLInputElement>(label: string): T {
  const found = [...root.querySelectorAll('label')].find((l) => l.textContent?.trim() === label);
  if (!found) throw new Error(`no label ${label}`);
  const control = root.querySelector(`#${CSS.escape(found.htmlFor)}`);
  if (!control) throw new Error(`label ${label} names nothing`);
  return control as T;
}

function button(name: string, within: ParentNode = root): HTMLButtonElement {
  const found = [...within.querySelectorAll('button')].find(
    (b) => b.textContent?.trim() === name || b.getAttribute('aria-label') === name,
  );
  if (!found) throw new Error(`no button ${name}`);
  return found;
}

function section(id: string): HTMLElement {
  return root.querySelector(`#${id}`) as HTMLElement;
}

function errorOf(control: HTMLElement): string | null {
  const ids = control.getAttribute('aria-describedby')?.split(' ') ?? [];
  const error = ids.map((id) => root.querySelector(`#${CSS.escape(id)}`)).find((el) => el?.classList.contains('error'));
  return error?.textContent ?? null;
}

async function typeInto(control: HTMLInputElement, value: string): Promise<void> {
  await act(async () => {
    control.value = value;
    control.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

/** Types a value and presses Enter, which saves a text field. */
async function commit(label: string, value: string): Promise<void> {
  const control = field(label);
  await typeInto(control, value);
  await act(async () => {
    control.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
  });
  await flush();
}

async function click(target: HTMLElement): Promise<void> {
  await act(async () => {
    target.click();
  });
  await flush();
}

async function toggle(label: string): Promise<void> {
  const box = field(label);
  await act(async () => {
    box.checked = !box.checked;
    box.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await flush();
}

async function choose(label: string, value: string): Promise<void> {
  const select = field<HTMLSelectElement>(label);
  await act(async () => {
    select.value = value;
    select.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await flush();
}

async function chooseFile(label: string, name: string, text: string): Promise<void> {
  const input = field(label);
  Object.defineProperty(input, 'files', { value: [new File([text], name, { type: 'application/json' })], configurable: true });
  await act(async () => {
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await flush();
}

const status = (id: string) => root.querySelector(`[data-testid="${id}-status"]`)?.textContent;

/** A valid export file's text, with `change` applied to the bundle. */
function exportText(change: Record<string, unknown> = {}): string {
  return JSON.stringify({
    format: 'text2fa-extension-export',
    version: 1,
    exportedAt: '2025-01-09T10:00:00.000Z',
    settings: DEFAULT_SETTINGS,
    serviceChoices: { 'a.com': { pool: 's1', serviceKey: 'a', serviceName: 'A' } },
    history: [],
    ...change,
  });
}

describe('options page: account', () => {
  it('names the account the token is for without ever showing the token', async () => {
    await renderPage();
    expect(root.querySelector('[data-testid="account-summary"]')?.textContent).toBe(
      'A token is set for Demo User (demo@text2fa.test). Balance: $50.00.',
    );
    expect(field('New API token').type).toBe('password');
    expect(field('New API token').value).toBe('');
  });

  it('shows the cached account while the background has not answered', async () => {
    await renderPage({ handlers: { 'session.get': () => new Promise(() => {}) } });
    expect(root.textContent).toContain('A token is set for Demo User');
  });

  it('offers to add a token when none is set', async () => {
    await renderPage({ handlers: { 'session.get': () => ok(signedOut) }, cachedAccount: null });
    expect(root.textContent).toContain('No token is set.');
    expect(button('Save token')).toBeTruthy();
    expect(() => button('Remove token…')).toThrow();
  });

  it('keeps the current token when a replacement is rejected, and says so next to the field', async () => {
    const { of, staged } = await renderPage({ handlers: { 'session.setToken': () => refuse('unauthorized', 'Unauthorized') } });
    await typeInto(field('New API token'), 'wrong-token-123');
    await click(button('Replace token'));
    expect(staged).toEqual(['wrong-token-123']);
    expect(of('session.setToken')).toEqual([{ type: 'session.setToken', payload: {} }]);
    expect(errorOf(field('New API token'))).toBe(
      'Text2FA did not accept this token. Your current token is still in use. Copy the token again from your dashboard and paste it here.',
    );
    expect(field('New API token').getAttribute('aria-invalid')).toBe('true');
    expect(root.textContent).toContain('A token is set for Demo User');
  });

  it('asks for a token before sending an empty one', async () => {
    const { of } = await renderPage();
    await click(button('Replace token'));
    expect(of('session.setToken')).toEqual([]);
    expect(errorOf(field('New API token'))).toContain('Paste your API token');
  });

  it('says what is wrong with a pasted token that can’t be one, before sending it', async () => {
    const { of, staged } = await renderPage();
    await typeInto(field('New API token'), 'x'.repeat(20_000));
    await click(button('Replace token'));
    expect(errorOf(field('New API token'))).toContain('That is 20,000 characters; an API token is at most 512.');
    await typeInto(field('New API token'), 'good token 123');
    await click(button('Replace token'));
    expect(errorOf(field('New API token'))).toContain('space or line break');
    expect(staged).toEqual([]);
    expect(of('session.setToken')).toEqual([]);
  });

  it('replaces the token, clears the field and confirms', async () => {
    const other = { ...signedIn, account: { ...account, name: 'Second Account', email: 'second@text2fa.test' } };
    await renderPage({ handlers: { 'session.setToken': () => ok(other) } });
    await typeInto(field('New API token'), 'good-token-123');
    await click(button('Replace token'));
    expect(field('New API token').value).toBe('');
    expect(root.textContent).toContain('A token is set for Second Account (second@text2fa.test)');
    expect(root.textContent).toContain('Token saved. Signed in as Second Account.');
  });

  it('explains what happens to the orders before removing the token, and can be cancelled', async () => {
    const { of } = await renderPage();
    await click(button('Remove token…'));
    const confirm = root.querySelector('#remove-token') as HTMLElement;
    expect(confirm.getAttribute('role')).toBe('group');
    expect(confirm.textContent).toContain('Remove the token for Demo User (demo@text2fa.test)?');
    expect(confirm.textContent).toContain('stay in this browser and are shown as belonging to another account');
    expect(confirm.textContent).toContain('add the same token');
    expect(document.activeElement?.textContent).toBe('Keep the token');
    await act(async () => {
      confirm.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    });
    await flush();
    expect(root.querySelector('#remove-token')).toBeNull();
    expect(document.activeElement?.id).toBe('remove-token-trigger');
    expect(of('session.signOut')).toEqual([]);

    await click(button('Remove token…'));
    await click(button('Remove token', root.querySelector('#remove-token')!));
    expect(of('session.signOut')).toHaveLength(1);
    expect(root.textContent).toContain('No token is set.');
    expect(root.textContent).toContain('Token removed.');
  });
});

describe('options page: order defaults', () => {
  it('saves the pool at once and says so', async () => {
    const { of } = await renderPage();
    await choose('Number type', 'rental');
    expect(of('settings.update').at(-1)?.payload).toEqual({ patch: { defaults: { pool: 'rental' } } });
    expect(status('defaults')).toBe('Saved');
  });

  it('offers the states as a list when the catalogue answers', async () => {
    const { of } = await renderPage();
    const select = field<HTMLSelectElement>('S1 state');
    expect(select.tagName).toBe('SELECT');
    expect([...select.options].map((o) => o.textContent)).toEqual(['Any state', 'Alabama (AL)', 'California (CA)']);
    await choose('S1 state', 'CA');
    expect(of('settings.update').at(-1)?.payload).toEqual({ patch: { defaults: { state: 'CA' } } });
    await choose('S1 state', '');
    expect(of('settings.update').at(-1)?.payload).toEqual({ patch: { defaults: { state: null } } });
  });

  it('falls back to a validated text field when the states cannot be loaded', async () => {
    const { of } = await renderPage({ handlers: { 'catalog.regions': () => refuse('network', 'Text2FA could not be reached.') } });
    const input = field('S1 state');
    expect(input.tagName).toBe('INPUT');
    expect(root.querySelector('#default-state-hint')?.textContent).toContain('could not be loaded (Text2FA could not be reached.)');
    await commit('S1 state', 'Cal');
    expect(errorOf(input)).toContain('two-letter US state code');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(of('settings.update')).toEqual([]);
    expect(status('defaults')).toBe('Not saved: see the message below the field');
    await commit('S1 state', 'ca');
    expect(of('settings.update').at(-1)?.payload).toEqual({ patch: { defaults: { state: 'CA' } } });
    expect(input.value).toBe('CA');
    expect(errorOf(input)).toBeNull();
  });

  it('types the state without a token, and does not ask for the list', async () => {
    const { of } = await renderPage({ handlers: { 'session.get': () => ok(signedOut) }, cachedAccount: null });
    expect(field('S1 state').tagName).toBe('INPUT');
    expect(root.querySelector('#default-state-hint')?.textContent).toContain('Add your API token to pick from a list.');
    expect(of('catalog.regions')).toEqual([]);
  });

  it('checks the premium, area codes and rental days before saving them', async () => {
    const { of } = await renderPage();
    await commit('S2 area codes', '212, 21');
    expect(errorOf(field('S2 area codes'))).toContain('“21” is not a US area code');
    await commit('S2 area codes', '212, 100');
    expect(errorOf(field('S2 area codes'))).toContain('“100” is not a US area code');
    await commit('S2 area codes', Array.from({ length: 11 }, (_, i) => String(200 + i)).join(', '));
    expect(errorOf(field('S2 area codes'))).toContain('That is 11 area codes');
    await commit('S1 premium bid', '60');
    expect(errorOf(field('S1 premium bid'))).toContain('from $0.00 to $50.00');
    await commit('Rental days', '0');
    expect(errorOf(field('Rental days'))).toContain('from 1 to 365');
    expect(of('settings.update')).toEqual([]);

    await commit('S2 area codes', '212 646, 212');
    await commit('S1 premium bid', '0.25');
    await commit('Rental days', '30');
    expect(of('settings.update').map((m) => m.payload)).toEqual([
      { patch: { defaults: { areas: ['212', '646'] } } },
      { patch: { defaults: { premium: 0.25 } } },
      { patch: { defaults: { rentalDays: 30 } } },
    ]);
    expect(field('S2 area codes').value).toBe('212, 646');
    expect(errorOf(field('Rental days'))).toBeNull();
  });

  it('does not send a value that did not change', async () => {
    const { of } = await renderPage();
    await commit('Rental days', '7');
    expect(of('settings.update')).toEqual([]);
  });

  it('drops "Not saved" once the refused value is corrected, even when the corrected value was already stored', async () => {
    const { of } = await renderPage();
    await commit('Rental days', '0');
    expect(status('defaults')).toBe('Not saved: see the message below the field');
    await commit('Rental days', '7');
    expect(errorOf(field('Rental days'))).toBeNull();
    expect(status('defaults')).not.toContain('Not saved');
    expect(of('settings.update')).toEqual([]);

    // With another field still refused, the notice stays: it points at that field's message.
    await commit('Rental days', '0');
    await commit('S2 area codes', '21');
    await commit('Rental days', '14');
    expect(status('defaults')).toBe('Not saved: see the message below the field');
    expect(errorOf(field('S2 area codes'))).toContain('“21” is not a US area code');
    await commit('S2 area codes', '212');
    expect(status('defaults')).toBe('Saved');
  });

  it('shows the background refusing a save next to the field', async () => {
    await renderPage({ handlers: { 'settings.update': () => refuse('bad_message', '"settings.update" arrived with an invalid payload.') } });
    await commit('Rental days', '12');
    expect(errorOf(field('Rental days'))).toBe('"settings.update" arrived with an invalid payload.');
  });
});

describe('options page: filling pages', () => {
  it('switches automatic filling and the phone number', async () => {
    const { of } = await renderPage();
    await toggle('Fill codes automatically');
    await toggle('Fill the phone number after buying');
    expect(of('settings.update').map((m) => m.payload)).toEqual([{ patch: { autofill: false } }, { patch: { fillPhone: false } }]);
    expect(field('Fill codes automatically').checked).toBe(false);
    expect(status('autofill')).toBe('Saved');
  });

  it('lists no auto-submit site by default; adds one as its site key and removes it', async () => {
    const { of } = await renderPage();
    expect(section('autofill').textContent).toContain('No sites: forms are never submitted for you.');
    await typeInto(field('Add a site'), 'https://www.example.com/login');
    await click(button('Add'));
    expect(of('site.normalize').map((m) => m.payload)).toEqual([{ text: 'https://www.example.com/login' }]);
    expect(of('settings.update').at(-1)?.payload).toEqual({ patch: { autoSubmitSites: ['example.com'] } });
    expect(field('Add a site').value).toBe('');
    await click(button('Remove example.com from auto-submit'));
    expect(of('settings.update').at(-1)?.payload).toEqual({ patch: { autoSubmitSites: [] } });
  });

  it('keeps the next site the user types while the one added is being saved', async () => {
    let release = () => undefined as void;
    const saving = new Promise<void>((resolve) => (release = resolve));
    await renderPage({
      handlers: {
        'settings.update': async (p) => {
          await saving;
          return ok(applyPatch(DEFAULT_SETTINGS, p.patch as SettingsPatch));
        },
      },
    });
    await typeInto(field('Add a site'), 'example.com');
    await click(button('Add'));
    await typeInto(field('Add a site'), 'shop.example');
    await act(async () => {
      release();
      await new Promise((resolve) => setTimeout(resolve, 20));
    });
    expect(section('autofill').textContent).toContain('example.com');
    expect(field('Add a site').value).toBe('shop.example');
  });

  it('explains a site it cannot read', async () => {
    const { of } = await renderPage();
    await typeInto(field('Add a site'), 'not a site');
    await click(button('Add'));
    expect(errorOf(field('Add a site'))).toContain('is not a web site');
    expect(of('settings.update')).toEqual([]);
  });
});

describe('options page: orders and spending', () => {
  it('opened at a section (the popup’s spending-limit link), shows and focuses it once rendered', async () => {
    await renderPage({ initialSection: 'orders' });
    expect(document.activeElement?.id).toBe('orders-title');
  });

  it('turns automatic reject on with a starting value, checks the minutes, and off again', async () => {
    const { of } = await renderPage();
    expect(root.querySelector('#auto-reject-minutes')).toBeNull();
    await toggle('Reject numbers that get no SMS');
    expect(of('settings.update').at(-1)?.payload).toEqual({ patch: { autoRejectMinutes: 15 } });
    await commit('Reject after', '2000');
    expect(errorOf(field('Reject after'))).toContain('from 1 to 1440');
    await commit('Reject after', '45');
    expect(of('settings.update').at(-1)?.payload).toEqual({ patch: { autoRejectMinutes: 45 } });
    await toggle('Reject numbers that get no SMS');
    expect(of('settings.update').at(-1)?.payload).toEqual({ patch: { autoRejectMinutes: null } });
    // Back on: the last number chosen, not the starting one.
    await toggle('Reject numbers that get no SMS');
    expect(of('settings.update').at(-1)?.payload).toEqual({ patch: { autoRejectMinutes: 45 } });
  });

  it('sets a spending limit in the account currency', async () => {
    const { of } = await renderPage({ settings: { ...DEFAULT_SETTINGS, spendingLimit24h: 10 } });
    expect(field('Most to spend in any 24 hours').value).toBe('10');
    expect(section('orders').textContent).toContain('USD');
    await commit('Most to spend in any 24 hours', 'ten');
    expect(errorOf(field('Most to spend in any 24 hours'))).toContain('from 0 to 100000');
    await commit('Most to spend in any 24 hours', '25.5');
    expect(of('settings.update').at(-1)?.payload).toEqual({ patch: { spendingLimit24h: 25.5 } });
  });

  it('switches confirmations and notifications, and caps the checking requests', async () => {
    const { of } = await renderPage();
    await toggle('Ask before buying from a shortcut or the context menu');
    await toggle('Show notifications');
    expect(field('Most checking requests per minute').value).toBe('60');
    await commit('Most checking requests per minute', '601');
    expect(errorOf(field('Most checking requests per minute'))).toContain('from 1 to 600');
    await commit('Most checking requests per minute', '30');
    expect(of('settings.update').map((m) => m.payload)).toEqual([
      { patch: { confirmBeforeBuying: false } },
      { patch: { notifications: false } },
      { patch: { maxRequestsPerMinute: 30 } },
    ]);
  });
});

describe('options page: services per site', () => {
  const choices: Record<string, SiteChoices> = {
    'example.com': { s2: { pool: 's2', serviceKey: 'ex', serviceName: 'Example' } },
    'x.com': { s1: { pool: 's1', serviceKey: 'x', serviceName: 'X (Twitter)' } },
  };
  const rowCells = () =>
    [...section('choices').querySelectorAll('tbody tr:not(.opt-detail-row)')].map((r) => [...r.children].slice(0, 3).map((c) => c.textContent));

  it('lists each site with its service and type, and removes one', async () => {
    const { of } = await renderPage({ choices });
    expect(rowCells()).toEqual([
      ['example.com', 'Example', 'S2'],
      ['x.com', 'X (Twitter)', 'S1'],
    ]);
    await click(button('Remove the S2 choice for example.com'));
    expect(of('site.setChoice')).toEqual([{ type: 'site.setChoice', payload: { siteKey: 'example.com', pool: 's2', choice: null } }]);
    expect(section('choices').textContent).not.toContain('example.com');
    expect(document.activeElement?.id).toBe('choice-remove-x.com-s1');
  });

  it('shows a row per kind for a site with several, and removes one kind only (issue 18)', async () => {
    const { of } = await renderPage({
      choices: {
        'x.com': {
          s1: { pool: 's1', serviceKey: 'x', serviceName: 'X (Twitter)' },
          rental: { pool: 'rental', serviceKey: 'xr', serviceName: 'X rental' },
        },
      },
    });
    expect(rowCells()).toEqual([
      ['x.com', 'X (Twitter)', 'S1'],
      ['x.com', 'X rental', 'Rental'],
    ]);
    await click(button('Remove the Rental choice for x.com'));
    expect(of('site.setChoice').map((m) => m.payload)).toEqual([{ siteKey: 'x.com', pool: 'rental', choice: null }]);
    expect(rowCells()).toEqual([['x.com', 'X (Twitter)', 'S1']]);
    expect(document.activeElement?.id).toBe('choice-remove-x.com-s1');
  });

  it('changes a site’s service right here, with the popup’s picker over the catalog', async () => {
    const { of } = await renderPage({ choices });
    const change = button('Change the S1 service for x.com');
    await click(change);
    expect(change.getAttribute('aria-expanded')).toBe('true');
    const picker = root.querySelector('[role="dialog"]') as HTMLElement;
    expect(picker.textContent).toContain('Service for x.com');
    expect(picker.getAttribute('aria-modal')).toBeNull();
    expect(of('catalog.services').map((m) => m.payload)).toEqual([{ pool: 's1' }]);
    const search = picker.querySelector('input') as HTMLInputElement;
    expect(document.activeElement).toBe(search);
    await typeInto(search, 'twi');
    await act(async () => {
      search.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    });
    await flush();
    expect(of('site.setChoice').map((m) => m.payload)).toEqual([
      { siteKey: 'x.com', pool: 's1', choice: { pool: 's1', serviceKey: 'tw1', serviceName: 'Twitch' } },
    ]);
    expect(root.querySelector('[role="dialog"]')).toBeNull();
    expect(section('choices').textContent).toContain('Twitch');
    expect(document.activeElement).toBe(button('Change the S1 service for x.com'));

    // Another number type: its own list, and a pick there is that kind's, beside the S2 one.
    await click(button('Change the S2 service for example.com'));
    expect(field<HTMLSelectElement>('Number type for example.com').value).toBe('s2');
    await choose('Number type for example.com', 'rental');
    expect(of('catalog.services').map((m) => m.payload)).toContainEqual({ pool: 'rental' });
    await click(root.querySelector<HTMLElement>('[role="dialog"] [role="option"]')!);
    expect(of('site.setChoice').at(-1)?.payload).toEqual({
      siteKey: 'example.com',
      pool: 'rental',
      choice: { pool: 'rental', serviceKey: 'tw-rental', serviceName: 'Twitch' },
    });
    expect(rowCells().slice(0, 2)).toEqual([
      ['example.com', 'Example', 'S2'],
      ['example.com', 'Twitch', 'Rental'],
    ]);
    expect(document.activeElement).toBe(button('Change the Rental service for example.com'));
  });

  it('says when there are none', async () => {
    await renderPage();
    expect(section('choices').textContent).toContain('No sites yet.');
  });
});

describe('options page: data', () => {
  it('exports settings, choices and history as a dated JSON file without the token', async () => {
    const { saved } = await renderPage({ choices: { 'a.com': { s1: { pool: 's1', serviceKey: 'a', serviceName: 'A' } } } });
    await click(button('Export to a file'));
    expect(saved).toHaveLength(1);
    expect(saved[0]!.name).toBe('text2fa-export-2025-01-09.json');
    const bundle = JSON.parse(saved[0]!.text) as ExportBundle;
    expect(bundle.format).toBe('text2fa-extension-export');
    expect(Object.keys(bundle)).not.toContain('token');
    expect(section('data').textContent).toContain('Exported to text2fa-export-2025-01-09.json');
  });

  it('heads the import with its label alone, not an "Import" heading above "Import from a file" (issue 18)', async () => {
    await renderPage();
    const headings = [...section('data').querySelectorAll('h3')].map((h) => h.textContent);
    expect(headings).not.toContain('Import');
    expect(field('Import from a file').id).toBe('import-file');
  });

  it('imports a file after confirming and says how many history orders came in', async () => {
    const { of } = await renderPage();
    await chooseFile('Import from a file', 'backup.json', exportText());
    expect(of('data.import')).toEqual([]);
    expect(root.querySelector('#confirm-import')?.textContent).toContain('with those in backup.json?');
    expect(root.querySelector('#confirm-import')?.textContent).toContain('It holds 1 site choice and 0 history orders.');
    await click(button('Replace with this file'));
    expect(of('data.import')).toEqual([{ type: 'data.import', payload: { bundle: JSON.parse(exportText()) } }]);
    expect(section('data').textContent).toContain('Imported settings, 0 site choices and 2 history orders from backup.json.');
  });

  it('checks the whole file before asking, and names the setting that is wrong', async () => {
    const { of } = await renderPage();
    await chooseFile('Import from a file', 'backup.json', exportText({ settings: { ...DEFAULT_SETTINGS, defaults: { ...DEFAULT_SETTINGS.defaults, rentalDays: 0 } } }));
    expect(root.querySelector('#confirm-import')).toBeNull();
    expect(errorOf(field('Import from a file'))).toBe('The setting "Rental days" in this file is not valid: 0. Nothing was changed.');
    await chooseFile('Import from a file', 'old.json', exportText({ history: [{ id: 'x' }] }));
    expect(errorOf(field('Import from a file'))).toBe(
      'Order 1 of the history in this file is not valid: its "accountId" is missing or wrong. Nothing was changed.',
    );
    expect(of('data.import')).toEqual([]);
  });

  it('forgets the last file’s confirmation and error when another file is chosen', async () => {
    await renderPage();
    await chooseFile('Import from a file', 'good.json', exportText());
    expect(root.querySelector('#confirm-import')).not.toBeNull();
    await chooseFile('Import from a file', 'bad.json', exportText({ version: 3 }));
    expect(root.querySelector('#confirm-import')).toBeNull();
    expect(errorOf(field('Import from a file'))).toContain('version 3');
    await chooseFile('Import from a file', 'good.json', exportText());
    expect(errorOf(field('Import from a file'))).toBeNull();
    expect(root.querySelector('#confirm-import')?.textContent).toContain('good.json');
  });

  it('refuses a large file by its size, without reading it', async () => {
    const { of } = await renderPage();
    const input = field('Import from a file');
    const huge = new File(['{}'], 'junk.json', { type: 'application/json' });
    Object.defineProperty(huge, 'size', { value: 20 * 1024 * 1024 + 1 });
    let read = false;
    huge.text = async () => {
      read = true;
      return '{}';
    };
    Object.defineProperty(input, 'files', { value: [huge], configurable: true });
    await act(async () => {
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await flush();
    expect(read).toBe(false);
    expect(errorOf(input)).toBe('junk.json is 20 MB; exports are far smaller, so files over 10 MB are not read. Nothing was changed.');
    expect(root.querySelector('#confirm-import')).toBeNull();
    expect(of('data.import')).toEqual([]);
  });

  it("shows the background's reason when it refuses an import", async () => {
    await renderPage({
      handlers: { 'data.import': () => refuse('bad_import', 'Order 2 of the history in this file is not valid.') },
    });
    await chooseFile('Import from a file', 'backup.json', exportText());
    await click(button('Replace with this file'));
    expect(errorOf(field('Import from a file'))).toBe('Order 2 of the history in this file is not valid. Nothing was changed.');
    expect(section('data').textContent).not.toContain('Imported');
  });

  it('says what to check when the background gives no reason', async () => {
    await renderPage({ handlers: { 'data.import': () => refuse('internal', 'Something went wrong inside the extension.') } });
    await chooseFile('Import from a file', 'backup.json', exportText());
    await click(button('Replace with this file'));
    expect(errorOf(field('Import from a file'))).toContain('Check that it is a file made by Export');
  });

  it('refuses a file that is not JSON without sending it, and the import can be cancelled', async () => {
    const { of } = await renderPage();
    await chooseFile('Import from a file', 'notes.txt', 'hello');
    expect(errorOf(field('Import from a file'))).toBe(
      'This file is not a Text2FA extension export: it is not a JSON file. Nothing was changed.',
    );
    await chooseFile('Import from a file', 'backup.json', exportText());
    await click(button('Cancel', root.querySelector('#confirm-import')!));
    expect(root.querySelector('#confirm-import')).toBeNull();
    expect(of('data.import')).toEqual([]);
  });

  it('clears the history only after confirming', async () => {
    const { of } = await renderPage({ history: 3 });
    expect(root.querySelector('#history-count')?.textContent).toBe('3 finished orders are kept in the history.');
    await click(button('Clear history…'));
    expect(root.querySelector('#confirm-clear')?.textContent).toContain('Delete 3 finished orders from the history?');
    await click(button('Keep the history'));
    expect(of('history.clear')).toEqual([]);
    await click(button('Clear history…'));
    await click(button('Clear history'));
    expect(of('history.clear')).toHaveLength(1);
    expect(root.querySelector('#history-count')?.textContent).toBe('The history is empty.');
    expect(() => button('Clear history…')).toThrow();
  });
});

describe('options page: shortcuts', () => {
  it('lists each command with its shortcut or "not set", and opens the browser settings', async () => {
    const { opened } = await renderPage();
    const rows = [...root.querySelectorAll('[data-testid="shortcuts"] tbody tr')].map((r) =>
      [...r.children].map((c) => c.textContent),
    );
    expect(rows).toEqual([
      ['Open Text2FA', '_execute_action', 'Alt+Shift+T'],
      ['Get a number for this site', 'get-number', 'not set'],
      ['Fill the latest code', 'fill-code', 'Alt+Shift+F'],
    ]);
    await click(button('Change shortcuts'));
    expect(opened).toEqual(['shortcuts']);
  });

  it('tells Firefox users where shortcuts are changed', async () => {
    await renderPage({ browserKind: 'firefox' });
    expect(section('shortcuts').textContent).toContain('open about:addons, click the gear button, then choose Manage Extension Shortcuts');
    expect(() => button('Change shortcuts')).toThrow();
  });
});

describe('options page: developer', () => {
  it('is hidden in production builds', async () => {
    await renderPage({ showDeveloper: false });
    expect(root.querySelector('#developer')).toBeNull();
    expect(root.querySelector('#api-base-url')).toBeNull();
    expect(root.querySelector('a[href="#developer"]')).toBeNull();
  });

  it("sets the API base URL and shows the background's refusal", async () => {
    const { of } = await renderPage({
      handlers: {
        'dev.setApiBaseUrl': (p) =>
          String(p.url).startsWith('http://127.0.0.1')
            ? ok({ ...signedIn, apiBaseUrl: p.url })
            : refuse('bad_api_url', 'This build only talks to the Text2FA API or a simulator on http://127.0.0.1.'),
      },
    });
    expect(field('API base URL').value).toBe('http://127.0.0.1:8787/api/v1');
    await typeInto(field('API base URL'), 'https://evil.example/api');
    await click(button('Use this URL'));
    expect(errorOf(field('API base URL'))).toBe('This build only talks to the Text2FA API or a simulator on http://127.0.0.1.');
    await typeInto(field('API base URL'), 'http://127.0.0.1:9999/api/v1');
    await click(button('Use this URL'));
    expect(of('dev.setApiBaseUrl').map((m) => m.payload.url)).toEqual(['https://evil.example/api', 'http://127.0.0.1:9999/api/v1']);
    expect(errorOf(field('API base URL'))).toBeNull();
    expect(status('developer')).toBe('Saved');
  });
});

describe('options page: structure', () => {
  it('labels every control and links every section from the top', async () => {
    await renderPage({ settings: { ...DEFAULT_SETTINGS, autoRejectMinutes: 10, spendingLimit24h: 5 } });
    const controls = [...root.querySelectorAll('input, select')];
    for (const control of controls) {
      const label = root.querySelector(`label[for="${CSS.escape(control.id)}"]`);
      expect(label?.textContent?.trim(), control.outerHTML).toBeTruthy();
    }
    const links = [...root.querySelectorAll('nav a')].map((a) => a.getAttribute('href')!.slice(1));
    for (const id of links) expect(root.querySelector(`section#${id}`), id).not.toBeNull();
    const ids = [...root.querySelectorAll('[id]')].map((el) => el.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
