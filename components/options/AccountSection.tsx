import { useState } from 'preact/hooks';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import { formatMoney } from '@/utils/format';
import { checkToken } from '@/utils/input-rules';
import { Confirm, FieldError, describedBy, refocus, Section } from './fields';
import type { OptionsState, Problem } from './store';

const DASHBOARD_URL = 'https://app.text2fa.com';

/** What went wrong with a new token, and that the old one (if any) still works. */
export function tokenProblemMessage(problem: Problem, hadToken: boolean): string {
  const kept = hadToken ? ' Your current token is still in use.' : '';
  switch (problem.kind) {
    case 'unauthorized':
      return `Text2FA did not accept this token.${kept} Copy the token again from your dashboard and paste it here.`;
    case 'network':
      return `Text2FA could not be reached, so the token could not be checked.${kept} Check your connection, then try again.`;
    case 'timeout':
      return `Text2FA took too long to check the token.${kept} Try again in a moment.`;
    default:
      return `${problem.message}${kept}`;
  }
}

/** Who the token belongs to, a masked field to replace it, and removal with a confirmation. */
export function AccountSection({ store }: { store: StoreApi<OptionsState> }) {
  const session = useStore(store, (s) => s.session);
  const account = useStore(store, (s) => s.account);
  const sessionProblem = useStore(store, (s) => s.sessionProblem);
  const [token, setToken] = useState('');
  const [visible, setVisible] = useState(false);
  const [busy, setBusy] = useState<'saving' | 'removing' | null>(null);
  const [error, setError] = useState<string | undefined>(undefined);
  const [confirming, setConfirming] = useState(false);
  const [notice, setNotice] = useState('');

  // Until the background answers, a cached account means a token was set.
  const configured = session ? session.configured : account !== null;
  const known = session !== null || account !== null;
  const who = account ? `${account.name || 'your account'}${account.email ? ` (${account.email})` : ''}` : null;

  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    const checked = checkToken(token);
    if (!checked.ok) {
      setError(checked.message);
      setNotice('');
      return;
    }
    setBusy('saving');
    setError(undefined);
    setNotice('');
    const outcome = await store.getState().setToken(checked.value);
    setBusy(null);
    if (!outcome.ok) {
      setError(tokenProblemMessage(outcome.problem, configured));
      return;
    }
    setToken('');
    setVisible(false);
    const name = outcome.value.account?.name;
    setNotice(name ? `Token saved. Signed in as ${name}.` : 'Token saved.');
  }

  async function remove(): Promise<void> {
    setBusy('removing');
    const outcome = await store.getState().signOut();
    setBusy(null);
    setConfirming(false);
    if (outcome.ok) {
      setError(undefined);
      setNotice('Token removed. Add a token to buy numbers again.');
    } else {
      setNotice('');
      setError(`The token could not be removed: ${outcome.problem.message}`);
    }
    document.getElementById('token-input')?.focus();
  }

  return (
    <Section id="account" title="Account">
      {!known && !sessionProblem && <p class="hint">Checking whether a token is set…</p>}
      {sessionProblem && !known && (
        <div class="error" role="alert">
          <p>{sessionProblem.message}</p>
          <button type="button" onClick={() => void store.getState().loadSession()}>
            Try again
          </button>
        </div>
      )}
      {known &&
        (configured ? (
          <p data-testid="account-summary">
            {who ? (
              <>
                A token is set for <strong>{who}</strong>.
              </>
            ) : (
              'A token is set.'
            )}
            {account && <> Balance: {formatMoney(account.balance, account.currency)}.</>}
          </p>
        ) : (
          <p data-testid="account-summary">No token is set. Add your Text2FA API token to buy numbers.</p>
        ))}
      {configured && session?.problem && (
        <p class="error" role="alert">
          Text2FA reported a problem with this token: {session.problem.message}
        </p>
      )}

      <form class="opt-field" onSubmit={(event) => void submit(event)}>
        <label for="token-input">{configured ? 'New API token' : 'API token'}</label>
        <div class="row">
          <input
            id="token-input"
            // Preact's typings split input props by `type`; both values here take the same props.
            type={(visible ? 'text' : 'password') as 'text'}
            autoComplete="off"
            spellcheck={false}
            value={token}
            disabled={busy !== null}
            aria-invalid={error ? true : undefined}
            aria-describedby={describedBy('token-input', true, error)}
            onInput={(event) => setToken(event.currentTarget.value)}
          />
          <button type="button" class="ghost" aria-pressed={visible} onClick={() => setVisible(!visible)}>
            {visible ? 'Hide' : 'Show'}
          </button>
          <button type="submit" class="primary" disabled={busy !== null}>
            {busy === 'saving' ? 'Checking…' : configured ? 'Replace token' : 'Save token'}
          </button>
        </div>
        <p id="token-input-hint" class="hint opt-field-hint">
          Paste the token from your{' '}
          <a href={DASHBOARD_URL} target="_blank" rel="noreferrer">
            Text2FA dashboard
          </a>
          . Text2FA checks it before it {configured ? 'replaces the current one, which is never shown here' : 'is kept'}; it
          stays in this browser and is only sent to Text2FA.
        </p>
        <FieldError id="token-input-error" message={error} />
      </form>

      <p class="opt-notice" role="status">
        {notice}
      </p>

      {configured && !confirming && (
        <div class="actions opt-start">
          <button
            id="remove-token-trigger"
            type="button"
            class="opt-danger-outline"
            onClick={() => setConfirming(true)}
            disabled={busy !== null}
          >
            Remove token…
          </button>
        </div>
      )}
      {configured && confirming && (
        <Confirm
          id="remove-token"
          confirmLabel="Remove token"
          cancelLabel="Keep the token"
          busy={busy === 'removing'}
          onConfirm={() => void remove()}
          onCancel={() => {
            setConfirming(false);
            refocus('remove-token-trigger');
          }}
        >
          <p>
            <strong>Remove the token{who ? ` for ${who}` : ''}?</strong> Until a token is added, the extension can't buy
            numbers or check this account's orders for codes.
          </p>
          <p>
            Orders bought with it stay in this browser and are shown as belonging to another account. To manage them again,
            add the same token.
          </p>
        </Confirm>
      )}
    </Section>
  );
}
