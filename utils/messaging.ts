/**
 * The one typed message protocol between extension pages, content scripts and
 * the background.
 *
 * Every message is `{ t2fa: 1, type, payload }` and every answer is
 * `{ ok: true, data }` or `{ ok: false, error }`. Each type says who may send
 * it: `page` types (purchases, rejects, settings, the token) are accepted only
 * from the extension's own pages; `content` types only let a content script ask
 * about its own frame. The background validates every payload before a handler
 * sees it, so a forged or malformed message gets a clear refusal, never a crash
 * (those rules and the router that applies them are in `message-rules.ts`;
 * this module is what every sender needs, so the content script stays small).
 *
 * No message carries the token: the Setup form stages it in session storage
 * and asks the background to take it (`submitToken`), and no answer ever
 * includes it.
 */
import type { CachedAccount, PendingShortcutPurchase, ServiceChoice, SessionProblem, Settings, SiteChoices } from './storage';
import type { Order } from './orders/model';
import type { Pool, Region, RentalService, Service } from './text2fa/types';

/** What the popup needs to know about the session; never the token. */
export interface SessionState {
  configured: boolean;
  account: CachedAccount | null;
  problem: SessionProblem | null;
  /** The API base URL, in development and test builds only (null in production). */
  apiBaseUrl: string | null;
}

/** An error as it crosses a message boundary: enough for a UI to explain it. */
export interface ErrorInfo {
  kind: string;
  message: string;
  retryAfterMs?: number;
  fieldErrors?: Record<string, string[]>;
}

/** Messages only the extension's own pages (popup, options) may send. */
export interface PageProtocol {
  'session.get': { request: Record<string, never>; response: SessionState };
  /** Take the token staged in session storage (see `submitToken`); the message itself carries none. */
  'session.setToken': { request: Record<string, never>; response: SessionState };
  'session.signOut': { request: Record<string, never>; response: SessionState };
  'account.refresh': { request: Record<string, never>; response: SessionState };
  'dev.setApiBaseUrl': { request: { url: string }; response: SessionState };
  'orders.buy': { request: BuyRequest; response: Order };
  'orders.reject': { request: { id: string }; response: Order };
  'orders.cancel': { request: { id: string }; response: Order };
  'orders.renew': { request: { id: string; days: number }; response: Order };
  'orders.reuse': { request: { id: string; intentId: string }; response: Order };
  'orders.seen': { request: { id: string }; response: null };
  /**
   * The popup opened: import orders made elsewhere and poll now. `force` (the
   * user pressed "Check now") skips the pause between two such checks.
   */
  'orders.sync': { request: { force?: boolean }; response: null };
  /**
   * Re-reads the account's active rentals (their expiry can change on the
   * dashboard, which the engine's message polling does not see) into the book.
   */
  'orders.refreshRentals': { request: Record<string, never>; response: null };
  /** A pool's live service list (cached by the background for a few minutes). */
  'catalog.services': { request: { pool: Pool; refresh?: boolean }; response: Array<Service | RentalService> };
  /** US states (S1) or rental states. */
  'catalog.regions': { request: { kind: 'us' | 'rental' }; response: Region[] };
  /** The tab's site and the services matched to it. */
  'site.info': { request: { tabId: number }; response: SiteInfo };
  /**
   * A site as typed on the options page, reduced to the key sites are compared by
   * (null: not a web site). The background has the public-suffix list; the page does not.
   */
  'site.normalize': { request: { text: string }; response: { siteKey: string | null } };
  /** Remembers (or with null forgets) the service chosen for a site and kind of number; the other kinds' stay. */
  'site.setChoice': { request: { siteKey: string; pool: Pool; choice: ServiceChoice | null }; response: null };
  'settings.update': { request: { patch: SettingsPatch }; response: Settings };
  'history.clear': { request: Record<string, never>; response: null };
  /** Settings, per-site choices and history as one JSON document; never the token. */
  'data.export': { request: Record<string, never>; response: ExportBundle };
  /** Replaces settings, choices and history with a validated export, all or nothing. */
  'data.import': { request: { bundle: unknown }; response: { orders: number } };
  /** Fills the newest code (or the number) into the given tab's page: the shortcut and the context menu. */
  'fill.request': { request: { tabId: number; kind: 'code' | 'phone'; frameId?: number }; response: { sent: boolean } };
  /**
   * The popup took over the "Get a number" shortcut's pending purchase: clears
   * it (so it is confirmed at most once) and returns what it was.
   */
  'shortcut.take': { request: Record<string, never>; response: PendingShortcutPurchase | null };
  /** The user read the first-run hint on pinning the toolbar button: it is not shown again. */
  'ui.dismissPinHint': { request: Record<string, never>; response: null };
  /** Empties the list of answers Text2FA sent that the extension could not understand. */
  'problems.clear': { request: Record<string, never>; response: null };
}

