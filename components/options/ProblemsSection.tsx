import { useEffect, useRef, useState } from 'preact/hooks';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import { FieldError, refocus, Section } from './fields';
import type { ProblemsState } from './problems-store';
import { PROBLEM_LIMIT } from '@/utils/text2fa/problems';

export interface ProblemsSectionProps {
  store: StoreApi<ProblemsState>;
  /** Bring the section into view when it appears (the page was opened at `#problems`). */
  scrollOnMount?: boolean;
  /** How times are shown; the browser's locale by default. */
  formatTime?: (ms: number) => string;
}

const defaultTime = (ms: number) => new Date(ms).toLocaleString();

/**
 * Answers from Text2FA the extension could not understand, redacted, with
 * "Copy report" and "Clear". The user decides what to do with them.
 */
export function ProblemsSection({ store, scrollOnMount = false, formatTime = defaultTime }: ProblemsSectionProps) {
  const entries = useStore(store, (s) => s.entries);
  const loaded = useStore(store, (s) => s.loaded);
  const [notice, setNotice] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const section = useRef<HTMLDivElement>(null);

  useEffect(() => {
    void store.getState().load();
  }, [store]);
  useEffect(() => {
    if (scrollOnMount) section.current?.scrollIntoView?.();
  }, [scrollOnMount]);

  async function copy(): Promise<void> {
    const outcome = await store.getState().copy();
    setError(outcome.ok ? undefined : outcome.problem.message);
    setNotice(outcome.ok ? 'Report copied. Paste it into your message to Text2FA support or the extension’s developers.' : '');
  }

  async function clear(): Promise<void> {
    setBusy(true);
    const outcome = await store.getState().clear();
    setBusy(false);
    setError(outcome.ok ? undefined : `The list could not be cleared: ${outcome.problem.message}`);
    setNotice(outcome.ok ? 'Cleared.' : '');
    if (outcome.ok) refocus('problems-title');
  }

  return (
    <div ref={section}>
      <Section
        id="problems"
        title="Problems with Text2FA answers"
        intro={
          <>
            The last {PROBLEM_LIMIT} answers from Text2FA the extension could not understand, so you can report them. They are kept
            in this browser only and sent nowhere. Your token is never in them; phone numbers show only their last 2
            digits, codes are masked (#) and SMS text is cut to 160 characters.
          </>
        }
      >
        {!loaded ? null : entries.length === 0 ? (
          <p class="opt-empty">No problems: every answer from Text2FA was understood.</p>
        ) : (
          <>
            <ol class="opt-problem-list" aria-label="Answers the extension could not understand">
              {entries.map((entry) => (
                <li key={entry.id} class="opt-problem">
                  <dl>
                    <dt>Endpoint</dt>
                    <dd>
                      <code>{entry.endpoint}</code> (HTTP {entry.status})
                    </dd>
                    <dt>Time</dt>
                    <dd>
                      {formatTime(entry.at)}
                      {entry.count > 1 && ` (${entry.count} times since ${formatTime(entry.firstAt)})`}
                    </dd>
                    <dt>Expected</dt>
                    <dd>{entry.expected}</dd>
                    <dt>Answer (redacted{entry.bodyLength > entry.body.length ? `, ${entry.bodyLength} characters as received` : ''})</dt>
                    <dd>
                      {/* Focusable, so a long answer can be scrolled from the keyboard. */}
                      <pre class="opt-problem-body" tabIndex={0} aria-label={`Answer from ${entry.endpoint}, redacted`}>
                        {entry.body === '' ? '(empty)' : entry.body}
                      </pre>
                    </dd>
                  </dl>
                </li>
              ))}
            </ol>
            <div class="actions opt-start">
              <button type="button" onClick={() => void copy()} aria-describedby={error ? 'problems-error' : undefined}>
                Copy report
              </button>
              <button type="button" class="opt-danger-outline" disabled={busy} onClick={() => void clear()}>
                {busy ? 'Clearing…' : 'Clear'}
              </button>
            </div>
          </>
        )}
        <FieldError id="problems-error" message={error} />
        <p class="opt-notice" role="status">
          {notice}
        </p>
      </Section>
    </div>
  );
}
