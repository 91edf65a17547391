import { useLayoutEffect } from 'preact/hooks';
import { formatMoney } from '@/utils/format';
import type { CachedAccount } from '@/utils/storage';

export interface BalanceBarProps {
  account: CachedAccount | null;
  refreshing: boolean;
  onRefresh?(): void;
}

/** Marks the moment the popup first shows a balance (the benchmark's `popupFirstRenderMs`). */
export const FIRST_RENDER_MARK = 't2fa:first-balance';

/** The header: product name and, once known, the balance with a refresh button. */
export function BalanceBar({ account, refreshing, onRefresh }: BalanceBarProps) {
  useLayoutEffect(() => {
    if (account && performance.getEntriesByName(FIRST_RENDER_MARK).length === 0) performance.mark(FIRST_RENDER_MARK);
  }, [account]);
  return (
    <header class="bar">
      <h1 class="brand">Text2FA</h1>
      {account && (
        <div class="balance" aria-live="polite">
          <span class="label">Balance</span>{' '}
          <strong data-testid="balance">{formatMoney(account.balance, account.currency)}</strong>
          {onRefresh && (
            <button
              type="button"
              class="icon"
              onClick={onRefresh}
              disabled={refreshing}
              aria-label="Refresh balance"
              title="Refresh balance"
            >
              ↻
            </button>
          )}
        </div>
      )}
    </header>
  );
}
