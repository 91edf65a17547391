/**
 * The HTTP side of the Text2FA client: one method per documented endpoint,
 * each a request with a timeout whose answer goes through `interpretResponse`.
 * It imports nothing from the extension runtime, so it runs in the background
 * worker, in tests and in scripts alike; it logs nothing.
 */
import { createText2faError, defaultMessage, redactSecret, type Text2faError } from './errors';
import {
  normalizeAccount,
  normalizeOrder,
  normalizeOrderList,
  normalizeRefund,
  normalizeRegions,
  normalizeRenew,
  normalizeRentalServices,
  normalizeServices,
} from './normalize';
import { normalizeRentalMessages } from './messages';
import { unknownStatusWords, type UnreadableAnswer } from './problems';
import { interpretResponse } from './response';
import type {
  AuthForm,
  RequestNumberS1Params,
  RequestNumberS2Params,
  RequestRentalParams,
  Text2faClient,
  Text2faClientOptions,
  Text2faEndpoint,
} from './types';

/** The longest the client waits for one answer, and the default. */
export const MAX_TIMEOUT_MS = 15_000;

/** The production API. */
export const DEFAULT_BASE_URL = 'https://app.text2fa.com/api/v1';

type Params = Record<string, string>;

/**
 * Creates a client for the Text2FA API. Every method resolves to the
 * project's own types or rejects with a `Text2faError`; nothing else escapes.
 * The token travels only in the `Authorization` header and is redacted from
 * every error.
 */
