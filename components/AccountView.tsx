import { formatAgo } from '@/utils/format';
import type { CachedAccount } from '@/utils/storage';

export interface AccountViewProps {
  account: CachedAccount | null;
  problem: { message: string } | null;
  now: number;
  onReplaceToken(): void;
  onSignOut(): void;
  onRetry(): void;
  /** Opens the options page (defaults, limits, autofill). */
  onOpenSettings?(): void;
}

/** Who is signed in, and any problem the background met with the account. */
export function AccountView({ account, problem, now, onReplaceToken, onSignOut, onRetry, onOpenSettings }: AccountViewProps) {
  return (
    <section class="card" aria-labelledby="account-title">
      <h2 id="account-title">Account</h2>
      {account ? (
        <dl class="facts">
          <dt>Name</dt>
          <dd>{account.name || '—'}</dd>
          <dt>Email</dt>
          <dd>{account.email || '—'}</dd>
          <dt>Checked</dt>
          <dd>{formatAgo(account.checkedAt, now)}</dd>
        </dl>
      ) : (
        <p class="hint">Account details are not known yet.</p>
      )}
      {problem && (
        <div class="error" role="alert">
          <p>{problem.message}</p>
          <button type="button" class="ghost" onClick={onRetry}>
            Retry
          </button>
        </div>
      )}
      <div class="actions">
        {onOpenSettings && (
          <button type="button" class="ghost" onClick={onOpenSettings}>
            Settings
          </button>
        )}
        <button type="button" class="ghost" onClick={onSignOut}>
          Sign out
        </button>
        <button type="button" onClick={onReplaceToken}>
          Replace token
        </button>
      </div>
    </section>
  );
}
