/**
 * The 21 API endpoints: each validates its parameters, asks the state to act
 * and returns the canonical `data` payload. Shapes, envelopes, faults and
 * HTTP details are applied around these handlers, never inside them.
 */
import { CATALOGUE, RENTAL_STATES, US_STATES, findRegion, type CatalogueService } from './catalogue';
import type { SimClock } from './clock';
import { iso } from './clock';
import type { EndpointName } from './endpoint-names';
import type { Json, JsonObject } from './json';
import { formatCents } from './money';
import { detailView, isLive, messageView, purchaseView, statusAt, type Order } from './orders';
import { Validator, validated, type Params } from './params';
import type { AccountRecord, RefundOutcome, SimState } from './state';

export interface HandlerContext {
  state: SimState;
  clock: SimClock;
  account: AccountRecord;
  params: Params;
}

type Handler = (ctx: HandlerContext) => Json;

/** Largest premium a buyer may bid on top of an S1 price. */
const MAX_PREMIUM_CENTS = 5000;
const MAX_RENEW_DAYS = 365;
const MAX_AREAS = 10;

function serviceRows(ctx: HandlerContext, services: readonly CatalogueService[]): Json {
  return services.map((service) => ({
    service_key: service.key,
    name: service.name,
    price: formatCents(service.priceCents),
    available: ctx.state.stockOf(service),
  }));
}

function refundView(outcome: RefundOutcome, now: number): JsonObject {
  return {
    order_id: outcome.order.id,
    status: statusAt(outcome.order, now),
    refund: formatCents(outcome.refundCents),
    balance: formatCents(outcome.balanceCents),
  };
}

function orderIdOnly(ctx: HandlerContext): number {
  const v = new Validator(ctx.params);
  const id = v.orderId();
  v.done();
  return validated(id);
}

function details(ctx: HandlerContext, pool: Order['pool']): Json {
  return detailView(ctx.state.ownOrder(ctx.account, pool, orderIdOnly(ctx)), ctx.clock.now());
}

function liveList(ctx: HandlerContext, pool: 's1' | 's2'): Json {
  const now = ctx.clock.now();
  return ctx.state
    .ordersOf(ctx.account, pool)
    .filter((order) => isLive(order, now))
    .map((order) => detailView(order, now));
}

/** Resolves a service key within a pool, recording a 422 when it is missing or unknown. */
function serviceParam(v: Validator, field: string, value: string | undefined, pool: 's1' | 's2'): CatalogueService | undefined {
  if (value === undefined) return undefined;
  const service = CATALOGUE.find(pool, value);
  if (!service) v.fail(field, `The selected ${field.replace(/_/g, ' ')} is invalid.`);
  return service;
}

