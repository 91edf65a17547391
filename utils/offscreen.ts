/**
 * The offscreen document's one job: copy text the background sends it.
 * Offscreen documents can't focus, so `navigator.clipboard` is unavailable;
 * a selected textarea and `execCommand('copy')` still work there.
 */
import type { WxtBrowser } from 'wxt/browser';

/** Answers copy requests that come from our own background (never from a tab). */
export function listenForCopyRequests(browser: WxtBrowser, doc: Document): void {
  browser.runtime.onMessage.addListener((message: unknown, sender: { id?: string; tab?: unknown }) => {
    const m = message as { t2fa?: unknown; target?: unknown; type?: unknown; text?: unknown } | null;
    if (!m || m.t2fa !== 1 || m.target !== 'offscreen' || m.type !== 'copy' || typeof m.text !== 'string') return undefined;
    if (sender.id !== browser.runtime.id || sender.tab) return undefined;
    const area = doc.getElementById('clipboard') as HTMLTextAreaElement;
    area.value = m.text;
    area.select();
    const copied = doc.execCommand('copy');
    area.value = '';
    return Promise.resolve(copied);
  });
}
