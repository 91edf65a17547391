// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setupContentScript, type ActiveModule, type ContentRuntime, type ContentStats } from '../../utils/content';
import type { Envelope, FillInstructions } from '../../utils/messaging';

type Listener = Parameters<ContentRuntime['onMessage']['addListener']>[0];

const OWN_ID = 'own-extension-id';
const background = { id: OWN_ID };

/** A runtime whose background answers `content.query` with `instructions` and records every message. */
function fakeRuntime(instructions: FillInstructions | null) {
  const listeners: Listener[] = [];
  const sent: Envelope[] = [];
  const runtime: ContentRuntime = {
    id: OWN_ID,
    sendMessage: async (message) => {
      sent.push(message as Envelope);
      const type = (message as Envelope).type;
      return { ok: true, data: type === 'content.query' ? instructions : null };
    },
    onMessage: { addListener: (listener) => void listeners.push(listener) },
  };
  /** Delivers a message to the content script; returns what it answered synchronously. */
  const deliver = (message: unknown, sender: { id?: string; tab?: unknown } = background): unknown => {
    let answer: unknown;
    for (const listener of listeners) listener(message, sender, (response) => (answer = response));
    return answer;
  };
  return { runtime, listeners, sent, deliver };
}

const wake = (fill?: 'code' | 'phone') => ({ t2fa: 1, target: 'content', type: 'wake', ...(fill ? { fill } : {}) });
const codeFor = (code: string): FillInstructions => ({ code, autofillCode: true, phone: null, phoneFresh: false, retiredPhones: [], autoSubmit: false, serviceName: 'Google' });

