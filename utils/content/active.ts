/**
 * The content script's working half, loaded only when the background wakes a
 * frame: asks what to fill for this frame, fills the phone or code field
 * (waiting for late fields with a debounced MutationObserver), says what it
 * filled, and shows a toast. Pages with no order never load it.
 */
import { fillOtpCode, fillPhoneNumber, type FillOptions, type FillResult } from '../autofill';
import { fire, getValue, setProp } from '../autofill/input';
import { request, type FillInstructions, type SendMessage } from '../messaging';
import { showChoiceToast, showToast } from './toast';

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

/** Digits of a number without a leading US country code. */
const national = (number: string) => number.replace(/\D/g, '').replace(/^1(?=\d{10}$)/, '');

/** Whether the field (still in the page) still shows `number`, however the page formatted it. */
function holds(field: HTMLInputElement, number: string): boolean {
  return field.isConnected && getValue(field).replace(/\D/g, '').endsWith(national(number));
}

/** Empties a field as a user selecting all and deleting would. */
function clearField(field: HTMLInputElement): void {
  setProp(field, 'value', '');
  fire(field, 'input', { inputType: 'deleteContentBackward' });
  fire(field, 'change');
}

/** Why a phone fill failed, in words for the in-page note and the popup. */
const phoneProblem = (result: FillResult) => (result.reason === 'mismatch' ? 'the page shows another country or number' : 'the page did not keep it');

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
  /** The phone field this frame filled, and the number it holds: it must keep holding the live number. */
  let filledPhone: { field: HTMLInputElement; number: string } | null = null;
  let busy = false;
  /** Wakes' questions, numbered as asked, and the newest one whose answer was taken. */
  let asked = 0;
  let answered = 0;
  /** The choices the note last asked about, so a repeated answer does not ask again. */
  let askedAbout: string | null = null;

  async function fillOnRequest(kind: 'code' | 'phone', target: Element | undefined): Promise<void> {
    stats.queries += 1;
    report();
    const instructions = await request(sendMessage, 'content.query', { purpose: kind }).catch(() => null);
    if (!instructions) return showToast(doc, `No Text2FA ${kind === 'code' ? 'code' : 'number'} for this page`, '', 6000, false);
    if (instructions.choices?.length) return askWhich(instructions.choices);
    if (kind === 'code' && !instructions.code && instructions.awaiting) {
      return showToast(doc, `No code yet: ${instructions.awaiting} still waits for the SMS`, instructions.awaiting, 8000, false);
    }
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

  /** The page could be the sign-up of several orders (bought in other tabs): ask which, fill nothing meanwhile. */
  function askWhich(choices: string[]): void {
    const key = choices.join();
    if (askedAbout === key) return;
    askedAbout = key;
    showChoiceToast(doc, 'Text2FA bought numbers for this site in other tabs. Which one is this sign-up using?', choices, (claim) => {
      void wake(claim);
    });
  }

  async function wake(claim?: string): Promise<void> {
    stats.queries += 1;
    report();
    const question = ++asked;
    const instructions = await request(sendMessage, 'content.query', claim ? { claim } : {}).catch(() => null);
    // Answers may come back out of order (the background answers each as its reads finish): one older than an
    // answer already taken predates it, and must not replace a code with "nothing yet".
    if (question < answered) return;
    answered = question;
    if (!instructions) {
      stopWatching();
      return;
    }
    if (instructions.choices?.length) {
      stopWatching();
      return askWhich(instructions.choices);
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
      if (await syncPhone(instructions)) waitingForField = true;
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

  async function tell(kind: 'code' | 'phone', value: string, problem?: string): Promise<void> {
    await request(sendMessage, 'content.filled', { kind, value, ...(problem ? { problem } : {}) }).catch(() => undefined);
  }

  /**
   * Keeps the phone field holding the live number: fills an empty page once per
   * number; a field this frame filled gets the newer number when the live one
   * changes, and is emptied when its number ended (rejected, expired) with no
   * newer one. A field the user has changed since is theirs and left alone.
   * Returns true when the page has no phone field yet (watch for one).
   */
  async function syncPhone(instructions: FillInstructions): Promise<boolean> {
    const live = instructions.phone;
    if (filledPhone && !holds(filledPhone.field, filledPhone.number)) filledPhone = null;
    if (filledPhone) {
      const { field, number } = filledPhone;
      if (live && national(live) !== national(number)) {
        const result = await fillPhoneNumber(doc, live, { ...options, target: field });
        filledPhone = result.filled ? { field, number: live } : null;
        if (result.filled) showToast(doc, `Phone field now holds ${live} (${number} ended)`, live);
        else {
          if (holds(field, number)) clearField(field);
          showToast(doc, `${live} is not in the phone field: ${phoneProblem(result)}. Copy it`, live);
        }
        await tell('phone', result.value ?? live, result.filled ? undefined : phoneProblem(result));
      } else if (!live && instructions.retiredPhones.some((n) => national(n) === national(number))) {
        clearField(field);
        filledPhone = null;
        showToast(doc, `${number} was rejected or expired: removed from the phone field`, number, 15_000, false);
      }
      return false;
    }
    if (!live || !instructions.phoneFresh || instructions.code !== null) return false;
    const result = await fillPhoneNumber(doc, live, options);
    const field = result.fields.at(-1);
    if (result.filled && field instanceof doc.defaultView!.HTMLInputElement) {
      filledPhone = { field, number: live };
      await tell('phone', result.value ?? live);
      return false;
    }
    if (result.reason === 'no-field' || result.reason === 'ambiguous') return true;
    showToast(doc, `${live} is not in the phone field: ${phoneProblem(result)}. Copy it`, live);
    await tell('phone', live, phoneProblem(result));
    return false;
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
