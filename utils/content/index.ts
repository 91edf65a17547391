/**
 * The content script's dormant half, the only code that runs on every page:
 * one message listener, no scan, no observer, no request. When the background wakes the frame it loads the working half
 * (`active.ts`) and hands over. Keeping this half tiny is what keeps pages
 * without an order free of our cost.
 */
import type { FillOptions } from '../autofill';
import { activeEl } from '../autofill/dom';
import type { SendMessage } from '../messaging';
import type { ActiveContent, ActiveDeps, ContentStats } from './active';

export type { ContentStats } from './active';

/** Where the build puts the working half (see wxt.config.ts), relative to the extension's root. */
export const ACTIVE_MODULE_FILE = 'content-active.js';

export interface ContentRuntime {
  id: string;
  sendMessage: SendMessage;
  onMessage: {
    addListener(
      // `true` keeps the channel open for an answer sent later (test builds' probe only).
      listener: (message: unknown, sender: { id?: string; tab?: unknown }, sendResponse: (response: unknown) => void) => true | undefined,
    ): void;
  };
}

/** The working half's module (`active.ts`), however the build delivers it. */
export interface ActiveModule {
  createActiveContent(deps: ActiveDeps): ActiveContent;
}

export interface ContentDeps {
  runtime: ContentRuntime;
  /**
   * The frame's document, read only once a message arrives: the first touch of
   * `document` from the content script's world costs about as much as the rest
   * of the dormant half, and most pages never get a message.
   */
  getDocument(): Document;
  /** Loads the working half on the first wake. */
  loadActive(): Promise<ActiveModule>;
  openShadowRoot?: FillOptions['openShadowRoot'];
  /** How long to keep watching for a field that has not appeared. */
  watchMs?: number;
  onStats?(stats: ContentStats): void;
  /** Told when the working half could not be loaded (the wake is then lost until the next one). */
  onLoadError?(error: unknown): void;
}

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

/**
 * The field the user pointed at: the focused one, looked for through shadow roots. Menu fills
 * come from the "editable" context menu, and a right-click focuses the field it lands on.
 */
function chosenField(doc: Document, openShadowRoot: FillOptions['openShadowRoot']): Element | undefined {
  const active = activeEl(doc, openShadowRoot ? { openShadowRoot } : {});
  return active && /^(input|textarea)$/i.test(active.tagName) ? active : undefined;
}

/** Starts the content script: registers the listeners and nothing else until woken. */
export function setupContentScript(deps: ContentDeps): void {
  const { runtime } = deps;
  const stats: ContentStats = { wakes: 0, queries: 0, observers: 0, scans: 0 };
  const report = () => deps.onStats?.({ ...stats });
  let active: Promise<ActiveContent> | null = null;
  report();

  /** The working half, loaded once; a failed load is retried on the next wake. */
  function activeHalf(): Promise<ActiveContent> {
    if (active) return active;
    const loading = deps.loadActive().then((module) =>
      module.createActiveContent({
        sendMessage: runtime.sendMessage,
        doc: deps.getDocument(),
        openShadowRoot: deps.openShadowRoot,
        watchMs: deps.watchMs,
        stats,
        report,
      }),
    );
    loading.catch((error: unknown) => {
      active = null;
      deps.onLoadError?.(error);
    });
    active = loading;
    return loading;
  }

  runtime.onMessage.addListener((message, sender, sendResponse) => {
    // Only our background sends without a tab; pages and other extensions can't reach this listener.
    if (sender.id !== runtime.id || sender.tab) return undefined;
    if (isWhere(message)) {
      sendResponse(deps.getDocument().location.href);
      return undefined;
    }
    const wakeMessage = readWake(message);
    if (!wakeMessage) return undefined;
    stats.wakes += 1;
    report();
    const fill = wakeMessage.fill;
    // The chosen field is read now: by the time the working half loads, focus may have moved.
    const target = fill ? chosenField(deps.getDocument(), deps.openShadowRoot) : undefined;
    void activeHalf()
      .then((half) => (fill ? half.fillOnRequest(fill, target) : half.wake()))
      .catch(() => undefined);
    return undefined;
  });
}
