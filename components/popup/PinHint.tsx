import { useEffect, useState } from 'preact/hooks';
import { request } from '@/utils/messaging';
import type { PopupEnv } from '../stores/env';

/** How each browser pins an extension's button: both keep new extensions in a menu behind a puzzle piece. */
const HOW_TO_PIN: Record<PopupEnv['toolbar']['family'], string> = {
  chromium: 'click the puzzle piece beside the address bar, then the pin next to Text2FA',
  firefox: 'click the puzzle piece (Extensions) in the toolbar, then the gear next to Text2FA and “Pin to Toolbar”',
};

/**
 * First run: how to keep the Text2FA button in the toolbar, shown until the
 * user says they have read it, and never while the button is pinned already.
 * A browser that cannot say whether it is pinned gets the hint too.
 */
export function PinHint({ env }: { env: PopupEnv }) {
  const [shown, setShown] = useState(false);

  useEffect(() => {
    let closed = false;
    void Promise.all([env.pinHintDismissed.getValue(), env.toolbar.isPinned()]).then(([dismissed, pinned]) => {
      if (!closed) setShown(!dismissed && pinned !== true);
    });
    const stop = env.pinHintDismissed.watch((dismissed) => dismissed && setShown(false));
    return () => {
      closed = true;
      stop();
    };
  }, [env]);

  if (!shown) return null;
  return (
    <aside class="banner pin-hint" aria-label="Keep Text2FA in the toolbar" data-testid="pin-hint">
      <p>Keep Text2FA one click away: {HOW_TO_PIN[env.toolbar.family]}.</p>
      <button
        type="button"
        class="ghost"
        onClick={() => {
          setShown(false);
          void request(env.send, 'ui.dismissPinHint', {}).catch(() => undefined);
        }}
      >
        Got it
      </button>
    </aside>
  );
}