export function createText2faClient(options: Text2faClientOptions): Text2faClient {
  const base = String(options.baseUrl ?? '').trim().replace(/\/+$/, '');
  if (base === '') throw new TypeError('createText2faClient: baseUrl is required');
  const token = typeof options.token === 'string' ? options.token.trim() : '';
  // Called through a wrapper: a bare `fetch` reference invoked without its
  // global as `this` throws "Illegal invocation" in browsers.
  const fetchImpl: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const now = options.now ?? Date.now;
  const timeoutMs = clampTimeout(options.timeoutMs);
  const onServerTime = options.onServerTime?.bind(options);
  const onAuthForm = options.onAuthForm?.bind(options);
  const onUnreadable = options.onUnreadable?.bind(options);
  let authForm: AuthForm = options.authForm === 'bearer' ? 'bearer' : 'raw';

  function fail(endpoint: Text2faEndpoint, init: Omit<Parameters<typeof createText2faError>[0], 'endpoint'>): Text2faError {
    return createText2faError({ ...init, endpoint }, token);
  }

  function invalid(endpoint: Text2faEndpoint, field: string, problem: string): Text2faError {
    return fail(endpoint, {
      kind: 'validation',
      status: null,
      message: `Cannot send this request: ${problem}.`,
      fieldErrors: { [field]: [problem] },
    });
  }

  async function call<T>(
    endpoint: Text2faEndpoint,
    method: 'GET' | 'POST',
    params: Params,
    decode: (payload: unknown) => T,
  ): Promise<T> {
    // A token that is empty or not a legal header value would make fetch throw
    // with the value in its message; refuse it before it gets there.
    if (token === '' || !/^[\x21-\x7e]+$/.test(token)) {
      throw fail(endpoint, {
        kind: 'unauthorized',
        status: null,
        message: 'No valid Text2FA API token is set. Add your token in the extension settings.',
      });
    }

    const query = new URLSearchParams(params).toString();
    const url = method === 'GET' && query !== '' ? `${base}/${endpoint}?${query}` : `${base}/${endpoint}`;
    const exchange = (form: AuthForm) => send(endpoint, url, method, method === 'POST' ? query : null, form);

    const tried = authForm;
    let answer = await exchange(tried);
    if (answer.status === 401) {
      // Both forms are documented somewhere. A 401 means the request was not
      // run (nothing bought), so one retry in the other form is safe.
      const other: AuthForm = tried === 'raw' ? 'bearer' : 'raw';
      answer = await exchange(other);
      if (acceptsCredentials(answer.status) && authForm !== other) {
        authForm = other;
        try {
          onAuthForm?.(other);
        } catch {
          // An observer's bug must not fail the request it observes.
        }
      }
    }
    const { status, body, retryAfter, arrivedAt } = answer;
    if (!onUnreadable) return interpretResponse({ endpoint, status, body, retryAfter }, decode, { now: arrivedAt, token });

    const report = (problem: Pick<UnreadableAnswer, 'kind' | 'detail' | 'statusWord'>) => {
      try {
        onUnreadable({ endpoint, status, body: redactSecret(body, token), ...problem });
      } catch {
        // An observer's bug must not fail the request it observes.
      }
    };
    const result = interpretResponse({ endpoint, status, body, retryAfter }, decode, {
      now: arrivedAt,
      token,
      onMalformed: (detail) => report({ kind: 'malformed', detail }),
    });
    for (const word of unknownStatusWords(result)) {
      report({ kind: 'unknown_status', detail: `the status word “${word}” is not one the extension knows`, statusWord: word });
    }
    return result;
  }

  /** One HTTP exchange under the timeout: the status, the body text and the headers the client reads. */
  async function send(endpoint: Text2faEndpoint, url: string, method: 'GET' | 'POST', body: string | null, form: AuthForm): Promise<Answer> {
    const headers: Record<string, string> = {
      Authorization: form === 'bearer' ? `Bearer ${token}` : token,
      Accept: 'application/json',
    };
    const init: RequestInit = { method, headers, credentials: 'omit', redirect: 'follow' };
    if (body !== null) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      init.body = body;
    }

    const controller = new AbortController();
    init.signal = controller.signal;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);

    const lost = (): Text2faError =>
      timedOut
        ? fail(endpoint, { kind: 'timeout', status: null, message: defaultMessage('timeout', { timeoutMs }) })
        : fail(endpoint, { kind: 'network', status: null, message: defaultMessage('network', {}) });

    try {
      let response: Response;
      try {
        response = await fetchImpl(url, init);
      } catch {
        // The rejection's own text is dropped on purpose: it is not for users
        // and may quote request details.
        throw lost();
      }
      const arrivedAt = now();
      const status = typeof response.status === 'number' ? response.status : 0;
      const dateHeader = readHeader(response, 'date');
      const retryAfter = readHeader(response, 'retry-after');
      if (dateHeader !== null && onServerTime) {
        const serverMs = Date.parse(dateHeader);
        if (Number.isFinite(serverMs)) {
          try {
            onServerTime(serverMs, arrivedAt);
          } catch {
            // An observer's bug must not fail the request it observes.
          }
        }
      }
      let text: string;
      try {
        // Still under the timeout: a server may send headers and then stall.
        text = await response.text();
      } catch {
        throw lost();
      }
      return { status, body: text, retryAfter, arrivedAt };
    } finally {
      clearTimeout(timer);
    }
  }

  function orderIdParam(endpoint: Text2faEndpoint, orderId: unknown): string {
    const id = typeof orderId === 'number' && Number.isFinite(orderId) ? String(orderId) : typeof orderId === 'string' ? orderId.trim() : '';
    if (id === '') throw invalid(endpoint, 'order_id', 'an order id is required');
    return id;
  }

  function serviceKeyParam(endpoint: Text2faEndpoint, key: unknown): string {
    const k = typeof key === 'string' ? key.trim() : '';
    if (k === '') throw invalid(endpoint, 'service_key', 'a service is required');
    return k;
  }

  function daysParam(endpoint: Text2faEndpoint, field: string, days: unknown): string {
    if (typeof days !== 'number' || !Number.isInteger(days) || days <= 0) {
      throw invalid(endpoint, field, 'the number of days must be a whole number above zero');
    }
    return String(days);
  }

  const get = <T>(endpoint: Text2faEndpoint, decode: (p: unknown) => T, params: Params = {}) =>
    call(endpoint, 'GET', params, decode);
  const post = <T>(endpoint: Text2faEndpoint, params: Params, decode: (p: unknown) => T) =>
    call(endpoint, 'POST', params, decode);

  // Each method validates before any I/O; async so that a bad argument
  // rejects rather than throws synchronously.
  return {
    accountDetails: async () => get('account-details', normalizeAccount),

    servicesS1: async () => get('services-s1', (p) => normalizeServices(p, 's1')),
    usStates: async () => get('us-states', normalizeRegions),
    requestNumberS1: async (params: RequestNumberS1Params) => {
      const e = 'request-number-s1';
      const form: Params = { service_key: serviceKeyParam(e, params?.serviceKey) };
      if (params.premium !== undefined) {
        if (typeof params.premium !== 'number' || !Number.isFinite(params.premium) || params.premium < 0) {
          throw invalid(e, 'request_premium', 'the premium must be a number of at least zero');
        }
        // Whole cents: 0.1 + 0.2 must not go out as 0.30000000000000004.
        form.request_premium = String(Math.round(params.premium * 100) / 100);
      }
      const state = typeof params.state === 'string' ? params.state.trim() : '';
      if (state !== '') form.state = state;
      return post(e, form, (p) => normalizeOrder(p, 's1', { requireNumber: true, defaultStatus: 'pending' }));
    },
    reuseNumberS1: async (orderId: string) => {
      const e = 'reuse-number-s1';
      return post(e, { order_id: orderIdParam(e, orderId) }, (p) =>
        normalizeOrder(p, 's1', { requireNumber: true, defaultStatus: 'pending' }),
      );
    },
    rejectNumberS1: async (orderId: string) => {
      const e = 'reject-number-s1';
      const id = orderIdParam(e, orderId);
      return post(e, { order_id: id }, (p) => normalizeRefund(p, id, 'rejected'));
    },
    numberDetailsS1: async (orderId: string) => {
      const e = 'number-details-s1';
      const id = orderIdParam(e, orderId);
      return get(e, (p) => normalizeOrder(p, 's1', { fallbackOrderId: id }), { order_id: id });
    },
    reservedListS1: async () => get('reserved-list-s1', (p) => normalizeOrderList(p, 's1')),

    servicesS2: async () => get('services-s2', (p) => normalizeServices(p, 's2')),
    requestNumberS2: async (params: RequestNumberS2Params) => {
      const e = 'request-number-s2';
      const key = serviceKeyParam(e, params?.serviceKey);
      // The documentation names `service_key`, the official sample sends `key`: send both.
      const form: Params = { key, service_key: key };
      const areas = Array.isArray(params.areas)
        ? params.areas.map((a) => (typeof a === 'string' ? a.trim() : '')).filter((a) => a !== '')
        : [];
      if (areas.length > 0) form.areas = areas.join(',');
      return post(e, form, (p) => normalizeOrder(p, 's2', { requireNumber: true, defaultStatus: 'pending' }));
    },
    rejectNumberS2: async (orderId: string) => {
      const e = 'reject-number-s2';
      const id = orderIdParam(e, orderId);
      return post(e, { order_id: id }, (p) => normalizeRefund(p, id, 'rejected'));
    },
    numberDetailsS2: async (orderId: string) => {
      const e = 'number-details-s2';
      const id = orderIdParam(e, orderId);
      return get(e, (p) => normalizeOrder(p, 's2', { fallbackOrderId: id }), { order_id: id });
    },
    reservedListS2: async () => get('reserved-list-s2', (p) => normalizeOrderList(p, 's2')),

    rentalServiceList: async () => get('rental-service-list', normalizeRentalServices),
    rentalStates: async () => get('rental-states', normalizeRegions),
    requestRentalNumber: async (params: RequestRentalParams) => {
      const e = 'request-rental-number';
      const form: Params = {
        service_key: serviceKeyParam(e, params?.serviceKey),
        duration: daysParam(e, 'duration', params.duration),
      };
      const state = typeof params.state === 'string' ? params.state.trim() : '';
      if (state !== '') form.state = state;
      return post(e, form, (p) => {
        const order = normalizeOrder(p, 'rental', { requireNumber: true, defaultStatus: 'active' });
        // The rental length is known even when the answer omits it.
        return order.duration === null ? { ...order, duration: params.duration } : order;
      });
    },
    rentalReserveList: async () => get('rental-reserve-list', (p) => normalizeOrderList(p, 'rental')),
    rentalMessage: async (orderId: string) => {
      const e = 'rental-message';
      const id = orderIdParam(e, orderId);
      return get(e, (p) => normalizeRentalMessages(p, id), { order_id: id });
    },
    activeRentalNumbers: async () => get('active-rental-numbers', (p) => normalizeOrderList(p, 'rental')),
    renewRental: async (orderId: string, additionalDays: number) => {
      const e = 'renew-rental';
      const id = orderIdParam(e, orderId);
      const days = daysParam(e, 'additional_days', additionalDays);
      return post(e, { order_id: id, additional_days: days }, (p) => normalizeRenew(p, id));
    },
    cancelRental: async (orderId: string) => {
      const e = 'cancel-rental';
      const id = orderIdParam(e, orderId);
      return post(e, { order_id: id }, (p) => normalizeRefund(p, id, 'cancelled'));
    },
  };
}

/** What one HTTP exchange gave. */
interface Answer {
  status: number;
  body: string;
  retryAfter: string | null;
  /** Local time the answer's headers arrived (epoch ms). */
  arrivedAt: number;
}

/**
 * True when an answer shows the server took the credentials: a success, or a
 * refusal only an authenticated request can get (balance, unknown order,
 * order state, validation). A 5xx or a rate limit proves nothing either way.
 */
function acceptsCredentials(status: number): boolean {
  return (status >= 200 && status < 300) || status === 402 || status === 404 || status === 409 || status === 422;
}

/** The effective timeout: the given one when it is a positive number, never above `MAX_TIMEOUT_MS`. */
export function clampTimeout(timeoutMs: number | undefined): number {
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) return MAX_TIMEOUT_MS;
  return Math.min(timeoutMs, MAX_TIMEOUT_MS);
}

function readHeader(response: Response, name: string): string | null {
  try {
    const v = response.headers?.get(name);
    return typeof v === 'string' ? v : null;
  } catch {
    return null;
  }
}
