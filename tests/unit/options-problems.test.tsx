// @vitest-environment happy-dom
/**
 * The options page's "Problems with Text2FA answers": the redacted answers
 * as the background stored them, "Copy report" (plain text with the
 * extension's and browser's versions) and "Clear" (a request to the
 * background). Rendered whole, inside the real options page.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { OptionsPage } from '@/components/options/OptionsPage';
import { createOptionsStore } from '@/components/options/store';
import { createProblemsStore } from '@/components/options/problems-store';
import { DEFAULT_SETTINGS } from '@/utils/storage';
import { addAnswerProblem, type AnswerProblemLog } from '@/utils/text2fa/problems';
import type { Reply } from '@/utils/messaging';
import { flush } from './popup-harness';

let root: HTMLElement;
afterEach(() => {
  render(null, root);
  root.remove();
});


const AT = Date.UTC(2026, 10, 1, 10, 30);
let log: AnswerProblemLog = { entries: [], statusWords: [] };
log = addAnswerProblem(log, {
  endpoint: 'number-details-s1',
  status: 200,
  kind: 'malformed',
  detail: 'the order carries no order id',
  body: '{"data":{"number":"2055550123","code":"482913","sms":"Your code is 482913"}}',
}, AT)!;
log = addAnswerProblem(log, { endpoint: 'rental-message', status: 200, kind: 'unknown_status', detail: 'x', statusWord: 'in_use', body: '{"data":{"status":"in_use"}}' }, AT + 60_000)!;

async function renderPage(options: { entries?: typeof log.entries; clear?: () => Reply<null>; copy?: (text: string) => Promise<void> } = {}) {
  const sent: string[] = [];
  const copied: string[] = [];
  const send = async (message: unknown) => {
    const { type } = message as { type: string };
    sent.push(type);
    if (type === 'session.get') return { ok: true, data: { configured: true, account: null, problem: null, apiBaseUrl: null } };
    if (type === 'problems.clear') return options.clear?.() ?? { ok: true, data: null };
    throw new Error(`unexpected ${type}`);
  };
  const store = createOptionsStore({
    send,
    stageToken: async () => undefined,
    readSettings: async () => DEFAULT_SETTINGS,
    readServiceChoices: async () => ({}),
    readHistoryCount: async () => 0,
    readAccount: async () => null,
  });
  const problems = createProblemsStore({
    send,
    read: async () => options.entries ?? log.entries,
    copyText: options.copy ?? (async (text) => void copied.push(text)),
    extensionVersion: '1.4.2',
    browser: 'Chrome 156.0.7000.1',
    now: () => AT + 3_600_000,
  });
  root = document.createElement('div');
  document.body.append(root);
  await act(async () => {
    render(
      <OptionsPage
        store={store}
        showDeveloper={false}
        browserKind="chromium"
        commands={async () => []}
        openShortcutSettings={async () => undefined}
        saveFile={() => undefined}
        problems={{ store: problems, scrollOnMount: true }}
      />,
      root,
    );
  });
  await flush();
  const section = root.querySelector('#problems') as HTMLElement;
  const button = (name: string) => [...section.querySelectorAll('button')].find((b) => b.textContent?.trim() === name)!;
  return { sent, copied, problems, section, button };
}

describe('Problems with Text2FA answers', () => {
  it('is in the page and its navigation, listing each answer: endpoint, time, what was expected, the redacted body', async () => {
    const { section } = await renderPage();
    expect([...root.querySelectorAll('nav a')].map((a) => a.getAttribute('href'))).toContain('#problems');
    expect(section.querySelector('h2')?.textContent).toBe('Problems with Text2FA answers');
    expect(section.textContent).toContain('sent nowhere');
    const items = [...section.querySelectorAll('li.opt-problem')];
    expect(items).toHaveLength(2);
    const [newest, oldest] = items.map((li) => li.textContent ?? '');
    expect(newest).toContain('rental-message (HTTP 200)');
    expect(newest).toContain('got “in_use”');
    expect(oldest).toContain('number-details-s1 (HTTP 200)');
    expect(oldest).toContain(new Date(AT).toLocaleString());
    expect(oldest).toContain('one S1 order (order id, number, status, code, SMS); the order carries no order id');
    expect(items[1]!.querySelector('pre')?.textContent).toBe('{"data":{"number":"########23","code":"######","sms":"Your code is ######"}}');
    expect(root.textContent).not.toContain('2055550123');
    expect(root.textContent).not.toContain('482913');
  });

  it('"Copy report" copies plain text with the extension and browser versions and every answer', async () => {
    const { copied, button, section } = await renderPage();
    await act(async () => button('Copy report').click());
    await flush();
    expect(copied).toHaveLength(1);
    const report = copied[0]!;
    expect(report).toContain('Extension version: 1.4.2');
    expect(report).toContain('Browser: Chrome 156.0.7000.1');
    expect(report).toContain('Endpoint: rental-message (HTTP 200)');
    expect(report).toContain('{"data":{"number":"########23","code":"######","sms":"Your code is ######"}}');
    expect(report).not.toMatch(/2055550123|482913/);
    expect(section.querySelector('[role="status"]')?.textContent).toContain('Report copied');
  });

  it('a refused copy says how to copy by hand', async () => {
    const { button, section } = await renderPage({ copy: () => Promise.reject(new Error('denied')) });
    await act(async () => button('Copy report').click());
    await flush();
    expect(section.querySelector('[role="alert"]')?.textContent).toContain('copy them by hand');
  });

  it('"Clear" asks the background and empties the list; a refusal is shown and keeps it', async () => {
    const refused = await renderPage({ clear: () => ({ ok: false, error: { kind: 'internal', message: 'Storage is full.' } }) });
    await act(async () => refused.button('Clear').click());
    await flush();
    expect(refused.section.querySelector('[role="alert"]')?.textContent).toBe('The list could not be cleared: Storage is full.');
    expect(refused.section.querySelectorAll('li.opt-problem')).toHaveLength(2);
    render(null, root);
    root.remove();

    const { sent, button, section } = await renderPage();
    await act(async () => button('Clear').click());
    await flush();
    expect(sent).toContain('problems.clear');
    expect(section.querySelectorAll('li.opt-problem')).toHaveLength(0);
    expect(section.textContent).toContain('No problems');
  });

  it('an empty list says so and offers nothing to copy; storage changes show at once', async () => {
    const { section, problems } = await renderPage({ entries: [] });
    expect(section.textContent).toContain('No problems: every answer from Text2FA was understood.');
    expect(section.querySelectorAll('button')).toHaveLength(0);
    await act(async () => problems.getState().stored(log.entries.slice(0, 1)));
    expect(section.querySelectorAll('li.opt-problem')).toHaveLength(1);
  });
});