/** A change to some settings; `defaults` may itself be partial. */
export type SettingsPatch = Partial<Omit<Settings, 'defaults'>> & { defaults?: Partial<Settings['defaults']> };

/** What the popup shows about the current tab. */
export interface SiteInfo {
  url: string | null;
  /** The registrable domain (aliases collapsed) or null for pages that aren't web sites. */
  siteKey: string | null;
  /** The best service of each pool for this site (null when none matches). */
  matches: { s1: Service | null; s2: Service | null; rental: RentalService | null };
  /** The services the user picked for this site before, per kind of number. */
  choices: SiteChoices;
}

/** The export file: a format tag and version, so imports can be checked. */
export interface ExportBundle {
  format: 'text2fa-extension-export';
  /** 2: `serviceChoices` per site and kind; 1 (still read): one choice per site. */
  version: 2;
  exportedAt: string;
  settings: Settings;
  serviceChoices: Record<string, SiteChoices>;
  history: Order[];
}

/** A purchase as the popup asks for it. `intentId` is made once per user action. */
export interface BuyRequest {
  intentId: string;
  pool: Pool;
  serviceKey: string;
  serviceName: string;
  /** The price the user saw (checked against the balance before buying). */
  expectedPrice: number | null;
  premium?: number;
  state?: string;
  areas?: string[];
  duration?: number;
  /** The tab the number is for (its site gets the code). */
  tabId?: number;
  /** A deliberate second number for the same site. */
  another?: boolean;
}

/**
 * What a content script may do: ask what to fill in its own frame, and say
 * what it filled. The background answers from the sender's own URL and tab,
 * never from anything the message claims.
 */
export interface ContentProtocol {
  /** `purpose`: automatic (after a wake), or the user asked to fill the code or the number. */
  /** `claim`: the number the user picked in the in-page note when the page could belong to several orders. */
  'content.query': { request: { purpose?: FillPurpose; claim?: string }; response: FillInstructions | null };
  /** `problem`: the phone field did not end up holding the number (the page kept another number or country). */
  'content.filled': { request: { kind: 'code' | 'phone'; value: string; problem?: string }; response: null };
}

export type FillPurpose = 'auto' | 'code' | 'phone';

/** What one frame should fill, as the background decided for that frame's site. */
export interface FillInstructions {
  /** The newest code for this site, if any. */
  code: string | null;
  /** False when the code must only be offered for copying (its SMS names another site). */
  autofillCode: boolean;
  /**
   * The live number for this page's phone field (after a purchase, when that
   * setting is on): the newest number of the site that still waits for its SMS.
   * A field the content script filled with an older number gets this one.
   */
  phone: string | null;
  /** Whether `phone` was never put in a page yet: only then is an empty field filled unasked. */
  phoneFresh: boolean;
  /** Numbers of this tab's orders that ended unused (rejected, cancelled, expired): a field we filled must not keep them. */
  retiredPhones: string[];
  /** Submit the form after filling (the user turned it on for this site). */
  autoSubmit: boolean;
  /** The service the order is for, for the in-page toast. */
  serviceName: string;
  /** When the code is only offered for copying because its SMS names another site (`@paypal.com #123456`): that site. */
  namedSite?: string;
  /** When the code is only offered for copying because its SMS names another brand: that brand, as the SMS writes it ("PayPal"). */
  namedBrand?: string;
  /**
   * Numbers bought for this site in other tabs, each of which could be this page's sign-up: nothing is
   * filled, and the in-page note asks which one is (its answer comes back as `content.query`'s `claim`).
   */
  choices?: string[];
  /** Asked for the code before its SMS came: the number that still waits for it. */
  awaiting?: string | null;
}

/** The background asking a tab's top-frame content script which URL it shows (the browser hides it otherwise). */
export interface WhereMessage {
  t2fa: 1;
  target: 'content';
  type: 'where';
}