export const HANDLERS: Readonly<Record<EndpointName, Handler>> = {
  'account-details': (ctx) => ({
    name: ctx.account.name,
    email: ctx.account.email,
    balance: formatCents(ctx.account.balanceCents),
    currency: 'USD',
  }),

  'services-s1': (ctx) => serviceRows(ctx, CATALOGUE.s1),

  'us-states': () => US_STATES.map((state) => ({ code: state.code, name: state.name })),

  'request-number-s1': (ctx) => {
    const v = new Validator(ctx.params);
    const service = serviceParam(v, 'service_key', v.required('service_key'), 's1');
    const premium = v.amount('request_premium', MAX_PREMIUM_CENTS);
    const stateCode = v.optional('state');
    const region = stateCode === undefined ? undefined : findRegion(US_STATES, stateCode);
    if (stateCode !== undefined && !region) v.fail('state', 'The selected state is invalid.');
    v.done();
    const order = ctx.state.buyS1(ctx.account, validated(service), premium ?? 0, region);
    return purchaseView(order, ctx.clock.now());
  },

  'reuse-number-s1': (ctx) => purchaseView(ctx.state.reuseS1(ctx.account, orderIdOnly(ctx)), ctx.clock.now()),

  'reject-number-s1': (ctx) => refundView(ctx.state.reject(ctx.account, 's1', orderIdOnly(ctx)), ctx.clock.now()),

  'number-details-s1': (ctx) => details(ctx, 's1'),

  'reserved-list-s1': (ctx) => liveList(ctx, 's1'),

  'services-s2': (ctx) => serviceRows(ctx, CATALOGUE.s2),

  'request-number-s2': (ctx) => {
    const v = new Validator(ctx.params);
    // The docs name `service_key`, the official sample sends `key`: accept either, or both when they agree.
    const key = v.optional('key');
    const serviceKey = v.optional('service_key');
    let service: CatalogueService | undefined;
    if (key === undefined && serviceKey === undefined) {
      v.fail('service_key', 'The service key field is required.');
    } else if (key !== undefined && serviceKey !== undefined && key !== serviceKey) {
      v.fail('service_key', 'The service key and key fields must match.');
    } else {
      service = serviceParam(v, serviceKey !== undefined ? 'service_key' : 'key', serviceKey ?? key, 's2');
    }
    const areas = (v.optional('areas') ?? '')
      .split(',')
      .map((area) => area.trim())
      .filter((area) => area !== '');
    if (areas.some((area) => !/^[2-9]\d{2}$/.test(area))) {
      v.fail('areas', 'The areas must be comma-separated 3-digit US area codes.');
    } else if (areas.length > MAX_AREAS) {
      v.fail('areas', `The areas may not have more than ${MAX_AREAS} items.`);
    }
    v.done();
    const order = ctx.state.buyS2(ctx.account, validated(service), [...new Set(areas)]);
    return purchaseView(order, ctx.clock.now());
  },

  'reject-number-s2': (ctx) => refundView(ctx.state.reject(ctx.account, 's2', orderIdOnly(ctx)), ctx.clock.now()),

  'number-details-s2': (ctx) => details(ctx, 's2'),

  'reserved-list-s2': (ctx) => liveList(ctx, 's2'),

  'rental-service-list': (ctx) =>
    CATALOGUE.rental.map((service) => ({
      service_key: service.key,
      name: service.name,
      price: formatCents(service.priceCents),
      price_per_day: formatCents(service.pricePerDayCents),
      durations: service.durations,
      available: ctx.state.stockOf(service),
    })),

  'rental-states': () => RENTAL_STATES.map((region) => ({ code: region.code, name: region.name })),

  'request-rental-number': (ctx) => {
    const v = new Validator(ctx.params);
    const key = v.required('service_key');
    const service = key === undefined ? undefined : CATALOGUE.findRental(key);
    if (key !== undefined && !service) v.fail('service_key', 'The selected service key is invalid.');
    const duration = v.integer('duration', { required: true, min: 1, max: 3650 });
    if (duration !== undefined && service && !service.durations.includes(duration)) {
      v.fail('duration', `The selected duration is invalid; ${service.name} rents for ${service.durations.join(', ')} days.`);
    }
    const stateCode = v.optional('state');
    const region = stateCode === undefined ? undefined : findRegion(RENTAL_STATES, stateCode);
    if (stateCode !== undefined && !region) v.fail('state', 'The selected state is invalid.');
    v.done();
    return purchaseView(ctx.state.buyRental(ctx.account, validated(service), validated(duration), region), ctx.clock.now());
  },

  'rental-reserve-list': (ctx) => {
    const now = ctx.clock.now();
    return ctx.state
      .ordersOf(ctx.account, 'rental')
      .filter((order) => statusAt(order, now) !== 'cancelled')
      .map((order) => detailView(order, now));
  },

  'rental-message': (ctx) => {
    const order = ctx.state.ownOrder(ctx.account, 'rental', orderIdOnly(ctx));
    return { order_id: order.id, number: order.number, messages: order.messages.map(messageView) };
  },

  'active-rental-numbers': (ctx) => {
    const now = ctx.clock.now();
    return ctx.state
      .ordersOf(ctx.account, 'rental')
      .filter((order) => statusAt(order, now) === 'active')
      .map((order) => detailView(order, now));
  },

  'renew-rental': (ctx) => {
    const v = new Validator(ctx.params);
    const id = v.orderId();
    const days = v.integer('additional_days', { required: true, min: 1, max: MAX_RENEW_DAYS });
    v.done();
    const result = ctx.state.renew(ctx.account, validated(id), validated(days));
    return {
      order_id: result.order.id,
      expires_at: iso(result.order.expiresAt),
      price: formatCents(result.priceCents),
      balance: formatCents(result.balanceCents),
    };
  },

  'cancel-rental': (ctx) => refundView(ctx.state.cancel(ctx.account, orderIdOnly(ctx)), ctx.clock.now()),
};
