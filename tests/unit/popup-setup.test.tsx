// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { act } from 'preact/test-utils';
import type { SessionState } from '@/utils/messaging';
import { account, button, cleanup, click, field, Failure, flush, openTab, renderPopup, signedIn, signedOut, text, type } from './popup-harness';

afterEach(cleanup);

async function submitToken(root: HTMLElement, token: string) {
  await type(field(root, 'API token'), token);
  await click(button(root, 'Save token'));
}

describe('popup setup', () => {
  it('shows Setup when no token is stored, with a masked token field', async () => {
    const { root } = await renderPopup({ session: signedOut, cachedAccount: null });
    expect(root.textContent).toContain('Connect your Text2FA account');
    expect(field(root, 'API token').type).toBe('password');
    expect(root.querySelector('[data-testid="balance"]')).toBeNull();
  });

  it('explains a rejected token and keeps the user on Setup', async () => {
    const { root } = await renderPopup({
      session: signedOut,
      cachedAccount: null,
      handlers: {
        'session.setToken': () => {
          throw new Failure('unauthorized', 'Unauthorized');
        },
      },
    });
    await submitToken(root, 'wrong-token-123');
    expect(root.querySelector('[role="alert"]')?.textContent).toContain('did not accept this token');
    expect(field(root, 'API token').getAttribute('aria-invalid')).toBe('true');
  });

  it('hands the token over once, outside any message, and shows the balance when it is accepted', async () => {
    const { root, sent, staged } = await renderPopup({ session: signedOut, cachedAccount: null, handlers: { 'session.setToken': () => signedIn } });
    await submitToken(root, 'good-token-123');
    expect(staged).toEqual(['good-token-123']);
    expect(sent.filter((m) => m.type === 'session.setToken')).toEqual([{ type: 'session.setToken', payload: {} }]);
    expect(root.querySelector('[data-testid="balance"]')?.textContent).toBe('$12.50');
    await openTab(root, 'Account');
    expect(root.textContent).toContain('Demo User');
  });

  it('never sends the token in any message', async () => {
    const { root, sent } = await renderPopup({ session: signedOut, cachedAccount: null, handlers: { 'session.setToken': () => signedIn } });
    await submitToken(root, 'good-token-123');
    await flush();
    expect(sent.length).toBeGreaterThan(1);
    expect(JSON.stringify(sent)).not.toContain('good-token-123');
  });

  it('renders the cached balance before the background answers', async () => {
    let release: (state: SessionState) => void = () => {};
    const { root } = await renderPopup({
      handlers: { 'session.get': () => new Promise<SessionState>((resolve) => (release = resolve)) },
    });
    expect(root.querySelector('[data-testid="balance"]')?.textContent).toBe('$12.50');
    await act(async () => release(signedIn));
  });

  it('offers Retry when the background cannot be reached', async () => {
    let calls = 0;
    const { root } = await renderPopup({
      cachedAccount: null,
      handlers: {
        'session.get': () => {
          calls += 1;
          if (calls === 1) throw new Error('Receiving end does not exist.');
          return signedOut;
        },
      },
    });
    expect(root.querySelector('[role="alert"]')?.textContent).toContain('did not answer');
    await click(button(root, 'Retry'));
    expect(root.textContent).toContain('Connect your Text2FA account');
  });

  it('lets a signed-in user replace the token and cancel with Escape', async () => {
    const { root } = await renderPopup();
    await openTab(root, 'Account');
    await click(button(root, 'Replace token'));
    expect(root.textContent).toContain('Replace your API token');
    await act(async () => {
      root.querySelector('form')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    });
    expect(text(root)).toContain('Demo User');
    expect(root.textContent).not.toContain('Replace your API token');
  });

  it('refreshes a stale balance when it opens, and follows the balance in storage', async () => {
    const stale = { ...account, checkedAt: account.checkedAt - 10 * 60_000 };
    const { root, payloads, items } = await renderPopup({ session: { ...signedIn, account: stale }, cachedAccount: stale });
    expect(payloads('account.refresh')).toHaveLength(1);
    await act(async () => items.account.set({ ...account, balance: 13 }));
    expect(root.querySelector('[data-testid="balance"]')?.textContent).toBe('$13.00');
  });
});
