import { useEffect, useState } from 'preact/hooks';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import { PRODUCTION_API_BASE_URL } from '@/utils/config';
import { describedBy, FieldError, Section, useSaver } from './fields';
import type { OptionsState } from './store';

/** Development and test builds only: which API the extension talks to. */
export function DeveloperSection({ store }: { store: StoreApi<OptionsState> }) {
  const current = useStore(store, (s) => s.session?.apiBaseUrl ?? null);
  const saver = useSaver();
  const [url, setUrl] = useState(current ?? '');

  useEffect(() => {
    if (current !== null) setUrl(current);
  }, [current]);

  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    if (url.trim() === '') {
      saver.refuse('url', `Type an API base URL, such as ${PRODUCTION_API_BASE_URL} or http://127.0.0.1:8787/api/v1.`);
      return;
    }
    await saver.save('url', () => store.getState().setApiBaseUrl(url));
  }

  return (
    <Section
      id="developer"
      title="Developer"
      intro="Only in development and test builds: a store build always talks to Text2FA."
      phase={saver.phase}
    >
      <form class="opt-field" onSubmit={(event) => void submit(event)}>
        <label for="api-base-url">API base URL</label>
        <div class="row">
          <input
            id="api-base-url"
            type="text"
            inputMode="url"
            autoComplete="off"
            spellcheck={false}
            value={url}
            aria-invalid={saver.errors.url ? true : undefined}
            aria-describedby={describedBy('api-base-url', true, saver.errors.url)}
            onInput={(event) => setUrl(event.currentTarget.value)}
          />
          <button type="submit">Use this URL</button>
        </div>
        <p id="api-base-url-hint" class="hint opt-field-hint">
          {PRODUCTION_API_BASE_URL}, or a simulator on http://127.0.0.1:port (start one with <code>npm run simulator</code>).
          The token is sent to this address.
        </p>
        <FieldError id="api-base-url-error" message={saver.errors.url} />
      </form>
    </Section>
  );
}
