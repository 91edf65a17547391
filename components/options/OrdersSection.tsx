import { useEffect, useState } from 'preact/hooks';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { SettingsPatch } from '@/utils/messaging';
import { CommitField, Section, Toggle, useSaver } from './fields';
import type { OptionsState } from './store';
import { numberText, parseRejectMinutes, parseRequestsPerMinute, parseSpendingLimit } from './validate';

/** What turning automatic reject on starts with, before the user picks a number. */
export const DEFAULT_REJECT_MINUTES = 15;
/** What turning the spending limit on starts with. */
export const DEFAULT_SPENDING_LIMIT = 10;

/** Remembers the last value of an optional setting, so turning it off and on again restores it. */
function useLastValue(value: number | null, fallback: number): number {
  const [last, setLast] = useState(value ?? fallback);
  useEffect(() => {
    if (value !== null) setLast(value);
  }, [value]);
  return last;
}

/** Automatic reject, spending limit, confirmations, notifications and the polling cap. */
export function OrdersSection({ store }: { store: StoreApi<OptionsState> }) {
  const settings = useStore(store, (s) => s.settings);
  const currency = useStore(store, (s) => s.account?.currency ?? 'USD');
  const saver = useSaver();
  const lastMinutes = useLastValue(settings.autoRejectMinutes, DEFAULT_REJECT_MINUTES);
  const lastLimit = useLastValue(settings.spendingLimit24h, DEFAULT_SPENDING_LIMIT);

  const update = (field: string, patch: SettingsPatch) => saver.save(field, () => store.getState().updateSettings(patch));
  const handlers = (field: string) => ({
    error: saver.errors[field],
    onInvalid: (message: string) => saver.refuse(field, message),
    onValid: () => saver.clear(field),
  });

  return (
    <Section id="orders" title="Orders and spending" phase={saver.phase}>
      <Toggle
        id="auto-reject"
        label="Reject numbers that get no SMS"
        hint="Rejecting gives the money back. Off: numbers wait until they expire or you reject them."
        checked={settings.autoRejectMinutes !== null}
        onChange={(on) => {
          saver.clear('autoRejectMinutes');
          void update('autoReject', { autoRejectMinutes: on ? lastMinutes : null });
        }}
        error={saver.errors.autoReject}
      />
      {settings.autoRejectMinutes !== null && (
        <div class="opt-nested">
          <CommitField<number>
            id="auto-reject-minutes"
            label="Reject after"
            size="short"
            inputMode="numeric"
            suffix="minutes"
            value={numberText(settings.autoRejectMinutes)}
            parse={parseRejectMinutes}
            format={String}
            changed={(value) => value !== settings.autoRejectMinutes}
            save={(value) => update('autoRejectMinutes', { autoRejectMinutes: value })}
            hint="From 1 to 1440 minutes after buying."
            {...handlers('autoRejectMinutes')}
          />
        </div>
      )}

      <Toggle
        id="spending-limit"
        label="Limit spending per 24 hours"
        hint="Purchases that would go over the limit are refused. Refunds count back."
        checked={settings.spendingLimit24h !== null}
        onChange={(on) => {
          saver.clear('spendingLimit24h');
          void update('spendingLimit', { spendingLimit24h: on ? lastLimit : null });
        }}
        error={saver.errors.spendingLimit}
      />
      {settings.spendingLimit24h !== null && (
        <div class="opt-nested">
          <CommitField<number>
            id="spending-limit-amount"
            label="Most to spend in any 24 hours"
            size="short"
            inputMode="decimal"
            suffix={currency}
            value={numberText(settings.spendingLimit24h)}
            parse={parseSpendingLimit}
            format={String}
            changed={(value) => value !== settings.spendingLimit24h}
            save={(value) => update('spendingLimit24h', { spendingLimit24h: value })}
            hint="From 0 to 100000."
            {...handlers('spendingLimit24h')}
          />
        </div>
      )}

      <Toggle
        id="confirm-before-buying"
        label="Ask before buying from a shortcut or the context menu"
        hint="The popup opens and waits for Enter. Off: the shortcut buys at once."
        checked={settings.confirmBeforeBuying}
        error={saver.errors.confirmBeforeBuying}
        onChange={(checked) => void update('confirmBeforeBuying', { confirmBeforeBuying: checked })}
      />
      <Toggle
        id="notifications"
        label="Show notifications"
        hint="When a code or message arrives, or a number has a problem."
        checked={settings.notifications}
        error={saver.errors.notifications}
        onChange={(checked) => void update('notifications', { notifications: checked })}
      />

      <details class="opt-advanced">
        <summary>Advanced</summary>
        <CommitField<number>
          id="max-requests"
          label="Most checking requests per minute"
          size="short"
          inputMode="numeric"
          suffix="per minute"
          value={String(settings.maxRequestsPerMinute)}
          parse={parseRequestsPerMinute}
          format={String}
          changed={(value) => value !== settings.maxRequestsPerMinute}
          save={(value) => update('maxRequests', { maxRequestsPerMinute: value })}
          hint="A cap on how often the extension asks Text2FA about your numbers, from 1 to 600. The default, 60, suits almost everyone; lower it if Text2FA says you are making too many requests."
          {...handlers('maxRequests')}
        />
      </details>
    </Section>
  );
}
