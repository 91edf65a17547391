/**
 * The export file: settings, per-site service choices and order history, as
 * one JSON document. The token is never part of it. The options page checks a
 * chosen file with `parseImport` before asking to replace anything, and the
 * background checks it again before writing, so a bad file changes nothing
 * and the user learns which part of it is wrong.
 */
import type { ExportBundle } from './messaging';
import { isSettingsPatch } from './message-rules';
import type { Order, OrderPhase } from './orders/model';
import { DEFAULT_SETTINGS, HISTORY_LIMIT, SERVICE_CHOICE_MIGRATIONS, type ServiceChoice, type Settings, type SiteChoices } from './storage';

/**
 * Files larger than this are refused before they are read. An export holds at
 * most 500 history orders, about 0.5 MB with a code each; even 500 rentals
 * with 50 messages each stay under 7 MB.
 */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

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
const isPool = (v: unknown) => v === 's1' || v === 's2' || v === 'rental';

/** The fields of an order the UI and the engine rely on; the rest is display-only. */
const ORDER_CHECKS: Record<string, (v: unknown) => boolean> = {
  id: isString,
  accountId: isString,
  pool: isPool,
  serviceName: isString,
  orderId: isNullableString,
  number: isNullableString,
  price: isNullableNumber,
  phase: (v) => PHASES.has(v as OrderPhase),
  createdAt: (v) => typeof v === 'number',
  expiresAt: isNullableNumber,
  refund: isNullableNumber,
  codes: (v) => Array.isArray(v) && v.every((c) => isRecord(c) && isString(c.code)),
  messages: Array.isArray,
};

/** The first field of an order that is missing or wrong, or null when it is a valid order. */
function orderProblem(value: unknown): string | null {
  if (!isRecord(value)) return 'it is not an order';
  const bad = Object.entries(ORDER_CHECKS).find(([key, check]) => !check(value[key]));
  return bad ? `its "${bad[0]}" is missing or wrong` : null;
}

function isChoice(value: unknown): value is ServiceChoice {
  return isRecord(value) && isPool(value.pool) && isString(value.serviceKey) && isString(value.serviceName);
}

/** A site's picks as version 2 files keep them: each under the kind it names. */
function isSiteChoices(value: unknown): value is SiteChoices {
  return isRecord(value) && Object.entries(value).every(([pool, choice]) => isPool(pool) && isChoice(choice) && choice.pool === pool);
}

/**
 * The per-site choices of an export, per kind. A version 1 file kept one
 * choice per site: it goes to its own kind, as the storage migration does.
 */
function importedChoices(choices: unknown, version: 1 | 2): Record<string, SiteChoices> {
  if (!isRecord(choices)) throw new ImportError('The per-site service choices in this file are not valid.');
  const valid = version === 1 ? isChoice : isSiteChoices;
  const badSite = Object.keys(choices).find((site) => !valid(choices[site]));
  if (badSite !== undefined) throw new ImportError(`The service chosen for "${badSite}" in this file is not valid.`);
  return version === 1 ? SERVICE_CHOICE_MIGRATIONS[2]!(choices) : (choices as Record<string, SiteChoices>);
}

/** Every setting by the name the options page gives it. */
const SETTING_NAMES: Record<string, string> = {
  autofill: 'Fill codes automatically',
  fillPhone: 'Fill the phone number after buying',
  autoSubmitSites: 'Submit the form after filling the code (sites)',
  autoRejectMinutes: 'Reject after (minutes)',
  spendingLimit24h: 'Most to spend in any 24 hours',
  confirmBeforeBuying: 'Ask before buying from a shortcut or the context menu',
  notifications: 'Show notifications',
  maxRequestsPerMinute: 'Most checking requests per minute',
  'defaults.pool': 'Number type',
  'defaults.state': 'S1 state',
  'defaults.premium': 'S1 premium bid',
  'defaults.areas': 'S2 area codes',
  'defaults.rentalDays': 'Rental days',
};

/** A value as a short quote for a message (a long list or text is cut). */
function quote(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}

/**
 * What is wrong with the settings of an export, naming the setting, or null
 * when they are valid. Checks each setting alone against `isSettingsPatch`
 * (every setting is optional there), so the rule stays in one place.
 */
export function settingsProblem(settings: unknown): string | null {
  if (isSettingsPatch(settings)) return null;
  if (!isRecord(settings)) return 'The file has no settings (its "settings" is not a set of settings).';
  for (const [key, value] of Object.entries(settings)) {
    if (key === 'defaults' && isRecord(value)) {
      for (const [inner, innerValue] of Object.entries(value)) {
        const name = SETTING_NAMES[`defaults.${inner}`];
        if (!name) return `The file has a default "${inner}" this extension does not know.`;
        if (!isSettingsPatch({ defaults: { [inner]: innerValue } })) return `The setting "${name}" in this file is not valid: ${quote(innerValue)}.`;
      }
      continue;
    }
    const name = SETTING_NAMES[key];
    if (!name) return `The file has a setting "${key}" this extension does not know.`;
    if (!isSettingsPatch({ [key]: value })) return `The setting "${name}" in this file is not valid: ${quote(value)}.`;
  }
  return 'The settings in this file are not valid.';
}

/** Builds the export document. */
export function buildExport(settings: Settings, serviceChoices: Record<string, SiteChoices>, history: Order[], now: number): ExportBundle {
  return {
    format: 'text2fa-extension-export',
    version: 2,
    exportedAt: new Date(now).toISOString(),
    settings,
    serviceChoices,
    history,
  };
}

/**
 * Validates an export document and returns what to write. Throws
 * `ImportError` naming the first problem (the setting, site or order, and
 * what is wrong with it); never returns partial data.
 */
export function parseImport(bundle: unknown): { settings: Settings; serviceChoices: Record<string, SiteChoices>; history: Order[] } {
  if (!isRecord(bundle) || bundle.format !== 'text2fa-extension-export') {
    throw new ImportError('This file is not a Text2FA extension export.');
  }
  const version = bundle.version;
  if (version !== 1 && version !== 2) throw new ImportError(`This export is version ${String(version)}; this extension reads versions 1 and 2.`);
  if ('token' in bundle) throw new ImportError('This file carries an API token; exports never do. It was not imported.');
  const settings = bundle.settings;
  const problem = settingsProblem(settings);
  if (problem !== null || !isSettingsPatch(settings)) throw new ImportError(problem ?? 'The settings in this file are not valid.');
  const choices = importedChoices(bundle.serviceChoices, version);
  const history = bundle.history;
  if (!Array.isArray(history)) throw new ImportError('The history in this file is not a list of orders.');
  for (const [index, order] of history.entries()) {
    const wrong = orderProblem(order);
    if (wrong !== null) throw new ImportError(`Order ${index + 1} of the history in this file is not valid: ${wrong}.`);
  }
  return {
    settings: { ...DEFAULT_SETTINGS, ...settings, defaults: { ...DEFAULT_SETTINGS.defaults, ...settings.defaults } },
    serviceChoices: choices,
    history: (history as Order[]).slice(0, HISTORY_LIMIT),
  };
}
