/**
 * The background's record of answers the client could not understand: each
 * one redacted and added to `answerProblemsItem` (the last 20), an unknown
 * status word only the first time it is seen. Writes go one at a time, so two
 * reports arriving together both land. Nothing here sends anything anywhere.
 */
import { addAnswerProblem, maskedStatusWord, type AnswerProblemLog, type UnreadableAnswer } from '../text2fa/problems';

/** Where the log is kept (`answerProblemsItem` in the extension; anything alike in tests). */
export interface ProblemStore {
  getValue(): Promise<AnswerProblemLog>;
  setValue(value: AnswerProblemLog): Promise<void>;
}

export type ProblemRecorder = ReturnType<typeof createProblemRecorder>;

/** Creates the recorder; `record` never throws and never waits for the caller. */
export function createProblemRecorder(deps: { store: ProblemStore; now(): number }) {
  let writes: Promise<unknown> = Promise.resolve();
  // Unknown status words already reported, so a poll that repeats one costs no storage read.
  let reportedWords: Set<string> | null = null;

  function queue<T>(task: () => Promise<T>): Promise<T> {
    const run = writes.then(task);
    writes = run.catch(() => undefined);
    return run;
  }

  return {
    /** Adds one unreadable answer to the log (redacted there). */
    record(answer: UnreadableAnswer): void {
      if (answer.kind === 'unknown_status' && reportedWords?.has(maskedStatusWord(answer.statusWord ?? ''))) return;
      void queue(async () => {
        const log = await deps.store.getValue();
        reportedWords = new Set(log.statusWords);
        const next = addAnswerProblem(log, answer, deps.now());
        if (next === null) return;
        await deps.store.setValue(next);
        reportedWords = new Set(next.statusWords);
      }).catch(() => undefined);
    },

    /** Empties the list. Status words stay reported: the same word is not added again. */
    clear(): Promise<void> {
      return queue(async () => {
        const log = await deps.store.getValue();
        await deps.store.setValue({ entries: [], statusWords: log.statusWords });
      });
    },

    /** Resolves once every report made so far is stored (for tests and shutdown). */
    settled(): Promise<void> {
      return queue(async () => undefined);
    },
  };
}
