/**
 * Everything the popup needs from the browser, in one object: the views and
 * stores take it as a parameter, so tests hand in fakes and the entrypoint
 * only wires the real thing (`browserEnv`).
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { SendMessage } from '@/utils/messaging';
import type { CachedAccount, OrderBook, OrderHistory, PendingShortcutPurchase, Settings } from '@/utils/storage';

/** A storage item as the popup uses it: read once for the first render, then watched. */
export interface Watchable<T> {
  getValue(): Promise<T>;
  /** Returns the function that stops watching. */
  watch(callback: (value: T) => void): () => void;
}

export interface PopupEnv {
  send: SendMessage;
  /** Stages a pasted token for the background (session storage), so no message carries it. */
  stageToken(token: string): Promise<void>;
  account: Watchable<CachedAccount | null>;
  orderBook: Watchable<OrderBook>;
  history: Watchable<OrderHistory>;
  settings: Watchable<Settings>;
  pendingShortcut: Watchable<PendingShortcutPurchase | null>;
  /** The tab "This site" is about, or null when there is none. */
  currentTabId(): Promise<number | null>;
  copyText(text: string): Promise<void>;
  /** A fresh purchase intent id: one per user action. */
  newIntentId(): string;
  now(): number;
  isOnline(): boolean;
  /** Returns the function that stops listening. */
  onOnlineChange(callback: (online: boolean) => void): () => void;
  /** Opens the options page, at one of its sections (`orders`, `defaults`…) when given. */
  openOptions(section?: string): void;
  /** The toolbar button: whose menus pin it, and whether it is pinned (null: the browser does not say). */
  toolbar: { family: 'chromium' | 'firefox'; isPinned(): Promise<boolean | null> };
  /** Whether the user dismissed the first-run hint on pinning the button. */
  pinHintDismissed: Watchable<boolean>;
}

export const EnvContext = createContext<PopupEnv | null>(null);

/** The popup's environment, from the nearest `EnvContext` provider. */
export function useEnv(): PopupEnv {
  const env = useContext(EnvContext);
  if (!env) throw new Error('The popup views need an EnvContext provider.');
  return env;
}
