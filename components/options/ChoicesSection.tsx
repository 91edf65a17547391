import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import { choiceRows } from '@/utils/choices';
import type { ServiceChoice } from '@/utils/storage';
import type { RentalService, Pool, Service } from '@/utils/text2fa/types';
import { ServicePicker } from '../popup/ServicePicker';
import { FieldError, refocus, Section, useSaver } from './fields';
import type { OptionsState } from './store';

/** How a pool is named in lists. */
export const POOL_NAMES: Record<Pool, string> = { s1: 'S1', s2: 'S2', rental: 'Rental' };

/** A row's id part: a site has one row per kind of number it has a service for. */
const rowKey = (site: string, pool: Pool) => `${site}-${pool}`;

/** The services remembered for each site and kind of number, changed with the popup's own picker, or removed. */
export function ChoicesSection({ store }: { store: StoreApi<OptionsState> }) {
  const choices = useStore(store, (s) => s.serviceChoices);
  const services = useStore(store, (s) => s.services);
  const currency = useStore(store, (s) => s.account?.currency ?? 'USD');
  const saver = useSaver();
  // The row (site and kind) whose picker is open.
  const [changing, setChanging] = useState<string | null>(null);
  const [pool, setPool] = useState<Pool>('s1');
  const rows = choiceRows(choices);

  async function remove(site: string, choice: ServiceChoice, index: number): Promise<void> {
    const key = rowKey(site, choice.pool);
    if (await saver.save(key, () => store.getState().removeChoice(site, choice.pool))) {
      const rest = rows.filter((r) => rowKey(r.site, r.choice.pool) !== key);
      const next = rest[index] ?? rest[index - 1];
      refocus(next ? `choice-remove-${rowKey(next.site, next.choice.pool)}` : 'choices-title');
      if (changing === key) setChanging(null);
    }
  }

  function showPools(key: string, next: Pool): void {
    setPool(next);
    void store.getState().loadServices(next);
    saver.clear(key);
    setChanging(key);
  }

  function close(key: string): void {
    setChanging(null);
    refocus(`choice-change-${key}`);
  }

  async function pick(site: string, key: string, service: Service | RentalService): Promise<void> {
    const choice = { pool: service.pool, serviceKey: service.key, serviceName: service.name };
    // A pick of another kind is that kind's row: focus goes back to it, the row it was opened from stays.
    if (await saver.save(key, () => store.getState().setChoice(site, choice))) close(rowKey(site, choice.pool));
  }

  return (
    <Section
      id="choices"
      title="Services chosen per site"
      intro="When you pick a service in the popup, it is remembered for that site and that number type (S1, S2, rental), and offered first next time. You can change it here too."
      phase={saver.phase}
    >
      {rows.length === 0 ? (
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
            {rows.map(({ site, choice }, index) => {
              const key = rowKey(site, choice.pool);
              const kind = POOL_NAMES[choice.pool];
              const list = services[pool];
              return (
                <Fragment key={key}>
                  <tr>
                    <th scope="row">{site}</th>
                    <td>{choice.serviceName}</td>
                    <td>{kind}</td>
                    <td class="opt-row-actions">
                      <button
                        id={`choice-change-${key}`}
                        type="button"
                        class="ghost"
                        aria-expanded={changing === key}
                        aria-controls={`choice-picker-${key}`}
                        aria-label={`Change the ${kind} service for ${site}`}
                        onClick={() => (changing === key ? close(key) : showPools(key, choice.pool))}
                      >
                        Change
                      </button>
                      <button
                        id={`choice-remove-${key}`}
                        type="button"
                        class="ghost"
                        aria-label={`Remove the ${kind} choice for ${site}`}
                        aria-describedby={saver.errors[key] ? `choice-error-${key}` : undefined}
                        onClick={() => void remove(site, choice, index)}
                      >
                        Remove
                      </button>
                    </td>
                  </tr>
                  {changing === key && (
                    <tr id={`choice-picker-${key}`} class="opt-detail-row">
                      <td colSpan={4}>
                        <div class="opt-field">
                          <label for={`choice-pool-${key}`}>Number type for {site}</label>
                          <select id={`choice-pool-${key}`} value={pool} onChange={(event) => showPools(key, event.currentTarget.value as Pool)}>
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
                          currentKey={choices[site]?.[pool]?.serviceKey ?? null}
                          currency={currency}
                          onPick={(service) => void pick(site, key, service)}
                          onClose={() => close(key)}
                          onRetry={() => void store.getState().loadServices(pool, true)}
                        />
                      </td>
                    </tr>
                  )}
                  {saver.errors[key] && (
                    <tr class="opt-detail-row">
                      <td colSpan={4}>
                        <FieldError id={`choice-error-${key}`} message={saver.errors[key]} />
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
