// @vitest-environment happy-dom
/**
 * What a first-time user ran into in the popup (issue 13), as component
 * tests: the service picker's keyboard, local checks with clear messages,
 * offline feedback and wording.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, click, field, flush, key, renderPopup, text } from './popup-harness';

afterEach(cleanup);

const serviceName = (root: HTMLElement) => text(root.querySelector('[data-testid="service-name"]'));

/** What a key press does to the page: its character goes into whatever has focus, if that takes text. */
function pressKey(char: string): void {
  const target = document.activeElement;
  if (target instanceof HTMLInputElement) {
    target.value += char;
    target.dispatchEvent(new Event('input', { bubbles: true }));
  }
}

describe('the service picker', () => {
  it('has its search box focused as soon as it renders, so keys typed right after the click land', async () => {
    const { root } = await renderPopup();
    const trigger = root.querySelector<HTMLButtonElement>('.service-button')!;
    trigger.focus();
    // No act() and no timers: only the microtask in which Preact renders runs before the first key.
    trigger.click();
    await Promise.resolve();
    await Promise.resolve();
    for (const char of 'Other') pressKey(char);
    await flush();
    const search = field(root, 'Search services');
    expect(search.value).toBe('Other');
    await key(search, 'Enter');
    expect(serviceName(root)).toBe('Other');
  });

  it('highlights nothing for an empty search, so Enter picks nothing and says what to do', async () => {
    const { root, payloads } = await renderPopup();
    await click(root.querySelector<HTMLButtonElement>('.service-button')!);
    const search = field(root, 'Search services');
    expect(root.querySelector('[role="option"][aria-selected="true"]')).toBeNull();
    expect(search.hasAttribute('aria-activedescendant')).toBe(false);
    await key(search, 'Enter');
    expect(root.querySelector('[role="dialog"]')).not.toBeNull();
    expect(text(root.querySelector('[role="dialog"]'))).toContain('Type a name, or use the arrow keys');
    expect(payloads('site.setChoice')).toEqual([]);

    // The arrows start from the current service, which is then highlighted and picked by Enter.
    await key(search, 'ArrowDown');
    expect(text(root.querySelector('[role="option"][aria-selected="true"] .name'))).toBe('Google');
    await key(search, 'ArrowDown');
    expect(text(root.querySelector('[role="option"][aria-selected="true"] .name'))).toBe('Amazon');
    await key(search, 'Enter');
    expect(serviceName(root)).toBe('Amazon');
  });
});
