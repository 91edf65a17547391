/** Small pieces the popup's views share: copy buttons, errors with a retry, countdowns. */
import type { ComponentChildren } from 'preact';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import { EnvContext, useEnv } from '../stores/env';
import type { ErrorView } from '../stores/errors';
import { ConnectionShown, isConnectionError } from './connection';

export const DASHBOARD_URL = 'https://app.text2fa.com';
/** The options page's list of answers the extension could not understand (an extension page: opens in a tab). */
export const PROBLEMS_PAGE = '/options.html#problems';

/** Copies `text`; says "Copied" (to screen readers too) for a moment after. */
export function CopyButton({ text, label, class: className }: { text: string; label: string; class?: string }) {
  const env = useEnv();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  return (
    <button
      type="button"
      class={className ?? 'copy'}
      aria-label={state === 'idle' ? `Copy ${label}` : undefined}
      onClick={() => {
        env.copyText(text).then(
          () => setState('copied'),
          () => setState('failed'),
        );
        clearTimeout(timer.current);
        timer.current = setTimeout(() => setState('idle'), 1500);
      }}
    >
      <span aria-live="polite">{state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy'}</span>
    </button>
  );
}

/** The sentence for an error: the background's own words, made actionable for the common kinds. */
export function errorSentence(error: ErrorView, online = true): string {
  switch (error.kind) {
    case 'network':
      return online
        ? 'Text2FA could not be reached. Check your connection, then try again.'
        : 'You are offline. Connect to the internet, then try again.';
    case 'timeout':
      return 'Text2FA took too long to answer. Try again in a moment.';
    case 'extension':
      return "The extension's background did not answer. Try again; if it keeps failing, reload the extension.";
    case 'rate_limited': {
      const seconds = error.retryAfterMs ? Math.ceil(error.retryAfterMs / 1000) : null;
      return `Text2FA asks to slow down.${seconds ? ` Try again in ${seconds} s.` : ' Try again shortly.'}`;
    }
    default:
      // A 422's message is already composed from its field errors (utils/text2fa/response.ts): adding them again said it twice.
      return error.message;
  }
}

/** Refusals that sending the same request again cannot change: the input itself must change. */
const NOT_RETRYABLE = new Set(['validation', 'bad_message', 'bad_token_format', 'spending_limit']);

/** Whether a Retry button can help with this error. */
export function retryHelps(error: ErrorView): boolean {
  return !NOT_RETRYABLE.has(error.kind);
}

/** An error inline, with a retry when one can help. */
export function ErrorNote({
  error,
  onRetry,
  retryLabel = 'Retry',
  busy = false,
  children,
}: {
  error: ErrorView;
  onRetry?: () => void;
  retryLabel?: string;
  busy?: boolean;
  children?: ComponentChildren;
}) {
  // Optional: the options page shows the service picker (and its errors) without the popup's environment.
  const env = useContext(EnvContext);
  // The banner above (or the offline notice) already says Text2FA can't be reached: once is enough.
  if (useContext(ConnectionShown) && isConnectionError(error)) return null;
  return (
    <div class="error" role="alert">
      <p>
        {errorSentence(error, env?.isOnline() ?? true)}
        {error.kind === 'spending_limit' && env && (
          <>
            {' '}
            <button type="button" class="link" onClick={() => env.openOptions('orders')}>
              Change it in the options
            </button>
          </>
        )}
        {error.kind === 'insufficient_balance' && (
          <>
            {' '}
            <a href={DASHBOARD_URL} target="_blank" rel="noreferrer">
              Top up
            </a>
          </>
        )}
        {error.kind === 'malformed' && (
          <>
            {' '}
            <a href={PROBLEMS_PAGE} target="_blank">
              See what Text2FA sent
            </a>
          </>
        )}
      </p>
      {children}
      {onRetry && retryHelps(error) && (
        <button type="button" class="ghost" onClick={onRetry} disabled={busy}>
          {retryLabel}
        </button>
      )}
    </div>
  );
}

/** Re-renders every `ms` with the env's clock; returns the current time. */
export function useNow(ms = 1000): number {
  const env = useEnv();
  const [now, setNow] = useState(env.now());
  useEffect(() => {
    const id = setInterval(() => setNow(env.now()), ms);
    return () => clearInterval(id);
  }, [env, ms]);
  return now;
}

/** Time left until `until`, ticking. Screen readers read it on demand, not every second. */
export function Countdown({ until, children }: { until: number; children: (left: number) => ComponentChildren }) {
  const now = useNow();
  return (
    <span class="countdown" role="timer">
      {children(until - now)}
    </span>
  );
}
