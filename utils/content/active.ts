/**
 * The content script's working half, loaded only when the background wakes a
 * frame: asks what to fill for this frame, fills the phone or code field
 * (waiting for late fields with a debounced MutationObserver), says what it
 * filled, and shows a toast. Pages with no order never load it.
 */
import { fillOtpCode, fillPhoneNumber, type FillOptions, type FillResult } from '../autofill';
import { request, type FillInstructions, type SendMessage } from '../messaging';
import { showToast } from './toast';

/** What tests can observe about a content script (test builds only). */
export interface ContentStats {
  wakes: number;
  queries: number;
  observers: number;
  scans: number;
}

export interface ActiveDeps {
  sendMessage: SendMessage;
  doc: Document;
  openShadowRoot?: FillOptions['openShadowRoot'];
  /** How long to keep watching for a field that has not appeared. */
  watchMs?: number;
  /** Shared with the dormant half, which counts the wakes. */
  stats: ContentStats;
  report(): void;
}

/** The woken content script of one frame. */
export interface ActiveContent {
  /** The background has something for this tab: ask what, and fill it. */
  wake(): Promise<void>;
  /** The user asked (shortcut or context menu): fill `target` (their chosen field), or the best one. */
  fillOnRequest(kind: 'code' | 'phone', target: Element | undefined): Promise<void>;
}

const DEBOUNCE_MS = 150;

/** Submits the form the field belongs to, as a user pressing the form's button would. */
function submitFormOf(field: Element | undefined): void {
  const form = field?.closest('form');
  if (form) form.requestSubmit();
}

/** The note for a code that is only offered for copying, naming the site or brand its SMS named when the background said. */
export function copyOnlyNote(instructions: FillInstructions, code: string): string {
  if (instructions.namedSite) return `Code ${code} is for ${instructions.namedSite}, not this site: copy it there if you need it.`;
  const named = instructions.namedBrand ? ` — the SMS names ${instructions.namedBrand}` : '';
  return `${instructions.serviceName} code ${code}${named}: copy it where it belongs`;
}

/** Creates the working half of one frame's content script. */
export function createActiveContent(deps: ActiveDeps): ActiveContent {
  const { sendMessage, doc, stats, report } = deps;
  const options: FillOptions = deps.openShadowRoot ? { openShadowRoot: deps.openShadowRoot } : {};
  let observer: MutationObserver | null = null;
  /** What the newest answer said to fill: the observer always retries with this. */
  let current: FillInstructions | null = null;
  let stopAt = 0;
  let debounce: ReturnType<typeof setTimeout> | null = null;
  let filledCode: string | null = null;
  let offeredCode: string | null = null;
  let phoneDone = false;
  let busy = false;

  async function fillOnRequest(kind: 'code' | 'phone', target: Element | undefined): Promise<void> {
    stats.queries += 1;
    report();
    const instructions = await request(sendMessage, 'content.query', { purpose: kind }).catch(() => null);
    if (!instructions) return;
    const withTarget: FillOptions = target ? { ...options, target } : options;
    if (kind === 'phone' && instructions.phone) {
      const result = await fillPhoneNumber(doc, instructions.phone, withTarget);
      if (result.filled) await tell('phone', result.value ?? instructions.phone);
      return;
    }
    const code = instructions.code;
    if (kind === 'code' && code) {
      if (!instructions.autofillCode) return showToast(doc, copyOnlyNote(instructions, code), code);
      const result = await fillOtpCode(doc, code, withTarget);
      if (result.filled) {
        filledCode = code;
        showToast(doc, `Code ${code} filled`, code);
        await tell('code', code);
      } else showToast(doc, `${instructions.serviceName} code ${code}`, code);
    }
  }

  async function wake(): Promise<void> {
    stats.queries += 1;
    report();
    const instructions = await request(sendMessage, 'content.query', {}).catch(() => null);
    if (!instructions) {
      stopWatching();
      return;
    }
    await attempt(instructions);
  }

  async function attempt(instructions: FillInstructions): Promise<void> {
    current = instructions;
    if (busy) return;
    busy = true;
    let waitingForField = false;
    try {
      stats.scans += 1;
      if (instructions.phone && !phoneDone && instructions.code === null) {
        const result = await fillPhoneNumber(doc, instructions.phone, options);
        if (result.filled) {
          phoneDone = true;
          await tell('phone', result.value ?? instructions.phone);
        } else waitingForField = true;
      }
      const code = instructions.code;
      if (code && code !== filledCode) {
        if (!instructions.autofillCode) {
          if (offeredCode !== code) showToast(doc, copyOnlyNote(instructions, code), code);
          offeredCode = code;
        } else {
          const result: FillResult = await fillOtpCode(doc, code, options);
          if (result.filled) {
            filledCode = code;
            showToast(doc, `Code ${code} filled`, code);
            await tell('code', code);
            if (instructions.autoSubmit) submitFormOf(result.fields.at(-1));
          } else {
            if (offeredCode !== code) showToast(doc, `${instructions.serviceName} code ${code}`, code);
            offeredCode = code;
            waitingForField = true;
          }
        }
      }
    } finally {
      busy = false;
      report();
    }
    // Newer instructions arrived while this attempt ran: they win.
    if (current !== instructions && current) return attempt(current);
    if (waitingForField) watch();
    else stopWatching();
  }

  async function tell(kind: 'code' | 'phone', value: string): Promise<void> {
    await request(sendMessage, 'content.filled', { kind, value }).catch(() => undefined);
  }

  /** Fields often appear after the code does (multi-step forms): retry when the page changes. */
  function watch(): void {
    stopAt = Date.now() + (deps.watchMs ?? 10 * 60_000);
    if (observer) return;
    stats.observers += 1;
    observer = new MutationObserver(() => {
      if (Date.now() > stopAt) return stopWatching();
      if (debounce !== null) clearTimeout(debounce);
      debounce = setTimeout(() => {
        debounce = null;
        if (current) void attempt(current);
      }, DEBOUNCE_MS);
    });
    observer.observe(doc.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ['style', 'class', 'hidden', 'disabled', 'type'] });
  }

  function stopWatching(): void {
    observer?.disconnect();
    observer = null;
    if (debounce !== null) clearTimeout(debounce);
    debounce = null;
  }

  return { wake, fillOnRequest };
}
