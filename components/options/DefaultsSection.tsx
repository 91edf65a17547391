import { useEffect } from 'preact/hooks';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { OrderDefaults } from '@/utils/storage';
import type { Pool } from '@/utils/text2fa/types';
import { CommitField, describedBy, FieldError, Section, useSaver } from './fields';
import type { OptionsState } from './store';
import { MAX_AREA_CODES, MAX_PREMIUM } from '@/utils/input-rules';
import { numberText, parseAreaCodes, parsePremium, parseRentalDays, parseStateCode } from './validate';

const POOLS: { value: Pool; label: string }[] = [
  { value: 's1', label: 'S1: temporary number, pick the state' },
  { value: 's2', label: 'S2: temporary number, pick the area code' },
  { value: 'rental', label: 'Rental: a number kept for days' },
];

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** What the popup's order form starts with. */
export function DefaultsSection({ store }: { store: StoreApi<OptionsState> }) {
  const defaults = useStore(store, (s) => s.settings.defaults);
  const configured = useStore(store, (s) => s.session?.configured ?? false);
  const regions = useStore(store, (s) => s.regions);
  const saver = useSaver();

  // The state list needs a working token; without one the field takes a typed code.
  useEffect(() => {
    if (configured && store.getState().regions.status === 'idle') void store.getState().loadRegions();
  }, [configured, store]);

  const save = (field: string, patch: Partial<OrderDefaults>) =>
    saver.save(field, () => store.getState().updateSettings({ defaults: patch }));
  const fieldHandlers = (field: string) => ({
    error: saver.errors[field],
    onInvalid: (message: string) => saver.refuse(field, message),
    onValid: () => saver.clear(field),
  });

  let stateField;
  if (regions.status === 'ready' && regions.regions.length > 0) {
    const listed = defaults.state === null || regions.regions.some((r) => r.code === defaults.state);
    stateField = (
      <div class="opt-field">
        <label for="default-state">S1 state</label>
        <select
          id="default-state"
          value={defaults.state ?? ''}
          aria-invalid={saver.errors.state ? true : undefined}
          aria-describedby={describedBy('default-state', true, saver.errors.state)}
          onChange={(event) => void save('state', { state: event.currentTarget.value || null })}
        >
          <option value="">Any state</option>
          {!listed && defaults.state && <option value={defaults.state}>{defaults.state} (not offered right now)</option>}
          {regions.regions.map((region) => (
            <option key={region.code} value={region.code}>
              {region.name} ({region.code})
            </option>
          ))}
        </select>
        <p id="default-state-hint" class="hint opt-field-hint">
          Where S1 numbers come from.
        </p>
        <FieldError id="default-state-error" message={saver.errors.state} />
      </div>
    );
  } else {
    stateField = (
      <CommitField<string | null>
        id="default-state"
        label="S1 state"
        size="short"
        value={defaults.state ?? ''}
        placeholder="Any"
        parse={parseStateCode}
        format={(value) => value ?? ''}
        changed={(value) => value !== defaults.state}
        save={(value) => save('state', { state: value })}
        {...fieldHandlers('state')}
        hint={
          <>
            A two-letter code such as AL or CA; empty for any state.
            {regions.status === 'loading' && ' Loading the list of states…'}
            {regions.status === 'failed' && (
              <>
                {' '}
                The list of states could not be loaded ({regions.problem.message}), so type the code.{' '}
                <button type="button" class="opt-link" onClick={() => void store.getState().loadRegions()}>
                  Load the list again
                </button>
              </>
            )}
            {regions.status === 'idle' && !configured && ' Add your API token to pick from a list.'}
          </>
        }
      />
    );
  }

  return (
    <Section
      id="defaults"
      title="Order defaults"
      intro="What the popup's order form starts with. You can still change each order there."
      phase={saver.phase}
    >
      <div class="opt-grid">
        <div class="opt-field">
          <label for="default-pool">Number type</label>
          <select
            id="default-pool"
            value={defaults.pool}
            aria-invalid={saver.errors.pool ? true : undefined}
            aria-describedby={describedBy('default-pool', false, saver.errors.pool)}
            onChange={(event) => void save('pool', { pool: event.currentTarget.value as Pool })}
          >
            {POOLS.map((pool) => (
              <option key={pool.value} value={pool.value}>
                {pool.label}
              </option>
            ))}
          </select>
          <FieldError id="default-pool-error" message={saver.errors.pool} />
        </div>
        {stateField}
        <CommitField<number | null>
          id="default-premium"
          label="S1 premium bid"
          size="short"
          inputMode="decimal"
          placeholder="None"
          suffix="USD"
          value={numberText(defaults.premium)}
          parse={parsePremium}
          format={numberText}
          changed={(value) => value !== defaults.premium}
          save={(value) => save('premium', { premium: value })}
          hint={`Extra paid per S1 number for priority, up to $${MAX_PREMIUM}; empty for none.`}
          {...fieldHandlers('premium')}
        />
        <CommitField<string[]>
          id="default-areas"
          label="S2 area codes"
          inputMode="numeric"
          placeholder="Any, or e.g. 212, 646"
          value={defaults.areas.join(', ')}
          parse={parseAreaCodes}
          format={(value) => value.join(', ')}
          changed={(value) => !sameList(value, defaults.areas)}
          save={(value) => save('areas', { areas: value })}
          hint={`Up to ${MAX_AREA_CODES} US area codes such as 212, separated by commas; empty for any.`}
          {...fieldHandlers('areas')}
        />
        <CommitField<number>
          id="default-rental-days"
          label="Rental days"
          size="short"
          inputMode="numeric"
          suffix="days"
          value={String(defaults.rentalDays)}
          parse={parseRentalDays}
          format={String}
          changed={(value) => value !== defaults.rentalDays}
          save={(value) => save('rentalDays', { rentalDays: value })}
          hint="How long a rental lasts, from 1 to 365 days."
          {...fieldHandlers('rentalDays')}
        />
      </div>
    </Section>
  );
}