/** Loads the real working half, counting loads. */
function realLoader() {
  const loader = { loads: 0, load: async (): Promise<ActiveModule> => (loader.loads++, import('../../utils/content/active')) };
  return loader;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
/** The first wake imports (and the test runner compiles) the working half: slow on a busy machine, so wait long. */
const IMPORT_WAIT = { timeout: 15_000 };

beforeEach(() => {
  // happy-dom has no layout: give every element the box a laid-out field would have.
  vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockReturnValue({ left: 10, top: 10, width: 160, height: 32, right: 170, bottom: 42, x: 10, y: 10, toJSON: () => ({}) } as DOMRect);
  document.body.innerHTML = '';
});
afterEach(() => vi.restoreAllMocks());

describe('the dormant content script', () => {
  it('registers one listener and does nothing else until woken', async () => {
    const { runtime, listeners, sent } = fakeRuntime(codeFor('123456'));
    const loader = realLoader();
    const stats: ContentStats[] = [];
    setupContentScript({ runtime, getDocument: () => document, loadActive: loader.load, onStats: (s) => stats.push(s) });
    document.body.innerHTML = '<input autocomplete="one-time-code">';
    await settle();
    expect(listeners).toHaveLength(1);
    expect(loader.loads).toBe(0);
    expect(sent).toEqual([]);
    expect(stats.at(-1)).toEqual({ wakes: 0, queries: 0, observers: 0, scans: 0 });
  });

  it('answers where it is only to its own background', () => {
    const { runtime, deliver } = fakeRuntime(null);
    setupContentScript({ runtime, getDocument: () => document, loadActive: realLoader().load });
    const where = { t2fa: 1, target: 'content', type: 'where' };
    expect(deliver(where)).toBe(document.location.href);
    expect(deliver(where, { id: 'another-extension' })).toBeUndefined();
    expect(deliver(where, { id: OWN_ID, tab: { id: 3 } })).toBeUndefined();
  });

  it('ignores wakes from anyone but its own background', async () => {
    const { runtime, deliver, sent } = fakeRuntime(codeFor('123456'));
    const loader = realLoader();
    setupContentScript({ runtime, getDocument: () => document, loadActive: loader.load });
    deliver(wake(), { id: 'another-extension' });
    deliver(wake(), { id: OWN_ID, tab: { id: 1 } });
    deliver({ t2fa: 1, target: 'content', type: 'fill', code: '999999' });
    await settle();
    expect(loader.loads).toBe(0);
    expect(sent).toEqual([]);
  });

  it('loads the working half once, asks what to fill, fills the code and says so', async () => {
    document.body.innerHTML = '<form><label for="otp">Verification code</label><input id="otp" autocomplete="one-time-code" maxlength="6"></form>';
    const { runtime, deliver, sent } = fakeRuntime(codeFor('482913'));
    const loader = realLoader();
    setupContentScript({ runtime, getDocument: () => document, loadActive: loader.load });
    deliver(wake());
    deliver(wake());
    await vi.waitFor(() => expect(sent.some((m) => m.type === 'content.filled')).toBe(true), IMPORT_WAIT);
    expect(loader.loads).toBe(1);
    expect((document.getElementById('otp') as HTMLInputElement).value).toBe('482913');
    expect(sent.find((m) => m.type === 'content.filled')?.payload).toEqual({ kind: 'code', value: '482913' });
  });

  it('keeps the newest answer when an older question is answered after it', async () => {
    document.body.innerHTML = '<form><label for="otp">Verification code</label><input id="otp" autocomplete="one-time-code" maxlength="6"></form>';
    const answers: ((instructions: FillInstructions) => void)[] = [];
    const listeners: Listener[] = [];
    const sent: Envelope[] = [];
    const runtime: ContentRuntime = {
      id: OWN_ID,
      sendMessage: (message) => {
        sent.push(message as Envelope);
        if ((message as Envelope).type !== 'content.query') return Promise.resolve({ ok: true, data: null });
        return new Promise((resolve) => answers.push((data) => resolve({ ok: true, data })));
      },
      onMessage: { addListener: (listener) => void listeners.push(listener) },
    };
    setupContentScript({ runtime, getDocument: () => document, loadActive: realLoader().load });
    for (let i = 0; i < 3; i++) for (const listener of listeners) listener(wake(), background, () => undefined);
    await vi.waitFor(() => expect(answers).toHaveLength(3), IMPORT_WAIT);
    const nothingYet: FillInstructions = { ...codeFor(''), code: null };
    // The first answer starts an attempt; while it runs, the third (the code) and then the second (stale) come back.
    answers[0]!(nothingYet);
    answers[2]!(codeFor('482913'));
    answers[1]!(nothingYet);
    await vi.waitFor(() => expect(sent.some((m) => m.type === 'content.filled')).toBe(true));
    expect((document.getElementById('otp') as HTMLInputElement).value).toBe('482913');
  });

  it('retries the load on the next wake when it failed, and reports the failure', async () => {
    const { runtime, deliver, sent } = fakeRuntime(null);
    const errors: unknown[] = [];
    let attempts = 0;
    setupContentScript({
      runtime,
      getDocument: () => document,
      loadActive: async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('blocked');
        return import('../../utils/content/active');
      },
      onLoadError: (error) => errors.push(error),
    });
    deliver(wake());
    await settle();
    expect(errors).toHaveLength(1);
    expect(sent).toEqual([]);
    deliver(wake());
    await vi.waitFor(() => expect(sent.map((m) => m.type)).toEqual(['content.query']), IMPORT_WAIT);
    expect(attempts).toBe(2);
  });

  it('fills a shortcut request into the focused field, even inside a shadow root', async () => {
    document.body.innerHTML = '<input id="first" type="tel"><phone-box></phone-box>';
    const host = document.querySelector('phone-box')!;
    const root = host.attachShadow({ mode: 'open' });
    root.innerHTML = '<input id="inner" type="tel">';
    (root.getElementById('inner') as HTMLInputElement).focus();
    const { runtime, deliver, sent } = fakeRuntime({ code: null, autofillCode: true, phone: '5551234567', phoneFresh: true, retiredPhones: [], autoSubmit: false, serviceName: 'Google' });
    setupContentScript({ runtime, getDocument: () => document, loadActive: realLoader().load });
    deliver(wake('phone'));
    await vi.waitFor(() => expect(sent.some((m) => m.type === 'content.filled')).toBe(true), IMPORT_WAIT);
    expect((root.getElementById('inner') as HTMLInputElement).value).not.toBe('');
    expect((document.getElementById('first') as HTMLInputElement).value).toBe('');
    expect(sent[0]?.payload).toEqual({ purpose: 'phone' });
  });
});

describe('the note for a code offered only for copying', () => {
  it('says which brand the SMS named, when the background said', async () => {
    const { copyOnlyNote } = await import('../../utils/content/active');
    const offered = { ...codeFor('551234'), autofillCode: false, serviceName: 'Other' };
    expect(copyOnlyNote({ ...offered, namedBrand: 'PayPal' }, '551234')).toBe('Other code 551234 — the SMS names PayPal: copy it where it belongs');
    expect(copyOnlyNote(offered, '551234')).toBe('Other code 551234: copy it where it belongs');
  });
});
