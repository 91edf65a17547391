// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { act } from 'preact/test-utils';
import { cleanup, flush, renderPopup } from './popup-harness';
import { browserFamily, isPinned } from '@/utils/platform';

afterEach(cleanup);

const hint = (root: HTMLElement) => root.querySelector('[data-testid="pin-hint"]');

describe('the first-run hint on pinning the toolbar button', () => {
  it('says how to pin the button while it is not pinned, until the user has read it', async () => {
    const popup = await renderPopup({ pinned: false });
    expect(hint(popup.root)?.textContent).toContain('click the puzzle piece beside the address bar, then the pin next to Text2FA');
    await act(async () => {
      (hint(popup.root)!.querySelector('button') as HTMLButtonElement).click();
    });
    await flush();
    expect(hint(popup.root)).toBeNull();
    expect(popup.payloads('ui.dismissPinHint')).toEqual([{}]);
    // Read once is read: the next popup does not show it.
    const next = await renderPopup({ pinned: false, pinHintDismissed: true });
    expect(hint(next.root)).toBeNull();
  });

  it('is not shown while the button is pinned, and shown where the browser cannot say', async () => {
    expect(hint((await renderPopup({ pinned: true })).root)).toBeNull();
    expect(hint((await renderPopup({ pinned: null })).root)).not.toBeNull();
  });

  it('is not shown before the account is set up', async () => {
    const popup = await renderPopup({ pinned: false, session: { configured: false, account: null, problem: null, apiBaseUrl: null } });
    expect(hint(popup.root)).toBeNull();
  });
});

describe('what the platform module reads', () => {
  it('tells Firefox from Chromium by runtime.getBrowserInfo', () => {
    expect(browserFamily({ runtime: { getBrowserInfo: async () => ({}) } })).toBe('firefox');
    expect(browserFamily({ runtime: {} })).toBe('chromium');
  });

  it('reads isOnToolbar where the browser offers it, and says null otherwise', async () => {
    expect(await isPinned({ action: { getUserSettings: async () => ({ isOnToolbar: true }) } })).toBe(true);
    expect(await isPinned({ action: { getUserSettings: async () => ({ isOnToolbar: false }) } })).toBe(false);
    expect(await isPinned({ action: {} })).toBeNull();
    expect(await isPinned({ action: { getUserSettings: () => Promise.reject(new Error('no')) } })).toBeNull();
  });
});
