/**
 * The one way handlers fail: throw an ApiError and the HTTP layer turns it
 * into the canonical `{"status":"error", ...}` body with the given status.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: {
      /** Machine-readable cause of a 409, e.g. `too_early`. */
      reason?: string;
      /** Per-field validation messages of a 422. */
      errors?: Record<string, string[]>;
      /** Seconds until a retry may succeed (409 too_early). */
      retryAfterSeconds?: number;
      headers?: Record<string, string>;
    } = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** A 409 with a reason word. */
export function conflict(reason: string, message: string, retryAfterSeconds?: number): ApiError {
  if (retryAfterSeconds === undefined) return new ApiError(409, message, { reason });
  // Said twice, header and body, because clients differ in which one they read.
  return new ApiError(409, message, { reason, retryAfterSeconds, headers: { 'Retry-After': String(retryAfterSeconds) } });
}

/** The 404 every order lookup gives, whether the id is unknown or someone else's. */
export function orderNotFound(orderId: number): ApiError {
  return new ApiError(404, `Order ${orderId} was not found.`);
}
