/**
 * Request parameters and their validation. Messages follow the wording of a
 * typical Laravel API ("The service key field is required.") because that is
 * what a PHP service of this kind most likely sends, and all problems of one
 * request are reported together, as such a server would.
 */
import { ApiError } from './errors';
import { parseAmount } from './money';

/** Flat string parameters, whether they came from a query, a form or JSON. */
export type Params = Record<string, string>;

/** Turns a parsed JSON body into flat string params; arrays become comma lists (`areas: ["610"]`). */
export function paramsFromJson(value: unknown): Params | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const out: Params = {};
  for (const [key, raw] of Object.entries(value)) {
    if (raw === null || raw === undefined) continue;
    if (Array.isArray(raw)) out[key] = raw.map((item) => String(item)).join(',');
    else if (typeof raw === 'object') out[key] = JSON.stringify(raw);
    else out[key] = String(raw);
  }
  return out;
}

/** Parameters from a URL query or a form body; a repeated name keeps its last value. */
export function paramsFromSearch(search: URLSearchParams): Params {
  const out: Params = {};
  for (const [key, value] of search) out[key] = value;
  return out;
}

/** "service_key" → "service key", as the messages name fields. */
function label(field: string): string {
  return field.replace(/_/g, ' ');
}

/** Collects the field errors of one request and throws them together as one 422. */
export class Validator {
  private readonly errors: Record<string, string[]> = {};

  constructor(private readonly params: Params) {}

  /** A trimmed value; empty strings count as absent, as form posts send them. */
  optional(field: string): string | undefined {
    const value = this.params[field]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  required(field: string): string | undefined {
    const value = this.optional(field);
    if (value === undefined) this.fail(field, `The ${label(field)} field is required.`);
    return value;
  }

  /** A whole number in [min, max]; records why when it is not. */
  integer(field: string, options: { required: boolean; min: number; max: number }): number | undefined {
    const raw = options.required ? this.required(field) : this.optional(field);
    if (raw === undefined) return undefined;
    if (!/^-?\d+$/.test(raw)) {
      this.fail(field, `The ${label(field)} must be an integer.`);
      return undefined;
    }
    const value = Number(raw);
    if (value < options.min) {
      this.fail(field, `The ${label(field)} must be at least ${options.min}.`);
      return undefined;
    }
    if (value > options.max) {
      this.fail(field, `The ${label(field)} may not be greater than ${options.max}.`);
      return undefined;
    }
    return value;
  }

  /** A required positive order id. */
  orderId(): number | undefined {
    return this.integer('order_id', { required: true, min: 1, max: Number.MAX_SAFE_INTEGER });
  }

  /** An optional amount of money in cents, at most `maxCents`. */
  amount(field: string, maxCents: number): number | undefined {
    const raw = this.optional(field);
    if (raw === undefined) return undefined;
    const cents = parseAmount(raw);
    if (cents === null) {
      this.fail(field, `The ${label(field)} must be a non-negative amount with at most two decimals.`);
      return undefined;
    }
    if (cents > maxCents) {
      this.fail(field, `The ${label(field)} may not be greater than ${(maxCents / 100).toFixed(2)}.`);
      return undefined;
    }
    return cents;
  }

  fail(field: string, message: string): void {
    (this.errors[field] ??= []).push(message);
  }

  /** Throws the 422 when anything failed; call once every field has been looked at. */
  done(): void {
    const fields = Object.keys(this.errors);
    const first = fields[0];
    if (first === undefined) return;
    const firstMessage = this.errors[first]?.[0] ?? 'The given data was invalid.';
    const others = fields.reduce((n, field) => n + (this.errors[field]?.length ?? 0), 0) - 1;
    const message = others > 0 ? `${firstMessage} (and ${others} more error${others > 1 ? 's' : ''})` : firstMessage;
    throw new ApiError(422, message, { errors: this.errors });
  }
}

/**
 * Narrows a value that `Validator.done()` has vouched for: once done() has
 * not thrown, every required field is present, so reaching the throw here
 * would be a bug in the simulator, not in the request.
 */
export function validated<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('a validated parameter is missing');
  return value;
}
