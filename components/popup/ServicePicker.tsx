import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
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
  /** False where the picker sits inside a page (the options page) instead of over the popup. */
  modal?: boolean;
  /** The dialog's title; "Choose a service (S1)" when not given. */
  title?: string;
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
 * The entry Enter would pick: the one the user moved to with the arrows, else
 * the first match of what they typed. With nothing typed and no arrow
 * pressed nothing is highlighted, so Enter cannot pick an entry the user
 * never looked at.
 */
export function highlighted<T extends { key: string }>(matches: T[], query: string, movedTo: string | null): T | undefined {
  const moved = movedTo === null ? undefined : matches.find((s) => s.key === movedTo);
  if (moved) return moved;
  return query.trim() === '' ? undefined : matches[0];
}

/**
 * A searchable list of the pool's services, as a dialog over the popup:
 * type to filter, arrows to move, Enter to pick, Esc to close.
 */
export function ServicePicker({ pool, services, loading, error, currentKey, currency, onPick, onClose, onRetry, modal = true, title }: ServicePickerProps) {
  const [query, setQuery] = useState('');
  // The entry the arrows moved to, by key, so a list that changes under it cannot shift it.
  const [movedTo, setMovedTo] = useState<string | null>(null);
  const [nudged, setNudged] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const id = useId();
  const matches = useMemo(() => filterServices(services ?? [], query).slice(0, SHOWN), [services, query]);
  const activeService = highlighted(matches, query, movedTo);

  // In the same commit as the dialog itself, not after the next paint: keys typed
  // right behind the click that opened it would otherwise go to the button below.
  useLayoutEffect(() => {
    input.current?.focus();
  }, []);
  useEffect(() => {
    list.current?.querySelector('[aria-selected="true"]')?.scrollIntoView?.({ block: 'nearest' });
  }, [activeService?.key]);

  /** Moves the highlight by `step` entries; from nothing, it starts at the current service (or the top). */
  const move = (step: number) => {
    if (matches.length === 0) return;
    const from = activeService ? matches.indexOf(activeService) : -1;
    const start = from >= 0 ? from + step : Math.max(0, matches.findIndex((s) => s.key === currentKey));
    setMovedTo(matches[Math.max(0, Math.min(start, matches.length - 1))]!.key);
    setNudged(false);
  };

  const choose = (service: Service | RentalService | undefined) => {
    if (service && service.available !== 0) onPick(service);
  };
  const optionId = (service: Service) => `${id}-opt-${service.key}`;

  return (
    <div
      class={modal ? 'picker' : 'picker inline'}
      role="dialog"
      aria-modal={modal ? 'true' : undefined}
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
        <h2 id={`${id}-title`}>{title ?? `Choose a service (${POOL_NAMES[pool]})`}</h2>
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
        onInput={(event) => {
          setQuery(event.currentTarget.value);
          setMovedTo(null);
          setNudged(false);
        }}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown') move(1);
          else if (event.key === 'ArrowUp') move(-1);
          else if (event.key === 'PageDown') move(8);
          else if (event.key === 'PageUp') move(-8);
          else if (event.key === 'Enter') {
            if (activeService) choose(activeService);
            else if (services && matches.length > 0) setNudged(true);
          } else return;
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
          {nudged
            ? 'Type a name, or use the arrow keys to highlight a service, then press Enter.'
            : matches.length === 0
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
