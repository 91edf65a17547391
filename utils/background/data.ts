/**
 * Export and import of the user's data: settings, per-site service choices
 * and order history, as one JSON document. The token is never part of it.
 * An import is checked completely before anything is written, and then
 * written in full, so a bad file changes nothing.
 */
import { isSettingsPatch, type ExportBundle } from '../messaging';
import type { Order, OrderPhase } from '../orders/model';
import { DEFAULT_SETTINGS, HISTORY_LIMIT, type ServiceChoice, type Settings } from '../storage';

/** Why an import was refused, in words the user can act on. */
export class ImportError extends Error {
  readonly kind = 'bad_import';
  constructor(message: string) {
    super(message);
    this.name = 'ImportError';
  }
}

const PHASES: ReadonlySet<OrderPhase> = new Set([
  'purchasing', 'waiting', 'received', 'active', 'expired', 'rejected', 'cancelled', 'completed', 'failed',
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isNullableString = (v: unknown) => v === null || typeof v === 'string';
const isNullableNumber = (v: unknown) => v === null || (typeof v === 'number' && Number.isFinite(v));

/** Checks the fields the UI and the engine rely on; the rest of an order is display-only. */
function isOrder(value: unknown): value is Order {
  if (!isRecord(value)) return false;
  return (
    isString(value.id) &&
    isString(value.accountId) &&
    (value.pool === 's1' || value.pool === 's2' || value.pool === 'rental') &&
    isString(value.serviceName) &&
    isNullableString(value.orderId) &&
    isNullableString(value.number) &&
    isNullableNumber(value.price) &&
    PHASES.has(value.phase as OrderPhase) &&
    typeof value.createdAt === 'number' &&
    isNullableNumber(value.expiresAt) &&
    isNullableNumber(value.refund) &&
    Array.isArray(value.codes) &&
    value.codes.every((c) => isRecord(c) && isString(c.code)) &&
    Array.isArray(value.messages)
  );
}

function isChoice(value: unknown): value is ServiceChoice {
  return (
    isRecord(value) &&
    (value.pool === 's1' || value.pool === 's2' || value.pool === 'rental') &&
    isString(value.serviceKey) &&
    isString(value.serviceName)
  );
}

/** Builds the export document. */
export function buildExport(settings: Settings, serviceChoices: Record<string, ServiceChoice>, history: Order[], now: number): ExportBundle {
  return {
    format: 'text2fa-extension-export',
    version: 1,
    exportedAt: new Date(now).toISOString(),
    settings,
    serviceChoices,
    history,
  };
}

/**
 * Validates an export document and returns what to write. Throws
 * `ImportError` naming the first problem; never returns partial data.
 */
export function parseImport(bundle: unknown): { settings: Settings; serviceChoices: Record<string, ServiceChoice>; history: Order[] } {
  if (!isRecord(bundle) || bundle.format !== 'text2fa-extension-export') {
    throw new ImportError('This file is not a Text2FA extension export.');
  }
  if (bundle.version !== 1) throw new ImportError(`This export is version ${String(bundle.version)}; this extension reads version 1.`);
  if ('token' in bundle) throw new ImportError('This file carries an API token; exports never do. It was not imported.');
  const settings = bundle.settings;
  if (!isSettingsPatch(settings)) throw new ImportError('The settings in this file are not valid.');
  const choices = bundle.serviceChoices;
  if (!isRecord(choices) || !Object.values(choices).every(isChoice)) {
    throw new ImportError('The per-site service choices in this file are not valid.');
  }
  const history = bundle.history;
  if (!Array.isArray(history)) throw new ImportError('The history in this file is not a list of orders.');
  const bad = history.findIndex((order) => !isOrder(order));
  if (bad !== -1) throw new ImportError(`Order ${bad + 1} of the history in this file is not valid.`);
  return {
    settings: { ...DEFAULT_SETTINGS, ...settings, defaults: { ...DEFAULT_SETTINGS.defaults, ...settings.defaults } },
    serviceChoices: choices as Record<string, ServiceChoice>,
    history: (history as Order[]).slice(0, HISTORY_LIMIT),
  };
}
