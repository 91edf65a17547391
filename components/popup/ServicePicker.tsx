import { useEffect, useId, useMemo, useRef, useState } from 'preact/hooks';
import { formatMoney } from '@/utils/format';
import type { Pool, RentalService, Service } from '@/utils/text2fa/types';
import type { ErrorView } from '../stores/errors';
import { POOL_NAMES } from './format';
import { ErrorNote } from './ui';

/** How many matches the list shows at once: enough to scroll, few enough to stay quick. */
const SHOWN = 80;

export interface ServicePickerProps {
  pool: Pool;
  services: Array<Service | RentalService> | null;
  loading: boolean;
  error: ErrorView | null;
  currentKey: string | null;
  currency: string;
  onPick(service: Service | RentalService): void;
  onClose(): void;
  onRetry(): void;
}

/** Names starting with the query first, then names containing it. */
function filterServices(services: Array<Service | RentalService>, query: string): Array<Service | RentalService> {
  const q = query.trim().toLowerCase();
  if (!q) return services;
  const starts = services.filter((s) => s.name.toLowerCase().startsWith(q));
  const contains = services.filter((s) => !s.name.toLowerCase().startsWith(q) && s.name.toLowerCase().includes(q));
  return [...starts, ...contains];
}

/** A stock word for a service: "Sold out", "12 left", or nothing when unknown. */
export function stockWords(service: Service): string | null {
  if (service.available === null) return null;
  return service.available === 0 ? 'Sold out' : `${service.available} left`;
}

/**
 * A searchable list of the pool's services, as a dialog over the popup:
 * type to filter, arrows to move, Enter to pick, Esc to close.
 */
export function ServicePicker({ pool, services, loading, error, currentKey, currency, onPick, onClose, onRetry }: ServicePickerProps) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const id = useId();
  const matches = useMemo(() => filterServices(services ?? [], query).slice(0, SHOWN), [services, query]);
  const activeService = matches[Math.min(active, matches.length - 1)];

  useEffect(() => {
    input.current?.focus();
  }, []);
  useEffect(() => {
    // Start on the current service when the list first shows it.
    const index = matches.findIndex((s) => s.key === currentKey);
    setActive(query === '' && index >= 0 ? index : 0);
  }, [query, services]);
  useEffect(() => {
    list.current?.querySelector('[aria-selected="true"]')?.scrollIntoView?.({ block: 'nearest' });
  }, [active, matches]);

  const choose = (service: Service | RentalService | undefined) => {
    if (service && service.available !== 0) onPick(service);
  };
  const optionId = (service: Service) => `${id}-opt-${service.key}`;

  return (
    <div
      class="picker"
      role="dialog"
      aria-modal="true"
      aria-labelledby={`${id}-title`}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          event.stopPropagation();
          onClose();
        }
      }}
    >
      <div class="picker-head">
        <h2 id={`${id}-title`}>Choose a service ({POOL_NAMES[pool]})</h2>
        <button type="button" class="ghost icon" aria-label="Close" onClick={onClose}>
          ✕
        </button>
      </div>
      <input
        ref={input}
        type="text"
        role="combobox"
        aria-label="Search services"
        aria-expanded="true"
        aria-controls={`${id}-list`}
        aria-autocomplete="list"
        aria-activedescendant={activeService ? optionId(activeService) : undefined}
        placeholder="Search services"
        autoComplete="off"
        spellcheck={false}
        value={query}
        onInput={(event) => setQuery(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown') setActive((i) => Math.min(i + 1, matches.length - 1));
          else if (event.key === 'ArrowUp') setActive((i) => Math.max(i - 1, 0));
          else if (event.key === 'PageDown') setActive((i) => Math.min(i + 8, matches.length - 1));
          else if (event.key === 'PageUp') setActive((i) => Math.max(i - 8, 0));
          else if (event.key === 'Enter') choose(activeService);
          else return;
          event.preventDefault();
        }}
      />
      {loading && !services && (
        <p class="hint" role="status">
          Loading services…
        </p>
      )}
      {error && !services && <ErrorNote error={error} onRetry={onRetry} />}
      {services && (
        <p class="hint" role="status">
          {matches.length === 0
            ? `No service matches “${query.trim()}”.`
            : matches.length === SHOWN
              ? `First ${SHOWN} services`
              : `${matches.length} ${matches.length === 1 ? 'service' : 'services'}`}
        </p>
      )}
      <ul ref={list} id={`${id}-list`} role="listbox" aria-label={`${POOL_NAMES[pool]} services`} class="options">
        {matches.map((service) => {
          const soldOut = service.available === 0;
          const selected = service === activeService;
          return (
            // The search field owns the keyboard (aria-activedescendant); options only take the mouse.
            <li
              key={service.key}
              id={optionId(service)}
              role="option"
              aria-selected={selected}
              aria-disabled={soldOut || undefined}
              class={`option${selected ? ' active' : ''}${service.key === currentKey ? ' current' : ''}`}
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => choose(service)}
            >
              <span class="name">{service.name}</span>
              <span class="price">
                {service.price !== null ? formatMoney(service.price, currency) : ''}
                {stockWords(service) ? ` · ${stockWords(service)}` : ''}
              </span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
