// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionState, SiteInfo } from '@/utils/messaging';
import type { Service } from '@/utils/text2fa/types';
import {
  button,
  cleanup,
  click,
  Failure,
  googleInfo,
  key,
  queryButton,
  renderPopup,
  s1Services,
  signedIn,
  text,
} from './popup-harness';

afterEach(cleanup);

describe('popup states', () => {
  it('shows offline clearly, and drops the notice when the browser is back online', async () => {
    const { root, setOnline } = await renderPopup({ online: false });
    expect(text(root.querySelector('[data-testid="offline"]'))).toContain('You are offline');
    // What was saved still shows.
    expect(text(root.querySelector('[data-testid="balance"]'))).toBe('$12.50');
    await setOnline(true);
    expect(root.querySelector('[data-testid="offline"]')).toBeNull();
    await setOnline(false);
    expect(root.querySelector('[data-testid="offline"]')).not.toBeNull();
  });

  it('shows Loading before anything is known', async () => {
    const { root } = await renderPopup({
      cachedAccount: null,
      handlers: { 'session.get': () => new Promise<SessionState>(() => undefined) },
    });
    expect(text(root.querySelector('main'))).toBe('Loading…');
  });

  it('shows the site as loading while the background looks at the tab', async () => {
    const { root } = await renderPopup({ handlers: { 'site.info': () => new Promise<SiteInfo>(() => undefined) } });
    expect(text(root.querySelector('.site'))).toContain('Looking at this tab…');
  });

  it('shows a failure to look at the site with a retry that works', async () => {
    let calls = 0;
    let syncs = 0;
    const { root, payloads } = await renderPopup({
      handlers: {
        'site.info': () => {
          calls += 1;
          if (calls === 1) throw new Failure('network', 'fetch failed');
          return googleInfo;
        },
        // Text2FA answering the popup's own check would ask again by itself: here it does not answer either.
        'orders.sync': () => {
          syncs += 1;
          if (syncs === 1) throw new Failure('network', 'fetch failed');
          return null;
        },
      },
    });
    // Text2FA not answering is said once, above the views, with one button that tries everything again.
    expect(root.querySelector('.site [role="alert"]')).toBeNull();
    const alert = root.querySelector('[data-testid="connection"]') as HTMLElement;
    expect(text(alert)).toContain('could not be reached');
    await click(button(alert, 'Try again'));
    expect(payloads('site.info')).toHaveLength(2);
    expect(root.querySelector('[data-testid="connection"]')).toBeNull();
    expect(text(root.querySelector('[data-testid="site-key"]'))).toBe('google.com');
  });

  it('shows the picker loading and a failed service list with a retry', async () => {
    let calls = 0;
    let release: (services: Service[]) => void = () => {};
    const { root } = await renderPopup({
      info: { ...googleInfo, matches: { s1: null, s2: null, rental: null } },
      handlers: {
        'catalog.services': () => {
          calls += 1;
          if (calls === 1) throw new Failure('timeout', 'timed out');
          return new Promise<Service[]>((resolve) => (release = resolve));
        },
      },
    });
    await click(root.querySelector<HTMLButtonElement>('.service-button')!);
    const dialog = root.querySelector('[role="dialog"]') as HTMLElement;
    expect(text(dialog.querySelector('[role="alert"]'))).toContain('took too long');
    await click(button(dialog, 'Retry'));
    expect(text(root.querySelector('[role="dialog"]'))).toContain('Loading services…');
    release(s1Services);
    await click(root.querySelector<HTMLElement>('[role="dialog"] input')!);
    expect(root.querySelectorAll('[role="option"]')).toHaveLength(s1Services.length);
  });

  it('shows a session problem above the views, with Replace token for a refused token', async () => {
    const { root } = await renderPopup({
      session: { ...signedIn, problem: { kind: 'unauthorized', message: 'Text2FA did not accept the API token.', at: 0 } },
    });
    const alert = root.querySelector('main > [role="alert"]') as HTMLElement;
    expect(text(alert)).toContain('did not accept the API token');
    await click(button(alert, 'Replace token'));
    expect(text(root)).toContain('Replace your API token');
  });

  it('moves between sections with the arrow keys, focus following the selection', async () => {
    const { root } = await renderPopup();
    const tabs = () => [...root.querySelectorAll<HTMLElement>('[role="tab"]')];
    expect(tabs().map((t) => t.getAttribute('aria-selected'))).toEqual(['true', 'false', 'false', 'false']);
    expect(tabs().map((t) => t.tabIndex)).toEqual([0, -1, -1, -1]);
    await key(tabs()[0]!, 'ArrowRight');
    expect(tabs()[1]!.getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(tabs()[1]);
    expect(root.querySelector('[role="tabpanel"]')!.getAttribute('aria-labelledby')).toBe('tab-orders');
    await key(tabs()[1]!, 'End');
    expect(document.activeElement).toBe(tabs()[3]);
    await key(tabs()[3]!, 'ArrowRight');
    expect(document.activeElement).toBe(tabs()[0]);
    expect(queryButton(root, 'Get number — $0.50')).not.toBeNull();
  });

  it('labels every form control', async () => {
    const { root } = await renderPopup();
    for (const tab of ['This site', 'Orders', 'History', 'Account']) {
      await click([...root.querySelectorAll<HTMLElement>('[role="tab"]')].find((t) => t.textContent?.startsWith(tab))!);
      for (const control of root.querySelectorAll('input:not([type="radio"]), select')) {
        const labelled = control.getAttribute('aria-label') || (control.id && root.querySelector(`label[for="${control.id}"]`));
        expect(labelled, `${tab}: ${control.outerHTML}`).toBeTruthy();
      }
    }
  });
});
