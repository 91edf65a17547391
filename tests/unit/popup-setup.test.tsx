// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { App } from '@/components/App';
import { createSessionStore } from '@/components/stores/session';
import type { Reply, SessionState } from '@/utils/messaging';
import type { CachedAccount } from '@/utils/storage';

const account: CachedAccount = {
  accountId: 'abc',
  name: 'Demo User',
  email: 'demo@example.com',
  balance: 12.5,
  currency: 'USD',
  checkedAt: Date.now(),
};
const signedOut: SessionState = { configured: false, account: null, problem: null, apiBaseUrl: null };
const signedIn: SessionState = { configured: true, account, problem: null, apiBaseUrl: null };

let root: HTMLElement;
afterEach(() => {
  render(null, root);
  root.remove();
});

/** Renders the popup with a fake background answering by message type. */
async function renderPopup(
  answer: (type: string, payload: Record<string, unknown>) => Reply<SessionState> | Promise<Reply<SessionState>>,
  cached: CachedAccount | null = null,
) {
  const sent: { type: string; payload: Record<string, unknown> }[] = [];
  const store = createSessionStore({
    send: async (message) => {
      const m = message as { type: string; payload: Record<string, unknown> };
      sent.push(m);
      return answer(m.type, m.payload);
    },
    readCachedAccount: async () => cached,
  });
  root = document.createElement('div');
  document.body.append(root);
  await act(async () => {
    render(<App store={store} />, root);
  });
  await act(async () => {
    await new Promise((r) => setTimeout(r, 0));
  });
  return { sent, store };
}

function input(label: string): HTMLInputElement {
  const forId = [...root.querySelectorAll('label')].find((l) => l.textContent === label)?.getAttribute('for');
  return root.querySelector(`#${forId}`) as HTMLInputElement;
}

function button(name: string): HTMLButtonElement {
  const found = [...root.querySelectorAll('button')].find((b) => b.textContent?.trim() === name);
  if (!found) throw new Error(`no button ${name}`);
  return found;
}

async function submitToken(token: string) {
  await act(async () => {
    const field = input('API token');
    field.value = token;
    field.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await act(async () => {
    button('Save token').click();
    await new Promise((r) => setTimeout(r, 0));
  });
}

describe('popup setup', () => {
  it('shows Setup when no token is stored, with a masked token field', async () => {
    await renderPopup(() => ({ ok: true, data: signedOut }));
    expect(root.textContent).toContain('Connect your Text2FA account');
    expect(input('API token').type).toBe('password');
    expect(root.querySelector('[data-testid="balance"]')).toBeNull();
  });

  it('explains a rejected token and keeps the user on Setup', async () => {
    await renderPopup((type) =>
      type === 'session.setToken'
        ? { ok: false, error: { kind: 'unauthorized', message: 'Unauthorized' } }
        : { ok: true, data: signedOut },
    );
    await submitToken('wrong-token-123');
    expect(root.querySelector('[role="alert"]')?.textContent).toContain('did not accept this token');
    expect(input('API token').getAttribute('aria-invalid')).toBe('true');
  });

  it('sends the token once and shows the balance when it is accepted', async () => {
    const { sent } = await renderPopup((type) => ({ ok: true, data: type === 'session.setToken' ? signedIn : signedOut }));
    await submitToken('good-token-123');
    expect(sent.filter((m) => m.type === 'session.setToken')).toEqual([
      { t2fa: 1, type: 'session.setToken', payload: { token: 'good-token-123' } },
    ]);
    expect(root.querySelector('[data-testid="balance"]')?.textContent).toBe('$12.50');
    expect(root.textContent).toContain('Demo User');
  });

  it('renders the cached balance before the background answers', async () => {
    let release: (reply: Reply<SessionState>) => void = () => {};
    await renderPopup(() => new Promise((resolve) => (release = resolve)), account);
    expect(root.querySelector('[data-testid="balance"]')?.textContent).toBe('$12.50');
    await act(async () => release({ ok: true, data: signedIn }));
  });

  it('offers Retry when the background cannot be reached', async () => {
    let calls = 0;
    await renderPopup(() => {
      calls += 1;
      if (calls === 1) throw new Error('Receiving end does not exist.');
      return { ok: true, data: signedOut };
    });
    expect(root.querySelector('[role="alert"]')?.textContent).toContain('did not answer');
    await act(async () => {
      button('Retry').click();
      await new Promise((r) => setTimeout(r, 0));
    });
    expect(root.textContent).toContain('Connect your Text2FA account');
  });

  it('lets a signed-in user replace the token and cancel with Escape', async () => {
    await renderPopup(() => ({ ok: true, data: signedIn }));
    await act(async () => button('Replace token').click());
    expect(root.textContent).toContain('Replace your API token');
    await act(async () => {
      root.querySelector('form')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    });
    expect(root.textContent).toContain('Account');
    expect(root.textContent).not.toContain('Replace your API token');
  });
});
