import { useState } from 'preact/hooks';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import { describedBy, FieldError, refocus, Section, Toggle, useSaver } from './fields';
import type { OptionsState } from './store';
import { notASite, parseSiteText } from './validate';

/** Filling codes and numbers into pages, and the sites where the form may be submitted too. */
export function AutofillSection({ store }: { store: StoreApi<OptionsState> }) {
  const autofill = useStore(store, (s) => s.settings.autofill);
  const fillPhone = useStore(store, (s) => s.settings.fillPhone);
  const sites = useStore(store, (s) => s.settings.autoSubmitSites);
  const saver = useSaver();
  const [site, setSite] = useState('');

  const update = (field: string, patch: Parameters<OptionsState['updateSettings']>[0]) =>
    saver.save(field, () => store.getState().updateSettings(patch));

  async function addSite(event: Event): Promise<void> {
    event.preventDefault();
    const typedText = site;
    const typed = parseSiteText(typedText);
    if (!typed.ok) {
      saver.refuse('site', typed.message);
      return;
    }
    const normalized = await store.getState().normalizeSite(typed.value);
    const key = normalized.ok ? normalized.value : null;
    if (!normalized.ok || key === null) {
      saver.refuse('site', normalized.ok ? notASite(typed.value) : `The site could not be checked: ${normalized.problem.message}`);
      return;
    }
    saver.clear('site');
    if (sites.includes(key)) {
      setSite('');
      return;
    }
    // Emptied only if it still holds what was added: the user may already be typing the next site.
    if (await update('site', { autoSubmitSites: [...sites, key].sort() })) setSite((current) => (current === typedText ? '' : current));
  }

  async function removeSite(key: string, index: number): Promise<void> {
    if (await update('site', { autoSubmitSites: sites.filter((s) => s !== key) })) {
      // Keep the keyboard in the list: the next site's button, else the field.
      const next = sites.filter((s) => s !== key)[index] ?? sites.filter((s) => s !== key)[index - 1];
      refocus(next ? `remove-site-${next}` : 'auto-submit-site');
    }
  }

  return (
    <Section
      id="autofill"
      title="Filling pages"
      intro="Codes and numbers are only ever filled into the site the number was bought for."
      phase={saver.phase}
    >
      <Toggle
        id="autofill-codes"
        label="Fill codes automatically"
        hint="When a code arrives, put it in the site's code field. Off: copy it from the popup or use the shortcut."
        checked={autofill}
        error={saver.errors.autofill}
        onChange={(checked) => void update('autofill', { autofill: checked })}
      />
      <Toggle
        id="fill-phone"
        label="Fill the phone number after buying"
        hint="Put the new number in the page's phone field."
        checked={fillPhone}
        error={saver.errors.fillPhone}
        onChange={(checked) => void update('fillPhone', { fillPhone: checked })}
      />

      <h3 id="auto-submit-title">Submit the form after filling the code</h3>
      <p class="hint" id="auto-submit-intro">
        Off for every site unless you add it here. Add only sites where sending the form right after the code is filled is
        what you want.
      </p>
      {sites.length === 0 ? (
        <p class="opt-empty">No sites: forms are never submitted for you.</p>
      ) : (
        <ul class="opt-item-list" aria-labelledby="auto-submit-title">
          {sites.map((key, index) => (
            <li key={key}>
              <span class="opt-item-name">{key}</span>
              <button
                id={`remove-site-${key}`}
                type="button"
                class="ghost"
                aria-label={`Remove ${key} from auto-submit`}
                onClick={() => void removeSite(key, index)}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form class="opt-field" onSubmit={(event) => void addSite(event)}>
        <label for="auto-submit-site">Add a site</label>
        <div class="row">
          <input
            id="auto-submit-site"
            type="text"
            inputMode="url"
            autoComplete="off"
            spellcheck={false}
            placeholder="example.com"
            value={site}
            aria-invalid={saver.errors.site ? true : undefined}
            aria-describedby={describedBy('auto-submit-site', true, saver.errors.site)}
            onInput={(event) => setSite(event.currentTarget.value)}
          />
          <button type="submit">Add</button>
        </div>
        <p id="auto-submit-site-hint" class="hint opt-field-hint">
          A domain or an address; it is saved as the site's domain (www.example.com/login becomes example.com).
        </p>
        <FieldError id="auto-submit-site-error" message={saver.errors.site} />
      </form>
    </Section>
  );
}
