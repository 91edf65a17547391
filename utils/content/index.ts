/**
 * The content script's logic. It stays dormant (no message, no observer, no
 * scan) until the background nudges it; then it asks what to fill for its
 * own frame, fills the phone or code field (waiting for late fields with a
 * debounced MutationObserver), says what it filled, and shows a toast.
 */
import { fillOtpCode, fillPhoneNumber, type FillOptions, type FillResult } from '../autofill';
import { request, type FillInstructions, type SendMessage } from '../messaging';
import { showToast } from './toast';

export interface ContentRuntime {
  id: string;
  sendMessage: SendMessage;
  onMessage: {
    addListener(
      listener: (message: unknown, sender: { id?: string; tab?: unknown }, sendResponse: (response: unknown) => void) => undefined,
    ): void;
  };
}

/** What tests can observe about a content script (test builds only). */
export interface ContentStats {
  wakes: number;
  queries: number;
  observers: number;
  scans: number;
}

export interface ContentDeps {
  runtime: ContentRuntime;
  doc: Document;
  openShadowRoot?: FillOptions['openShadowRoot'];
  /** How long to keep watching for a field that has not appeared. */
  watchMs?: number;
  onStats?(stats: ContentStats): void;
}

const DEBOUNCE_MS = 150;

/** The wake nudge, and what the user asked to fill ('code' or 'phone') when it came from a shortcut or menu. */
function readWake(message: unknown): { fill: 'code' | 'phone' | null } | null {
  const m = message as { t2fa?: unknown; target?: unknown; type?: unknown; fill?: unknown } | null;
  if (!m || m.t2fa !== 1 || m.target !== 'content' || m.type !== 'wake') return null;
  return { fill: m.fill === 'code' || m.fill === 'phone' ? m.fill : null };
}

/** The background asking which URL this (top) frame shows. */
function isWhere(message: unknown): boolean {
  const m = message as { t2fa?: unknown; target?: unknown; type?: unknown } | null;
  return !!m && m.t2fa === 1 && m.target === 'content' && m.type === 'where';
}

/** A field the user pointed at: the one right-clicked a moment ago, or the focused one. */
function chosenField(doc: Document, rightClicked: { element: Element; at: number } | null): Element | undefined {
  if (rightClicked && Date.now() - rightClicked.at < 60_000 && rightClicked.element.isConnected) return rightClicked.element;
  const active = doc.activeElement;
  return active && /^(input|textarea)$/i.test(active.tagName) ? active : undefined;
}

/** Submits the form the field belongs to, as a user pressing the form's button would. */
function submitFormOf(field: Element | undefined): void {
  const form = field?.closest('form');
  if (form) form.requestSubmit();
}

/** Starts the content script: registers the one listener and nothing else until woken. */
export function setupContentScript(deps: ContentDeps): void {
  const { runtime, doc } = deps;
  const stats: ContentStats = { wakes: 0, queries: 0, observers: 0, scans: 0 };
  const report = () => deps.onStats?.({ ...stats });
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
  let rightClicked: { element: Element; at: number } | null = null;
  report();

  // Remembers the field a context-menu fill is for (the menu only says which frame).
  doc.addEventListener(
    'contextmenu',
    (event) => {
      const target = event.composedPath()[0];
      if (target instanceof Element) rightClicked = { element: target, at: Date.now() };
    },
    { capture: true, passive: true },
  );

  runtime.onMessage.addListener((message, sender, sendResponse) => {
    // Only our background sends without a tab; pages and other extensions can't reach this listener.
    if (sender.id !== runtime.id || sender.tab) return undefined;
    if (isWhere(message)) {
      sendResponse(doc.location.href);
      return undefined;
    }
    const wakeMessage = readWake(message);
    if (!wakeMessage || sender.id !== runtime.id || sender.tab) return undefined;
    stats.wakes += 1;
    if (wakeMessage.fill) void fillOnRequest(wakeMessage.fill);
    else void wake();
    return undefined;
  });

  /** The user asked (shortcut or context menu): fill their chosen field, or the best one. */
  async function fillOnRequest(kind: 'code' | 'phone'): Promise<void> {
    stats.queries += 1;
    report();
    const instructions = await request(runtime.sendMessage, 'content.query', { purpose: kind }).catch(() => null);
    if (!instructions) return;
    const target = chosenField(doc, rightClicked);
    const withTarget: FillOptions = target ? { ...options, target } : options;
    if (kind === 'phone' && instructions.phone) {
      const result = await fillPhoneNumber(doc, instructions.phone, withTarget);
      if (result.filled) await tell('phone', result.value ?? instructions.phone);
      return;
    }
    const code = instructions.code;
    if (kind === 'code' && code) {
      if (!instructions.autofillCode) return showToast(doc, `${instructions.serviceName} code ${code}: copy it where it belongs`, code);
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
    const instructions = await request(runtime.sendMessage, 'content.query', {}).catch(() => null);
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
          if (offeredCode !== code) showToast(doc, `${instructions.serviceName} code ${code}: copy it where it belongs`, code);
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
    await request(runtime.sendMessage, 'content.filled', { kind, value }).catch(() => undefined);
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
}
