import { useRef, useState } from 'preact/hooks';
import { checkToken } from '@/utils/input-rules';

const DASHBOARD_URL = 'https://app.text2fa.com';

/** Sentences for the failures a user can act on while pasting a token. */
function setupMessage(error: { kind: string; message: string }): string {
  switch (error.kind) {
    case 'unauthorized':
      return 'Text2FA did not accept this token. Copy it again from your dashboard and paste it here.';
    case 'network':
      return 'Text2FA could not be reached. Check your connection, then try again.';
    case 'timeout':
      return 'Text2FA took too long to answer. Try again in a moment.';
    default:
      return error.message;
  }
}

export interface SetupViewProps {
  busy: boolean;
  error: { kind: string; message: string } | null;
  /** Whether a working token is already stored (then the view offers Cancel). */
  replacing: boolean;
  onSubmit(token: string): void;
  onCancel?(): void;
}

/** Paste a token; the background checks it against account-details before keeping it. */
export function SetupView({ busy, error, replacing, onSubmit, onCancel }: SetupViewProps) {
  const [token, setToken] = useState('');
  const [visible, setVisible] = useState(false);
  // What is wrong with the pasted text, found before anything is sent; cleared as the user edits.
  const [local, setLocal] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const shown = local ?? (error ? setupMessage(error) : null);

  return (
    <form
      class="card setup"
      aria-labelledby="setup-title"
      onSubmit={(event) => {
        event.preventDefault();
        const checked = checkToken(token);
        if (!checked.ok) {
          setLocal(checked.message);
          input.current?.focus();
          return;
        }
        onSubmit(checked.value);
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && onCancel) onCancel();
      }}
    >
      <h2 id="setup-title">{replacing ? 'Replace your API token' : 'Connect your Text2FA account'}</h2>
      <p class="hint">
        Paste the API token from your{' '}
        <a href={DASHBOARD_URL} target="_blank" rel="noreferrer">
          Text2FA dashboard
        </a>
        . It stays in this browser and is only ever sent to Text2FA.
      </p>
      <label for="token-input">API token</label>
      <div class="row">
        <input
          id="token-input"
          ref={input}
          // Preact's typings split input props by `type`; both values here take the same props.
          type={(visible ? 'text' : 'password') as 'text'}
          autoComplete="off"
          spellcheck={false}
          value={token}
          disabled={busy}
          aria-invalid={shown ? true : undefined}
          aria-describedby={shown ? 'setup-error' : undefined}
          onInput={(event) => {
            setToken(event.currentTarget.value);
            setLocal(null);
          }}
          autoFocus
        />
        <button type="button" class="ghost" aria-pressed={visible} onClick={() => setVisible(!visible)}>
          {visible ? 'Hide' : 'Show'}
        </button>
      </div>
      {shown && (
        <p id="setup-error" class="error" role="alert">
          {shown}
        </p>
      )}
      <div class="actions">
        {onCancel && (
          <button type="button" class="ghost" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Checking…' : 'Save token'}
        </button>
      </div>
    </form>
  );
}
