import { describe, expect, it } from 'vitest';
import { envelope, isExtensionPage, isOwnContentScript, MessageError, request, type Reply, type SessionState } from '@/utils/messaging';
import { createMessageRouter, type Handlers } from '@/utils/message-rules';

const self = { id: 'ourid', origin: 'chrome-extension://ourid/' };
const popup = { id: 'ourid', url: 'chrome-extension://ourid/popup.html' };
const popupInTab = { id: 'ourid', url: 'chrome-extension://ourid/popup.html', tab: { id: 4 } };
const contentScript = { id: 'ourid', url: 'https://example.com/signup', tab: { id: 7 }, frameId: 0 };
const otherExtension = { id: 'evil', url: 'chrome-extension://evil/page.html' };
const spoofedUrl = { id: 'evil', url: 'chrome-extension://ourid/popup.html' };

const session: SessionState = { configured: true, account: null, problem: null, apiBaseUrl: null };

const unexpected = async (): Promise<never> => {
  throw new Error('this test does not route order messages');
};

function makeRouter(calls: string[] = []) {
  const known: Partial<Handlers> = {
    'session.get': async () => (calls.push('get'), session),
    'session.setToken': async () => (calls.push('set'), session),
    'session.signOut': async () => (calls.push('signOut'), session),
    'account.refresh': async () => {
      throw new Error('secret detail that must not leak');
    },
    'dev.setApiBaseUrl': async () => session,
  };
  // Every other message type answers with a failure this test would notice.
  const handlers = new Proxy(known, { get: (target, key: string) => target[key as keyof Handlers] ?? unexpected }) as Handlers;

  return createMessageRouter({
    self,
    handlers,
    describeError: () => ({ kind: 'internal', message: 'Something went wrong.' }),
  });
}

describe('sender checks', () => {
  it('accepts extension pages, in the popup or a tab', () => {
    expect(isExtensionPage(popup, self)).toBe(true);
    expect(isExtensionPage(popupInTab, self)).toBe(true);
  });

  it('refuses content scripts, other extensions and a spoofed URL', () => {
    expect(isExtensionPage(contentScript, self)).toBe(false);
    expect(isExtensionPage(otherExtension, self)).toBe(false);
    expect(isExtensionPage(spoofedUrl, self)).toBe(false);
    expect(isExtensionPage({ id: 'ourid' }, self)).toBe(false);
  });

  it('recognises our own content scripts only in web pages', () => {
    expect(isOwnContentScript(contentScript, self)).toBe(true);
    expect(isOwnContentScript(popupInTab, self)).toBe(false);
    expect(isOwnContentScript({ ...contentScript, id: 'evil' }, self)).toBe(false);
  });
});

describe('router', () => {
  it('routes a valid page message to its handler', async () => {
    const calls: string[] = [];
    const reply = await makeRouter(calls)(envelope('session.setToken', {}), popup);
    expect(reply).toEqual({ ok: true, data: session });
    expect(calls).toEqual(['set']);
  });

  it('refuses a page-only message from a content script without calling the handler', async () => {
    const calls: string[] = [];
    const reply = await makeRouter(calls)(envelope('session.setToken', {}), contentScript);
    expect(reply).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(calls).toEqual([]);
  });

  it('refuses malformed payloads', async () => {
    const route = makeRouter();
    // A token inside the message is refused too: it is handed over through session storage only.
    for (const payload of [{ token: 'abc12345' }, { token: 5 }, null, 'x']) {
      const reply = await route({ t2fa: 1, type: 'session.setToken', payload }, popup);
      expect(reply).toMatchObject({ ok: false, error: { kind: 'bad_message' } });
    }
    for (const payload of [{}, { intentId: 'i', pool: 'moon' }, { id: 5 }]) {
      const reply = await route({ t2fa: 1, type: 'orders.buy', payload }, popup);
      expect(reply).toMatchObject({ ok: false, error: { kind: 'bad_message' } });
    }
    expect(await route({ t2fa: 1, type: 'session.get', payload: { sneaky: true } }, popup)).toMatchObject({
      ok: false,
      error: { kind: 'bad_message' },
    });
  });

  it('ignores messages that are not ours, so other listeners still get them', () => {
    const route = makeRouter();
    expect(route({ type: 'session.get', payload: {} }, popup)).toBeUndefined();
    expect(route({ t2fa: 1, type: 'no.such.type', payload: {} }, popup)).toBeUndefined();
    expect(route('hello', popup)).toBeUndefined();
    expect(route({ t2fa: 1, type: 'toString', payload: {} }, popup)).toBeUndefined();
  });

  it('turns a handler failure into the described error, not the raw one', async () => {
    const reply = (await makeRouter()(envelope('account.refresh', {}), popup)) as Reply<unknown>;
    expect(reply).toEqual({ ok: false, error: { kind: 'internal', message: 'Something went wrong.' } });
    expect(JSON.stringify(reply)).not.toContain('secret detail');
  });
});

describe('request', () => {
  it('returns the data of a successful reply', async () => {
    const sent: unknown[] = [];
    const data = await request(async (m) => (sent.push(m), { ok: true, data: session }), 'session.get', {});
    expect(data).toEqual(session);
    expect(sent).toEqual([{ t2fa: 1, type: 'session.get', payload: {} }]);
  });

  it('throws a MessageError carrying the kind, wait and field messages', async () => {
    const failing = async () => ({
      ok: false,
      error: { kind: 'rate_limited', message: 'Slow down.', retryAfterMs: 3000, fieldErrors: { a: ['b'] } },
    });
    const error = await request(failing, 'session.get', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MessageError);
    expect(error).toMatchObject({ kind: 'rate_limited', message: 'Slow down.', retryAfterMs: 3000, fieldErrors: { a: ['b'] } });
  });

  it('explains a background that does not answer', async () => {
    await expect(request(async () => undefined, 'session.get', {})).rejects.toMatchObject({ kind: 'extension' });
    await expect(
      request(async () => {
        throw new Error('Could not establish connection. Receiving end does not exist.');
      }, 'session.get', {}),
    ).rejects.toThrow(/did not answer/);
  });
});
