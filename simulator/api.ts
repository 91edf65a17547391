/**
 * The `/api/v1/*` side of the server: routing, authentication, parameter
 * parsing, faults and shapes around the endpoint handlers of routes.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimContext } from './context';
import { API_PREFIX, ENDPOINTS, isEndpointName, type EndpointName } from './endpoint-names';
import { ApiError } from './errors';
import { DEFAULT_RETRY_AFTER, PROCESSING_FAULTS, type AppliedFault } from './faults';
import { BodyTooLargeError, jsonReply, readBody, send, type Reply } from './http';
import type { JsonObject } from './json';
import { paramsFromJson, paramsFromSearch, type Params } from './params';
import { HANDLERS } from './routes';
import { shapeError, shapeSuccess } from './shapes';
import type { AccountRecord } from './state';

const HTML_ERROR_PAGE =
  '<!DOCTYPE html>\n<html>\n<head><title>502 Bad Gateway</title></head>\n<body>\n' +
  '<center><h1>502 Bad Gateway</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n';

/** Cut mid-value on purpose: the client must report it, not crash on it. */
const TRUNCATED_JSON = '{"status":"success","data":{"order_id":10';

function errorReply(ctx: SimContext, error: ApiError): Reply {
  const extra: JsonObject = {};
  if (error.details.reason !== undefined) extra.reason = error.details.reason;
  if (error.details.retryAfterSeconds !== undefined) extra.retry_after = error.details.retryAfterSeconds;
  if (error.details.errors !== undefined) extra.errors = error.details.errors;
  return jsonReply(error.status, shapeError(error.message, extra, ctx.shape), error.details.headers);
}

function authenticate(ctx: SimContext, header: string | undefined): AccountRecord {
  const value = header?.trim();
  if (!value) throw new ApiError(401, 'Unauthenticated: send your API token in the Authorization header.');
  const bearer = /^bearer\s+(\S+)$/i.exec(value);
  if (ctx.auth === 'raw' && /^bearer\s/i.test(value)) {
    throw new ApiError(401, 'Unauthenticated: send the raw API token in the Authorization header, without "Bearer".');
  }
  if (ctx.auth === 'bearer' && !bearer) {
    throw new ApiError(401, 'Unauthenticated: send "Bearer <token>" in the Authorization header.');
  }
  const token = bearer?.[1] ?? value;
  const account = ctx.state.accounts.get(token);
  if (!account) throw new ApiError(401, 'Unauthenticated: invalid API token.');
  return account;
}

/** Query parameters, overlaid for POST by the form or JSON body (as PHP frameworks merge them). */
function parseParams(req: IncomingMessage, url: URL, rawBody: string): Params {
  const params = paramsFromSearch(url.searchParams);
  if (req.method !== 'POST' || rawBody.trim() === '') return params;
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  const looksJson = type.includes('json') || (type === '' && /^\s*\{/.test(rawBody));
  if (looksJson) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(rawBody);
    } catch {
      throw new ApiError(400, 'The request body is not valid JSON.');
    }
    const fromJson = paramsFromJson(parsed);
    if (!fromJson) throw new ApiError(400, 'The JSON request body must be an object.');
    return { ...params, ...fromJson };
  }
  return { ...params, ...paramsFromSearch(new URLSearchParams(rawBody)) };
}

/** Runs the endpoint for real: authentication, parameters, business rules, shape. */
function processRequest(ctx: SimContext, name: EndpointName, req: IncomingMessage, url: URL, rawBody: string): Reply {
  try {
    const account = authenticate(ctx, req.headers.authorization);
    const params = parseParams(req, url, rawBody);
    const data = HANDLERS[name]({ state: ctx.state, clock: ctx.clock, account, params });
    return jsonReply(200, shapeSuccess(data, name, ctx.shape));
  } catch (error) {
    if (error instanceof ApiError) return errorReply(ctx, error);
    throw error;
  }
}

/** The answer a request-replacing fault gives instead of the real one. */
function faultReply(ctx: SimContext, applied: AppliedFault): Reply {
  const retryAfter = applied.retryAfter ?? (applied.fault === '429' ? DEFAULT_RETRY_AFTER : null);
  const headers = retryAfter !== null ? { 'Retry-After': retryAfter } : undefined;
  switch (applied.fault) {
    case '429':
      return jsonReply(429, shapeError('Too many requests. Please slow down.', {}, ctx.shape), headers);
    case '500':
      return jsonReply(500, shapeError('Server error.', {}, ctx.shape), headers);
    case '503':
      return jsonReply(503, shapeError('No numbers available right now.', {}, ctx.shape), headers);
    case 'malformed':
      return { status: 200, body: TRUNCATED_JSON, contentType: 'application/json', ...(headers ? { headers } : {}) };
    case 'html':
      return { status: 502, body: HTML_ERROR_PAGE, contentType: 'text/html; charset=utf-8', ...(headers ? { headers } : {}) };
    case 'empty':
      return { status: 200, body: '', contentType: 'application/json', ...(headers ? { headers } : {}) };
    case 'custom':
      // Whatever the test wants the client to meet, verbatim: an answer nobody has seen yet.
      return { status: applied.status ?? 200, body: applied.body ?? '', contentType: 'application/json', ...(headers ? { headers } : {}) };
    case 'error-200':
      // Deliberately canonical whatever the shape: this is the "200 that is really an error" case.
      return jsonReply(200, { status: 'error', message: 'The request could not be processed. Please try again later.' }, headers);
    default:
      throw new Error(`fault ${applied.fault} does not replace the answer`);
  }
}

/** Serves one request under `/api/v1/`. */
export async function handleApi(ctx: SimContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const name = url.pathname.slice(API_PREFIX.length + 1).replace(/\/+$/, '');
  if (!isEndpointName(name)) {
    send(res, jsonReply(404, shapeError(`Unknown endpoint: ${url.pathname}`, {}, ctx.shape)), ctx.clock.now());
    return;
  }
  ctx.counters.request(name);
  const endpoint = ENDPOINTS.find((candidate) => candidate.name === name);
  if (endpoint && req.method !== endpoint.method) {
    const reply = jsonReply(405, shapeError(`Method ${req.method ?? '?'} not allowed; use ${endpoint.method}.`, {}, ctx.shape), {
      Allow: endpoint.method,
    });
    send(res, reply, ctx.clock.now());
    return;
  }

  const fault = ctx.faults.take(name);
  if (fault?.fault === 'drop') {
    ctx.later(res, fault.delayMs, () => req.socket.destroy());
    return;
  }

  let rawBody: string;
  try {
    rawBody = await readBody(req);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    send(res, errorReply(ctx, new ApiError(413, 'The request body is too large.')), ctx.clock.now());
    return;
  }

  if (fault && !PROCESSING_FAULTS.has(fault.fault)) {
    ctx.later(res, fault.delayMs, () => send(res, faultReply(ctx, fault), ctx.clock.now()));
    return;
  }

  // The request takes effect now, even when its answer is then delayed or lost.
  const reply = processRequest(ctx, name, req, url, rawBody);
  if (fault?.fault === 'drop-after') {
    ctx.later(res, fault.delayMs, () => req.socket.destroy());
    return;
  }
  ctx.later(res, fault?.delayMs ?? 0, () => send(res, reply, ctx.clock.now()));
}
