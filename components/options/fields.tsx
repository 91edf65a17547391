/**
 * The building blocks every options section shares: a section card with its
 * own "Saved" status, checkboxes and text fields that save on their own, and
 * an inline confirmation for destructive actions.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Outcome, Problem } from './store';
import type { Parsed } from './validate';

export type SavePhase = 'idle' | 'saving' | 'saved' | 'failed';

/** One section's save status and its fields' error messages. */
export interface Saver {
  phase: SavePhase;
  errors: Record<string, string>;
  /** Runs a save for `field`, keeping the status and that field's error current. Resolves true when it worked. */
  save<T>(field: string, action: () => Promise<Outcome<T>>): Promise<boolean>;
  /** Shows a validation message for `field` (nothing was sent). */
  refuse(field: string, message: string): void;
  clear(field: string): void;
}

/**
 * Tracks one section's saves. The status follows from the fields: "Saving…"
 * while any save is on its way, "Not saved" while any field shows a message
 * (a refused value, or the background's refusal), otherwise "Saved" once
 * something was. So a message that goes away takes the notice with it.
 */
export function useSaver(describe: (field: string, problem: Problem) => string = (_field, problem) => problem.message): Saver {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [inFlight, setInFlight] = useState(0);
  const [savedOnce, setSavedOnce] = useState(false);
  const phase: SavePhase = inFlight > 0 ? 'saving' : Object.keys(errors).length > 0 ? 'failed' : savedOnce ? 'saved' : 'idle';

  const setError = (field: string, message: string | null) =>
    setErrors((current) => {
      if (message === null) {
        if (!(field in current)) return current;
        const { [field]: _gone, ...rest } = current;
        return rest;
      }
      return { ...current, [field]: message };
    });

  return {
    phase,
    errors,
    async save(field, action) {
      setInFlight((n) => n + 1);
      const outcome = await action();
      setError(field, outcome.ok ? null : describe(field, outcome.problem));
      if (outcome.ok) setSavedOnce(true);
      setInFlight((n) => n - 1);
      return outcome.ok;
    },
    refuse(field, message) {
      setError(field, message);
    },
    clear(field) {
      setError(field, null);
    },
  };
}

const STATUS_TEXT: Record<SavePhase, string> = {
  idle: '',
  saving: 'Saving…',
  saved: 'Saved',
  failed: 'Not saved: see the message below the field',
};

export interface SectionProps {
  id: string;
  title: string;
  /** What the section is for, under its heading. */
  intro?: ComponentChildren;
  /** The section's save status; omit for sections that save nothing. */
  phase?: SavePhase;
  children: ComponentChildren;
}

/** A titled card with a live "Saved" status next to its heading. */
export function Section({ id, title, intro, phase, children }: SectionProps) {
  return (
    <section id={id} class="card opt-section" aria-labelledby={`${id}-title`}>
      <div class="opt-section-head">
        {/* Focusable from script, so focus has somewhere to land when the control it was on goes away. */}
        <h2 id={`${id}-title`} tabIndex={-1}>
          {title}
        </h2>
        {phase !== undefined && (
          <span class={`opt-save-status opt-${phase}`} role="status" data-testid={`${id}-status`}>
            {STATUS_TEXT[phase]}
          </span>
        )}
      </div>
      {intro && <p class="hint">{intro}</p>}
      {children}
    </section>
  );
}

/** The inline error under a field; its id is what the field's `aria-describedby` points at. */
export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p id={id} class="error opt-field-error" role="alert">
      {message}
    </p>
  );
}

/** The ids a field describes itself with: its hint and, when shown, its error. */
export function describedBy(id: string, hint: boolean, error: string | undefined): string | undefined {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter((x): x is string => x !== null);
  return ids.length ? ids.join(' ') : undefined;
}

export interface ToggleProps {
  id: string;
  label: string;
  hint?: ComponentChildren;
  checked: boolean;
  disabled?: boolean;
  error?: string;
  onChange(checked: boolean): void;
}

/** A checkbox with its label beside it and an optional hint below. */
export function Toggle({ id, label, hint, checked, disabled, error, onChange }: ToggleProps) {
  return (
    <div class="opt-field">
      <div class="opt-check">
        <input
          id={id}
          type="checkbox"
          checked={checked}
          disabled={disabled}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, hint !== undefined, error)}
          onChange={(event) => onChange(event.currentTarget.checked)}
        />
        <label for={id}>{label}</label>
      </div>
      {hint !== undefined && (
        <p id={`${id}-hint`} class="hint opt-field-hint">
          {hint}
        </p>
      )}
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

