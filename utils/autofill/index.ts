/**
 * Finds and fills one-time-code and phone fields in any page. Pure DOM: no extension APIs, no
 * globals (the document is a parameter), so it runs in a content script's isolated world, in
 * the page's main world, in happy-dom tests and in benchmarks alike.
 */
export { fillOtpCode, findOtpTarget } from './otp';
export { fillPhoneNumber, findPhoneField } from './phone';
export type { FillFailure, FillMethod, FillOptions, FillResult, OtpTarget, RectLike } from './types';
