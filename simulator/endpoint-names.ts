/**
 * The 21 documented endpoints, by the name that follows `/api/v1/`. Shared by
 * the router, the request counters, the fault queue and the shape variants,
 * which must all agree on the same names.
 */
/** Where the endpoints live, as on the real service. */
export const API_PREFIX = '/api/v1';

export const ENDPOINTS = [
  { name: 'account-details', method: 'GET' },
  { name: 'services-s1', method: 'GET' },
  { name: 'us-states', method: 'GET' },
  { name: 'request-number-s1', method: 'POST' },
  { name: 'reuse-number-s1', method: 'POST' },
  { name: 'reject-number-s1', method: 'POST' },
  { name: 'number-details-s1', method: 'GET' },
  { name: 'reserved-list-s1', method: 'GET' },
  { name: 'services-s2', method: 'GET' },
  { name: 'request-number-s2', method: 'POST' },
  { name: 'reject-number-s2', method: 'POST' },
  { name: 'number-details-s2', method: 'GET' },
  { name: 'reserved-list-s2', method: 'GET' },
  { name: 'rental-service-list', method: 'GET' },
  { name: 'rental-states', method: 'GET' },
  { name: 'request-rental-number', method: 'POST' },
  { name: 'rental-reserve-list', method: 'GET' },
  { name: 'rental-message', method: 'GET' },
  { name: 'active-rental-numbers', method: 'GET' },
  { name: 'renew-rental', method: 'POST' },
  { name: 'cancel-rental', method: 'POST' },
] as const;

export type EndpointName = (typeof ENDPOINTS)[number]['name'];
export type HttpMethod = (typeof ENDPOINTS)[number]['method'];

export const ENDPOINT_NAMES: readonly EndpointName[] = ENDPOINTS.map((endpoint) => endpoint.name);

/** Narrows an arbitrary string to an endpoint name. */
export function isEndpointName(name: string): name is EndpointName {
  return (ENDPOINT_NAMES as readonly string[]).includes(name);
}

/** The endpoints that answer with a list of orders. */
export const ORDER_LIST_ENDPOINTS: ReadonlySet<EndpointName> = new Set<EndpointName>([
  'reserved-list-s1',
  'reserved-list-s2',
  'rental-reserve-list',
  'active-rental-numbers',
]);
