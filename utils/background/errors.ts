import type { ErrorInfo } from '../messaging';
import { isText2faError } from '../text2fa';
import { SessionError } from './session';
import { OrderError } from '../orders/engine';
import { ImportError } from '../export-file';

/**
 * Turns anything a handler threw into what crosses the message boundary.
 * Unknown errors get a generic sentence: their text could hold anything.
 */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (isText2faError(error)) {
    return {
      kind: error.kind,
      message: error.message,
      ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
      ...(error.fieldErrors !== undefined ? { fieldErrors: error.fieldErrors } : {}),
    };
  }
  if (error instanceof SessionError || error instanceof OrderError || error instanceof ImportError) {
    return { kind: error.kind, message: error.message };
  }
  return { kind: 'internal', message: 'Something went wrong inside the extension. Please try again.' };
}
