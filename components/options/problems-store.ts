/**
 * The "Problems with Text2FA answers" section's state: the redacted answers
 * the background kept (read from storage, kept current by the caller's
 * watch), the plain-text report, and clearing (a request to the background,
 * which alone writes storage). Nothing here sends a report anywhere.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { MessageError, request, type SendMessage } from '@/utils/messaging';
import { formatProblemReport, type AnswerProblem } from '@/utils/text2fa/problems';
import type { Outcome } from './store';

export interface ProblemsState {
  /** False until storage has been read once. */
  loaded: boolean;
  /** Newest first, already redacted by the background. */
  entries: AnswerProblem[];
  load(): Promise<void>;
  /** Storage changed under the page. */
  stored(entries: AnswerProblem[]): void;
  /** The report as plain text, with the extension's and the browser's versions. */
  reportText(): string;
  /** Copies the report to the clipboard. */
  copy(): Promise<Outcome>;
  clear(): Promise<Outcome>;
}

export interface ProblemsStoreDeps {
  send: SendMessage;
  read(): Promise<AnswerProblem[]>;
  copyText(text: string): Promise<void>;
  /** The extension's version (from its manifest). */
  extensionVersion: string;
  /** The browser's name and version. */
  browser: string;
  now(): number;
}

/** Creates the section's store. */
export function createProblemsStore(deps: ProblemsStoreDeps): StoreApi<ProblemsState> {
  return createStore<ProblemsState>()((set, get) => ({
    loaded: false,
    entries: [],

    async load() {
      const entries = await deps.read().catch(() => []);
      set({ loaded: true, entries });
    },

    stored(entries) {
      set({ loaded: true, entries });
    },

    reportText() {
      return formatProblemReport(get().entries, { extensionVersion: deps.extensionVersion, browser: deps.browser, now: deps.now() });
    },

    async copy() {
      try {
        await deps.copyText(get().reportText());
        return { ok: true, value: null };
      } catch {
        return { ok: false, problem: { kind: 'clipboard', message: 'The browser did not let the extension copy. Select the answers below and copy them by hand.' } };
      }
    },

    async clear() {
      try {
        await request(deps.send, 'problems.clear', {});
        set({ entries: [] });
        return { ok: true, value: null };
      } catch (error) {
        const message = error instanceof MessageError ? error.message : 'Something went wrong. Please try again.';
        return { ok: false, problem: { kind: error instanceof MessageError ? error.kind : 'internal', message } };
      }
    },
  }));
}