/** The background's nudge to a tab's content scripts: "ask me what to fill". It carries no data. */
export interface WakeMessage {
  t2fa: 1;
  target: 'content';
  type: 'wake';
  /** Set when the user asked (shortcut, context menu): fill this into the field they chose. */
  fill?: 'code' | 'phone';
}

export type Protocol = PageProtocol & ContentProtocol;
export type MessageType = keyof Protocol;
export type RequestOf<K extends MessageType> = Protocol[K]['request'];
export type ResponseOf<K extends MessageType> = Protocol[K]['response'];

export interface Envelope<K extends MessageType = MessageType> {
  t2fa: 1;
  type: K;
  payload: RequestOf<K>;
}

export type Reply<T> = { ok: true; data: T } | { ok: false; error: ErrorInfo };

/**
 * Hands a pasted token to the background: stage it in session storage, then
 * ask the background to check and keep it. Returns the new session state.
 */
export async function submitToken(
  send: SendMessage,
  stage: (token: string) => Promise<void>,
  token: string,
): Promise<SessionState> {
  await stage(token);
  return request(send, 'session.setToken', {});
}

/** Builds a message. */
export function envelope<K extends MessageType>(type: K, payload: RequestOf<K>): Envelope<K> {
  return { t2fa: 1, type, payload };
}

/** The parts of `runtime.MessageSender` the background judges a sender by. */
export interface SenderInfo {
  id?: string;
  url?: string;
  tab?: { id?: number };
  frameId?: number;
}

/** Identifies the extension itself, so senders can be compared against it. */
export interface SelfIdentity {
  /** `browser.runtime.id` */
  id: string;
  /** `browser.runtime.getURL('/')`, e.g. `chrome-extension://abc/` */
  origin: string;
}

/** An extension page (popup, options, an extension tab): our id and a URL on our own origin. */
export function isExtensionPage(sender: SenderInfo, self: SelfIdentity): boolean {
  return sender.id === self.id && typeof sender.url === 'string' && sender.url.startsWith(self.origin);
}

/** A content script of ours: our id, running in a web page's tab. */
export function isOwnContentScript(sender: SenderInfo, self: SelfIdentity): boolean {
  return (
    sender.id === self.id &&
    typeof sender.tab?.id === 'number' &&
    typeof sender.url === 'string' &&
    !sender.url.startsWith(self.origin)
  );
}

/** A plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A refusal or failure reported by the background, rethrown on the sending side. */
export class MessageError extends Error {
  readonly kind: string;
  readonly retryAfterMs?: number;
  readonly fieldErrors?: Record<string, string[]>;

  constructor(info: ErrorInfo) {
    super(info.message);
    this.name = 'MessageError';
    this.kind = info.kind;
    if (info.retryAfterMs !== undefined) this.retryAfterMs = info.retryAfterMs;
    if (info.fieldErrors !== undefined) this.fieldErrors = info.fieldErrors;
  }
}

/** The sending half of `runtime`, passed in so callers and tests choose the transport. */
export type SendMessage = (message: unknown) => Promise<unknown>;

/**
 * Sends a typed request to the background and returns its answer, or throws a
 * `MessageError` the UI can show as it is.
 */
export async function request<K extends MessageType>(
  send: SendMessage,
  type: K,
  payload: RequestOf<K>,
): Promise<ResponseOf<K>> {
  let reply: unknown;
  try {
    reply = await send(envelope(type, payload));
  } catch (error) {
    throw new MessageError({
      kind: 'extension',
      message: `The extension's background did not answer (${error instanceof Error ? error.message : String(error)}).`,
    });
  }
  if (!isRecord(reply) || typeof reply.ok !== 'boolean') {
    throw new MessageError({ kind: 'extension', message: "The extension's background gave no answer." });
  }
  if (reply.ok) return reply.data as ResponseOf<K>;
  const error = isRecord(reply.error) ? reply.error : {};
  throw new MessageError({
    kind: typeof error.kind === 'string' ? error.kind : 'unknown',
    message: typeof error.message === 'string' ? error.message : 'Something went wrong.',
    ...(typeof error.retryAfterMs === 'number' ? { retryAfterMs: error.retryAfterMs } : {}),
    ...(isRecord(error.fieldErrors) ? { fieldErrors: error.fieldErrors as Record<string, string[]> } : {}),
  });
}
