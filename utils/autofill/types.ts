/** The part of a DOMRect the detector reads (viewport coordinates, CSS px). */
export interface RectLike {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** What only the caller can supply: extension APIs, the user's choice, test hooks. */
export interface FillOptions {
  /**
   * Opens a closed shadow root (`chrome.dom.openOrClosedShadowRoot` in Chromium,
   * `el.openOrClosedShadowRoot` in Firefox content scripts). Open roots are searched anyway.
   */
  openShadowRoot?: (el: Element) => ShadowRoot | null;
  /**
   * The element the user picked (e.g. right-clicked). An input is filled as is, skipping the
   * keyword rules (only disabled/read-only/inert stop it); any other element limits the
   * search to its subtree.
   */
  target?: Element;
  /** Pause between typed characters in ms (default 0: still one task per character, so widgets can react). */
  typingDelayMs?: number;
  /** Type character by character from the start instead of first trying to set the whole value. */
  typing?: boolean;
  /** Calling code of the phone number, digits only (default '1'). */
  countryCode?: string;
  /** Layout box of an element; defaults to getBoundingClientRect. happy-dom has no layout, so tests supply this. */
  getRect?: (el: Element) => RectLike;
}

/** How the value went in: whole value at once, one box per character, pasted, or typed key by key. */
export type FillMethod = 'single' | 'split' | 'paste' | 'typed' | 'none';

/** The ways of putting a code in (utils/autofill/strategies.ts), in the order they are tried. */
export type FillStrategy = 'setter' | 'paste' | 'typing';

/**
 * Why nothing was filled: no matching field; two fields scored the same; the code/phone
 * isn't usable; the chosen target is disabled/read-only/inert; the page did not keep the value;
 * the page (read back after filling) holds another number or country than the one filled.
 */
export type FillFailure = 'no-field' | 'ambiguous' | 'invalid-code' | 'invalid-phone' | 'not-fillable' | 'rejected' | 'mismatch';

export interface FillResult {
  filled: boolean;
  /** Fields written to, in order (for a phone: country control first, if one was set). */
  fields: Element[];
  method: FillMethod;
  reason?: FillFailure;
  /** The string written into the (last) field: the code, or the phone in the form chosen. */
  value?: string;
  /** The code strategy that left the page holding exactly the code. */
  strategy?: FillStrategy;
  /** When a code was rejected: each strategy tried and what the page held after it (before it was undone). */
  attempts?: Array<{ strategy: FillStrategy; held: string }>;
}

/** A detected one-time-code field: one input, or a row of boxes (in tree order), one per character. */
export interface OtpTarget {
  kind: 'single' | 'split';
  fields: HTMLInputElement[];
  score: number;
  /** Only an off-screen or 1-px field was found (used because nothing visible qualified). */
  offscreen: boolean;
}
