/**
 * "Text2FA can't be reached", said once. When the network is down every part
 * of the popup fails at once (the balance, the service list, the purchase,
 * the order check), and each used to say so in its own box. The popup now
 * shows one banner for all of them, and the boxes stay quiet about it.
 */
import { createContext } from 'preact';
import { useState } from 'preact/hooks';
import type { ErrorView } from '../stores/errors';
import { useEnv } from '../stores/env';
import type { PopupStores } from '../stores/popup';

/** Failures that mean Text2FA did not answer at all (not that it refused). */
export function isConnectionError(error: { kind: string } | null | undefined): boolean {
  return error?.kind === 'network' || error?.kind === 'timeout';
}

/** True inside a view whose connection problem is already on screen (the banner, or the offline notice). */
export const ConnectionShown = createContext(false);

/** The first failure among `errors` that is a connection problem. */
export function connectionProblem(errors: ReadonlyArray<ErrorView | { kind: string; message: string } | null | undefined>): ErrorView | null {
  return (errors.find((error) => isConnectionError(error)) as ErrorView | undefined) ?? null;
}

/**
 * Asks again whatever got no answer (the account, the site and its
 * services) and drops a purchase error that only said "no answer": that
 * purchase's fate shows on its order card.
 */
export async function askAgainWhatGotNoAnswer(stores: PopupStores): Promise<void> {
  const site = stores.site.getState();
  const session = stores.session.getState();
  if (isConnectionError(site.buyError)) stores.site.setState({ buyError: null });
  await Promise.all([
    isConnectionError(session.error) || isConnectionError(session.session?.problem) ? session.refresh() : null,
    isConnectionError(site.infoError) || isConnectionError(site.catalogError[site.pool]) ? site.reload() : null,
  ]);
}

/** The banner's "Try again": everything that got no answer, and the orders. */
export async function tryAgainEverywhere(stores: PopupStores): Promise<void> {
  await Promise.all([askAgainWhatGotNoAnswer(stores), stores.orders.getState().sync(true)]);
}

/** The banner's sentence: what is wrong, and that nothing is lost meanwhile. */
export function connectionSentence(error: { kind: string }): string {
  const what = error.kind === 'timeout' ? 'Text2FA is not answering right now.' : 'Text2FA could not be reached.';
  return `${what} Check your connection, then try again. Your orders are kept and checked again when it answers.`;
}

/** The one message for a Text2FA that does not answer, with one button that tries everything again. */
export function ConnectionBanner({ error, onRetry }: { error: ErrorView; onRetry(): Promise<void> }) {
  const env = useEnv();
  const [busy, setBusy] = useState(false);
  const [triedAt, setTriedAt] = useState<number | null>(null);
  return (
    <div class="error connection" role="alert" data-testid="connection">
      <p>
        {connectionSentence(error)}
        {triedAt !== null && ` Still no answer at ${new Date(triedAt).toLocaleTimeString()}.`}
      </p>
      <button
        type="button"
        class="ghost"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          void onRetry().finally(() => {
            setBusy(false);
            setTriedAt(env.now());
          });
        }}
      >
        {busy ? 'Trying…' : 'Try again'}
      </button>
    </div>
  );
}
