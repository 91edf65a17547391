/**
 * The Text2FA API client: `createText2faClient` plus the types it returns,
 * the error it throws and helpers to describe and classify that error.
 * Nothing here touches the extension runtime.
 */
export { createText2faClient, clampTimeout, DEFAULT_BASE_URL, MAX_TIMEOUT_MS } from './client';
export {
  Text2faError,
  createText2faError,
  describeError,
  errorKind,
  isRetryable,
  isText2faError,
  isText2faErrorJSON,
  redactSecret,
  BODY_SNIPPET_LENGTH,
  type Text2faErrorInit,
  type Text2faErrorJSON,
} from './errors';
export {
  ShapeError,
  normalizeAccount,
  normalizeOrder,
  normalizeOrderList,
  normalizeRefund,
  normalizeRegions,
  normalizeRenew,
  normalizeRentalServices,
  normalizeServices,
  normalizeStatus,
  isAwaitingCode,
  toNumber,
  toTimestamp,
  type OrderReadOptions,
} from './normalize';
export { normalizeRentalMessages } from './messages';
export { interpretResponse, parseBody, parseRetryAfter, type RawResponse } from './response';
export {
  PROBLEM_LIMIT,
  addAnswerProblem,
  browserFromUserAgent,
  formatProblemReport,
  toAnswerProblem,
  unknownStatusWords,
  type AnswerProblem,
  type AnswerProblemKind,
  type AnswerProblemLog,
  type ReportContext,
  type UnreadableAnswer,
} from './problems';
export { redactAnswer, maskPhoneNumbers, maskProse, maskSmsText, type RedactOptions } from './redact';
export type * from './types';