export interface CommitFieldProps<T> {
  id: string;
  label: string;
  hint?: ComponentChildren;
  /** The stored value as text. */
  value: string;
  parse(text: string): Parsed<T>;
  /** How a parsed value shows once saved (e.g. `al` → `AL`). */
  format(value: T): string;
  /** Whether `value` differs from what is stored (unchanged values are not sent). */
  changed(value: T): boolean;
  save(value: T): Promise<boolean>;
  error: string | undefined;
  onInvalid(message: string): void;
  onValid(): void;
  inputMode?: 'text' | 'numeric' | 'decimal' | 'url';
  placeholder?: string;
  disabled?: boolean;
  /** Narrow inputs for short numbers. */
  size?: 'short' | 'medium';
  /** Text after the input, such as a unit. */
  suffix?: string;
}

/**
 * A text field that saves when the user leaves it or presses Enter, after
 * checking the value; an invalid value stays in the field with its message.
 */
export function CommitField<T>(props: CommitFieldProps<T>) {
  const { id, label, hint, value, error, inputMode = 'text', placeholder, disabled, size, suffix } = props;
  const [draft, setDraft] = useState(value);
  // Enter then leaving the field would otherwise send the same value twice.
  const committing = useRef<string | null>(null);

  // A value saved elsewhere (the popup, an import) replaces an untouched draft.
  useEffect(() => setDraft(value), [value]);

  async function commit(text: string): Promise<void> {
    if (committing.current === text) return;
    const parsed = props.parse(text);
    if (!parsed.ok) {
      props.onInvalid(parsed.message);
      return;
    }
    props.onValid();
    if (!props.changed(parsed.value)) {
      setDraft(props.format(parsed.value));
      return;
    }
    committing.current = text;
    try {
      if (await props.save(parsed.value)) setDraft(props.format(parsed.value));
    } finally {
      committing.current = null;
    }
  }

  return (
    <div class="opt-field">
      <label for={id}>{label}</label>
      <div class="row opt-input-row">
        <input
          id={id}
          class={size ? `opt-input-${size}` : undefined}
          type="text"
          inputMode={inputMode}
          autoComplete="off"
          spellcheck={false}
          placeholder={placeholder}
          value={draft}
          disabled={disabled}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, hint !== undefined, error)}
          onInput={(event) => setDraft(event.currentTarget.value)}
          onBlur={(event) => void commit(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault();
              void commit(event.currentTarget.value);
            }
          }}
        />
        {suffix && <span class="opt-suffix">{suffix}</span>}
      </div>
      {hint !== undefined && (
        <p id={`${id}-hint`} class="hint opt-field-hint">
          {hint}
        </p>
      )}
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

export interface ConfirmProps {
  id: string;
  /** What will happen, in full sentences. */
  children: ComponentChildren;
  confirmLabel: string;
  cancelLabel: string;
  busy?: boolean;
  onConfirm(): void;
  onCancel(): void;
}

/**
 * An inline confirmation rather than `window.confirm`: it can explain the
 * consequences in full, matches the page's look, and tests can drive it.
 * Focus goes to the safe choice; Escape cancels.
 */
export function Confirm({ id, children, confirmLabel, cancelLabel, busy, onConfirm, onCancel }: ConfirmProps) {
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => cancel.current?.focus(), []);
  return (
    <div
      id={id}
      class="opt-confirm"
      role="group"
      aria-labelledby={`${id}-text`}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onCancel();
      }}
    >
      <div id={`${id}-text`} class="opt-confirm-text">
        {children}
      </div>
      <div class="actions">
        <button type="button" ref={cancel} onClick={onCancel} disabled={busy}>
          {cancelLabel}
        </button>
        <button type="button" class="opt-danger" onClick={onConfirm} disabled={busy}>
          {confirmLabel}
        </button>
      </div>
    </div>
  );
}

/** Moves focus to an element once the render that brings it back has happened (after a confirmation closes). */
export function refocus(id: string): void {
  setTimeout(() => document.getElementById(id)?.focus(), 0);
}
