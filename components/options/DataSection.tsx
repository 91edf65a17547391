import { useState } from 'preact/hooks';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import { Confirm, describedBy, FieldError, refocus, Section } from './fields';
import { exportFileName } from './download';
import type { OptionsState, Problem } from './store';

export interface DataSectionProps {
  store: StoreApi<OptionsState>;
  /** Hands the export to the browser as a download. */
  saveFile(name: string, text: string): void;
  now?: () => Date;
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** A file's text as the bundle to import, or why it can't be one (without asking the background). */
export function readBundle(text: string): { ok: true; bundle: Record<string, unknown> } | { ok: false; message: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, message: 'This file is not a Text2FA extension export: it is not a JSON file.' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, message: 'This file is not a Text2FA extension export.' };
  }
  return { ok: true, bundle: value as Record<string, unknown> };
}

/**
 * What an import refusal says. The background validates the whole file before
 * writing anything, so its `bad_import` reasons mean nothing changed.
 */
export function importProblemMessage(problem: Problem): string {
  if (problem.kind === 'bad_import') return `${problem.message} Nothing was changed.`;
  // The background gives no reason (its error mapping drops the import's); say what usually causes it.
  if (problem.kind === 'internal') {
    return 'The extension could not import this file and gave no reason. Check that it is a file made by Export and not edited, then try again.';
  }
  return `The file could not be imported: ${problem.message}`;
}

/** Export, import and clearing the history. */
export function DataSection({ store, saveFile, now = () => new Date() }: DataSectionProps) {
  const historyCount = useStore(store, (s) => s.historyCount);
  const [busy, setBusy] = useState<'export' | 'import' | 'clear' | null>(null);
  const [notice, setNotice] = useState('');
  const [errors, setErrors] = useState<{ export?: string; import?: string; clear?: string }>({});
  const [pendingImport, setPendingImport] = useState<{ name: string; bundle: Record<string, unknown> } | null>(null);
  const [confirmingClear, setConfirmingClear] = useState(false);

  async function exportData(): Promise<void> {
    setBusy('export');
    setNotice('');
    const outcome = await store.getState().exportData();
    setBusy(null);
    if (!outcome.ok) {
      setErrors({ export: `The export could not be made: ${outcome.problem.message}` });
      return;
    }
    const name = exportFileName(now());
    saveFile(name, `${JSON.stringify(outcome.value, null, 2)}\n`);
    setErrors({});
    setNotice(`Exported to ${name} (settings, ${plural(Object.keys(outcome.value.serviceChoices).length, 'site choice', 'site choices')}, ${plural(outcome.value.history.length, 'history order', 'history orders')}; never the token).`);
  }

  async function chooseFile(input: HTMLInputElement): Promise<void> {
    const file = input.files?.[0];
    // Cleared so that choosing the same file again is noticed.
    input.value = '';
    if (!file) return;
    setNotice('');
    setErrors({});
    const read = readBundle(await file.text());
    if (!read.ok) {
      setErrors({ import: `${read.message} Nothing was changed.` });
      return;
    }
    setPendingImport({ name: file.name, bundle: read.bundle });
  }

  async function importData(): Promise<void> {
    if (!pendingImport) return;
    setBusy('import');
    const outcome = await store.getState().importData(pendingImport.bundle);
    setBusy(null);
    setPendingImport(null);
    refocus('import-file');
    if (!outcome.ok) {
      setErrors({ import: importProblemMessage(outcome.problem) });
      return;
    }
    setNotice(
      `Imported settings, ${plural(outcome.value.choices, 'site choice', 'site choices')} and ${plural(outcome.value.orders, 'history order', 'history orders')} from ${pendingImport.name}.`,
    );
  }

  async function clearHistory(): Promise<void> {
    setBusy('clear');
    const outcome = await store.getState().clearHistory();
    setBusy(null);
    setConfirmingClear(false);
    if (!outcome.ok) {
      setErrors({ clear: `The history could not be cleared: ${outcome.problem.message}` });
      refocus('clear-history-trigger');
      return;
    }
    setErrors({});
    setNotice('History cleared.');
    refocus('data-title');
  }

  return (
    <Section id="data" title="Your data" intro="Everything here stays in this browser. Exports never include your API token.">
      <div class="opt-field">
        <h3>Export</h3>
        <p class="hint" id="export-hint">
          Settings, services chosen per site and the order history, as one JSON file.
        </p>
        <button
          type="button"
          onClick={() => void exportData()}
          disabled={busy !== null}
          aria-describedby={describedBy('export', true, errors.export)}
        >
          {busy === 'export' ? 'Exporting…' : 'Export to a file'}
        </button>
        <FieldError id="export-error" message={errors.export} />
      </div>

      <div class="opt-field">
        <h3>Import</h3>
        <label for="import-file">Import from a file</label>
        <input
          id="import-file"
          type="file"
          accept="application/json,.json"
          disabled={busy !== null || pendingImport !== null}
          aria-invalid={errors.import ? true : undefined}
          aria-describedby={describedBy('import-file', true, errors.import)}
          onChange={(event) => void chooseFile(event.currentTarget)}
        />
        <p id="import-file-hint" class="hint opt-field-hint">
          A file made by Export. It replaces your settings, site choices and history, or changes nothing if anything in it
          is wrong.
        </p>
        <FieldError id="import-file-error" message={errors.import} />
        {pendingImport && (
          <Confirm
            id="confirm-import"
            confirmLabel="Replace with this file"
            cancelLabel="Cancel"
            busy={busy === 'import'}
            onConfirm={() => void importData()}
            onCancel={() => {
              setPendingImport(null);
              refocus('import-file');
            }}
          >
            <p>
              <strong>Replace your settings, site choices and order history with those in {pendingImport.name}?</strong>{' '}
              Your token and the numbers you are using now are not affected.
            </p>
          </Confirm>
        )}
      </div>

      <div class="opt-field">
        <h3>History</h3>
        <p id="history-count">
          {historyCount === 0
            ? 'The history is empty.'
            : `${plural(historyCount, 'finished order is', 'finished orders are')} kept in the history.`}
        </p>
        {historyCount > 0 && !confirmingClear && (
          <button
            id="clear-history-trigger"
            type="button"
            class="opt-danger-outline"
            disabled={busy !== null}
            aria-describedby={errors.clear ? 'clear-history-error' : undefined}
            onClick={() => setConfirmingClear(true)}
          >
            Clear history…
          </button>
        )}
        {confirmingClear && (
          <Confirm
            id="confirm-clear"
            confirmLabel="Clear history"
            cancelLabel="Keep the history"
            busy={busy === 'clear'}
            onConfirm={() => void clearHistory()}
            onCancel={() => {
              setConfirmingClear(false);
              refocus('clear-history-trigger');
            }}
          >
            <p>
              <strong>Delete {plural(historyCount, 'finished order', 'finished orders')} from the history?</strong> Numbers
              you are using now are not affected. This can't be undone: export first to keep a copy.
            </p>
          </Confirm>
        )}
        <FieldError id="clear-history-error" message={errors.clear} />
      </div>

      <p class="opt-notice" role="status">
        {notice}
      </p>
    </Section>
  );
}
