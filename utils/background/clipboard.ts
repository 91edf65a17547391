/**
 * Copying a code to the clipboard from the background, which has no page
 * to copy from on Chrome: an offscreen document does it there. Firefox's
 * background page has a DOM and copies itself.
 */
import type { WxtBrowser } from 'wxt/browser';
import type { CopyText } from './alerts';

/** The message the offscreen document accepts (from the background only). */
export interface OffscreenCopyMessage {
  t2fa: 1;
  target: 'offscreen';
  type: 'copy';
  text: string;
}

interface OffscreenApi {
  createDocument(options: { url: string; reasons: string[]; justification: string }): Promise<void>;
  hasDocument?(): Promise<boolean>;
}

/** Makes the background's copy function for this browser. */
export function createClipboard(browser: WxtBrowser): CopyText {
  const offscreen = (browser as unknown as { offscreen?: OffscreenApi }).offscreen;
  let creating: Promise<void> | null = null;

  async function ensureDocument(api: OffscreenApi): Promise<void> {
    if (api.hasDocument && (await api.hasDocument())) return;
    creating ??= api
      .createDocument({ url: '/offscreen.html', reasons: ['CLIPBOARD'], justification: 'Copy a verification code the user clicked.' })
      .catch((error: unknown) => {
        // A document created by a racing call is as good as ours.
        if (!String(error).includes('single offscreen')) throw error;
      })
      .finally(() => {
        creating = null;
      });
    await creating;
  }

  return async (text: string) => {
    if (!offscreen) {
      await navigator.clipboard.writeText(text);
      return;
    }
    await ensureDocument(offscreen);
    const message: OffscreenCopyMessage = { t2fa: 1, target: 'offscreen', type: 'copy', text };
    await browser.runtime.sendMessage(message);
  };
}
