import { useRef, useState } from 'preact/hooks';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import { Confirm, describedBy, FieldError, refocus, Section } from './fields';
import { exportFileName } from './download';
import { ImportError, MAX_IMPORT_BYTES, parseImport } from '@/utils/export-file';
import { choiceRows } from '@/utils/choices';
import type { OptionsState, Problem } from './store';

export interface DataSectionProps {
  store: StoreApi<OptionsState>;
  /** Hands the export to the browser as a download. */
  saveFile(name: string, text: string): void;
  now?: () => Date;
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** A chosen file checked in full, as the background will check it: what it holds, or why it can't be imported. */
export type CheckedImport =
  | { ok: true; bundle: Record<string, unknown>; choices: number; orders: number }
  | { ok: false; message: string };

/** Checks a file's text before anything is asked or sent: JSON, then every part of the export (see `parseImport`). */
export function readBundle(text: string): CheckedImport {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, message: 'This file is not a Text2FA extension export: it is not a JSON file.' };
  }
  try {
    const parsed = parseImport(value);
    return { ok: true, bundle: value as Record<string, unknown>, choices: choiceRows(parsed.serviceChoices).length, orders: parsed.history.length };
  } catch (error) {
    if (error instanceof ImportError) return { ok: false, message: error.message };
    throw error;
  }
}

/** A file size as people read it: 512 KB, 10 MB, 20.5 MB. */
function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB` : `${Math.ceil(bytes / 1024)} KB`;
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
  const [pendingImport, setPendingImport] = useState<{ name: string; bundle: Record<string, unknown>; choices: number; orders: number } | null>(null);
  const latestChoice = useRef(0);
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
    setNotice(`Exported to ${name} (settings, ${plural(choiceRows(outcome.value.serviceChoices).length, 'site choice', 'site choices')}, ${plural(outcome.value.history.length, 'history order', 'history orders')}; never the token).`);
  }

  async function chooseFile(input: HTMLInputElement): Promise<void> {
    const file = input.files?.[0];
    // Cleared so that choosing the same file again is noticed.
    input.value = '';
    // A new choice replaces whatever the last one left: its confirmation, its error, its notice.
    const choice = ++latestChoice.current;
    setPendingImport(null);
    setNotice('');
    setErrors({});
    if (!file) return;
    if (file.size > MAX_IMPORT_BYTES) {
      setErrors({
        import: `${file.name} is ${formatSize(file.size)}; exports are far smaller, so files over ${formatSize(MAX_IMPORT_BYTES)} are not read. Nothing was changed.`,
      });
      return;
    }
    const checked = readBundle(await file.text());
    // Another file was chosen while this one was read: that one counts.
    if (choice !== latestChoice.current) return;
    if (!checked.ok) {
      setErrors({ import: `${checked.message} Nothing was changed.` });
      return;
    }
    setPendingImport({ name: file.name, bundle: checked.bundle, choices: checked.choices, orders: checked.orders });
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
        {/* The label is the heading: a separate "Import" above "Import from a file" said it twice (issue 18). */}
        <label for="import-file" class="opt-subheading">
          Import from a file
        </label>
        <input
          id="import-file"
          type="file"
          accept="application/json,.json"
          disabled={busy !== null}
          aria-invalid={errors.import ? true : undefined}
          aria-describedby={describedBy('import-file', true, errors.import)}
          onChange={(event) => void chooseFile(event.currentTarget)}
        />
        <p id="import-file-hint" class="hint opt-field-hint">
          A file made by Export (at most {formatSize(MAX_IMPORT_BYTES)}). It is checked first; it replaces your settings, site
          choices and history, or changes nothing if anything in it is wrong.
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
              It holds {plural(pendingImport.choices, 'site choice', 'site choices')} and{' '}
              {plural(pendingImport.orders, 'history order', 'history orders')}. Your token and the numbers you are using now are
              not affected.
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
