/** Errors as the popup's views show them. */
import { MessageError } from '@/utils/messaging';

/** A failure in words the user can act on, with what a retry needs to know. */
export interface ErrorView {
  kind: string;
  message: string;
  retryAfterMs?: number;
  fieldErrors?: Record<string, string[]>;
}

/** Turns anything a request threw into an `ErrorView`; unknown errors get a generic sentence. */
export function toErrorView(error: unknown): ErrorView {
  if (error instanceof MessageError) {
    return {
      kind: error.kind,
      message: error.message,
      ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
      ...(error.fieldErrors !== undefined ? { fieldErrors: error.fieldErrors } : {}),
    };
  }
  return { kind: 'internal', message: 'Something went wrong. Please try again.' };
}
