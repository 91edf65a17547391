import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { Pool } from '@/utils/text2fa/types';
import { FieldError, refocus, Section, useSaver } from './fields';
import type { OptionsState } from './store';

/** How a pool is named in lists. */
export const POOL_NAMES: Record<Pool, string> = { s1: 'S1', s2: 'S2', rental: 'Rental' };

/** The service remembered for each site, with remove, and how to change one. */
export function ChoicesSection({ store }: { store: StoreApi<OptionsState> }) {
  const choices = useStore(store, (s) => s.serviceChoices);
  const saver = useSaver();
  const [explaining, setExplaining] = useState<string | null>(null);
  const sites = Object.keys(choices).sort();

  async function remove(site: string, index: number): Promise<void> {
    if (await saver.save(site, () => store.getState().removeChoice(site))) {
      const rest = sites.filter((s) => s !== site);
      const next = rest[index] ?? rest[index - 1];
      refocus(next ? `choice-remove-${next}` : 'choices-title');
      if (explaining === site) setExplaining(null);
    }
  }

  return (
    <Section
      id="choices"
      title="Services chosen per site"
      intro="When you pick a service in the popup, it is remembered for that site and offered first next time."
      phase={saver.phase}
    >
      {sites.length === 0 ? (
        <p class="opt-empty">No sites yet.</p>
      ) : (
        <table class="opt-list-table">
          <thead>
            <tr>
              <th scope="col">Site</th>
              <th scope="col">Service</th>
              <th scope="col">Type</th>
              <th scope="col">
                <span class="opt-visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sites.map((site, index) => {
              const choice = choices[site]!;
              return (
                <Fragment key={site}>
                  <tr>
                    <th scope="row">{site}</th>
                    <td>{choice.serviceName}</td>
                    <td>{POOL_NAMES[choice.pool]}</td>
                    <td class="opt-row-actions">
                      <button
                        type="button"
                        class="ghost"
                        aria-expanded={explaining === site}
                        aria-controls={`choice-how-${site}`}
                        aria-label={`Change the service for ${site}`}
                        onClick={() => setExplaining(explaining === site ? null : site)}
                      >
                        Change
                      </button>
                      <button
                        id={`choice-remove-${site}`}
                        type="button"
                        class="ghost"
                        aria-label={`Remove the choice for ${site}`}
                        aria-describedby={saver.errors[site] ? `choice-error-${site}` : undefined}
                        onClick={() => void remove(site, index)}
                      >
                        Remove
                      </button>
                    </td>
                  </tr>
                  <tr id={`choice-how-${site}`} class="opt-detail-row" hidden={explaining !== site}>
                    <td colSpan={4}>
                      <p class="opt-how">
                        Services are picked in the popup, where the current prices are: open {site}, then the Text2FA popup,
                        and choose another service there. It replaces this one.
                      </p>
                    </td>
                  </tr>
                  {saver.errors[site] && (
                    <tr class="opt-detail-row">
                      <td colSpan={4}>
                        <FieldError id={`choice-error-${site}`} message={saver.errors[site]} />
                      </td>
                    </tr>
                  )}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      )}
    </Section>
  );
}
