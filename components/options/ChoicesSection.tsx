import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { RentalService, Pool, Service } from '@/utils/text2fa/types';
import { ServicePicker } from '../popup/ServicePicker';
import { FieldError, refocus, Section, useSaver } from './fields';
import type { OptionsState } from './store';

/** How a pool is named in lists. */
export const POOL_NAMES: Record<Pool, string> = { s1: 'S1', s2: 'S2', rental: 'Rental' };

/** The service remembered for each site, changed with the popup's own picker, or removed. */
export function ChoicesSection({ store }: { store: StoreApi<OptionsState> }) {
  const choices = useStore(store, (s) => s.serviceChoices);
  const services = useStore(store, (s) => s.services);
  const currency = useStore(store, (s) => s.account?.currency ?? 'USD');
  const saver = useSaver();
  const [changing, setChanging] = useState<string | null>(null);
  const [pool, setPool] = useState<Pool>('s1');
  const sites = Object.keys(choices).sort();

  async function remove(site: string, index: number): Promise<void> {
    if (await saver.save(site, () => store.getState().removeChoice(site))) {
      const rest = sites.filter((s) => s !== site);
      const next = rest[index] ?? rest[index - 1];
      refocus(next ? `choice-remove-${next}` : 'choices-title');
      if (changing === site) setChanging(null);
    }
  }

  function showPools(site: string, next: Pool): void {
    setPool(next);
    void store.getState().loadServices(next);
    saver.clear(site);
    setChanging(site);
  }

  function close(site: string): void {
    setChanging(null);
    refocus(`choice-change-${site}`);
  }

  async function pick(site: string, service: Service | RentalService): Promise<void> {
    const choice = { pool: service.pool, serviceKey: service.key, serviceName: service.name };
    if (await saver.save(site, () => store.getState().setChoice(site, choice))) close(site);
  }

  return (
    <Section
      id="choices"
      title="Services chosen per site"
      intro="When you pick a service in the popup, it is remembered for that site and offered first next time. You can change it here too."
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
              const list = services[pool];
              return (
                <Fragment key={site}>
                  <tr>
                    <th scope="row">{site}</th>
                    <td>{choice.serviceName}</td>
                    <td>{POOL_NAMES[choice.pool]}</td>
                    <td class="opt-row-actions">
                      <button
                        id={`choice-change-${site}`}
                        type="button"
                        class="ghost"
                        aria-expanded={changing === site}
                        aria-controls={`choice-picker-${site}`}
                        aria-label={`Change the service for ${site}`}
                        onClick={() => (changing === site ? close(site) : showPools(site, choice.pool))}
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
                  {changing === site && (
                    <tr id={`choice-picker-${site}`} class="opt-detail-row">
                      <td colSpan={4}>
                        <div class="opt-field">
                          <label for={`choice-pool-${site}`}>Number type for {site}</label>
                          <select id={`choice-pool-${site}`} value={pool} onChange={(event) => showPools(site, event.currentTarget.value as Pool)}>
                            {(['s1', 's2', 'rental'] as const).map((p) => (
                              <option key={p} value={p}>
                                {POOL_NAMES[p]}
                              </option>
                            ))}
                          </select>
                        </div>
                        <ServicePicker
                          modal={false}
                          title={`Service for ${site}`}
                          pool={pool}
                          services={list?.status === 'ready' ? list.services : null}
                          loading={list?.status === 'loading'}
                          error={list?.status === 'failed' ? list.problem : null}
                          currentKey={choice.pool === pool ? choice.serviceKey : null}
                          currency={currency}
                          onPick={(service) => void pick(site, service)}
                          onClose={() => close(site)}
                          onRetry={() => void store.getState().loadServices(pool, true)}
                        />
                      </td>
                    </tr>
                  )}
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
