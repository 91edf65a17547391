/**
 * The signed-in session: the token, the account it belongs to, and the API
 * client made from them. Lives in the background only; nothing here ever
 * hands the token to a caller.
 */
import type { Text2faClient } from '../text2fa/types';
import type { SessionState } from '../messaging';
import { ALLOWS_CUSTOM_API_BASE_URL, isAllowedApiBaseUrl } from '../config';
import { isText2faError } from '../text2fa';
import { checkToken } from '../input-rules';
import {
  accountItem,
  apiBaseUrlItem,
  getApiBaseUrl,
  sessionProblemItem,
  tokenItem,
  type CachedAccount,
} from '../storage';

export interface SessionDeps {
  createClient(options: { baseUrl: string; token: string }): Text2faClient;
  now(): number;
}

/** The client for the stored token, and the account that token belongs to. */
export interface ActiveSession {
  client: Text2faClient;
  accountId: string;
}

/** A session-level refusal the UI shows as is (no token, bad input). */
export class SessionError extends Error {
  constructor(
    readonly kind: 'no_token' | 'bad_token_format' | 'bad_api_url',
    message: string,
  ) {
    super(message);
    this.name = 'SessionError';
  }
}

/**
 * A short one-way fingerprint of a token, so orders and caches can say which
 * account they belong to without keeping a second copy of the secret.
 */
export async function tokenFingerprint(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
  return Array.from(new Uint8Array(digest).slice(0, 8), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The token as kept, or a refusal that says what is wrong with it (the rule is `checkToken`, as in the forms). */
function cleanToken(raw: string): string {
  const checked = checkToken(raw);
  if (!checked.ok) throw new SessionError('bad_token_format', checked.message);
  return checked.value;
}

export type Session = ReturnType<typeof createSession>;

/** Creates the background's session manager. */
export function createSession(deps: SessionDeps) {
  async function state(): Promise<SessionState> {
    const [token, account, problem, baseUrl] = await Promise.all([
      tokenItem.getValue(),
      accountItem.getValue(),
      sessionProblemItem.getValue(),
      getApiBaseUrl(),
    ]);
    return {
      configured: token !== null,
      account,
      problem,
      apiBaseUrl: ALLOWS_CUSTOM_API_BASE_URL ? baseUrl : null,
    };
  }

  async function fetchAccount(token: string, baseUrl: string): Promise<CachedAccount> {
    const details = await deps.createClient({ baseUrl, token }).accountDetails();
    return { ...details, accountId: await tokenFingerprint(token), checkedAt: deps.now() };
  }

  /** Records what went wrong so a popup opened later can still show it. */
  async function noteProblem(error: unknown): Promise<void> {
    if (isText2faError(error)) {
      await sessionProblemItem.setValue({ kind: error.kind, message: error.message, at: deps.now() });
    }
  }

  return {
    state,

    /** The client for the stored token, or null when there is none. */
    async current(): Promise<ActiveSession | null> {
      const token = await tokenItem.getValue();
      if (token === null) return null;
      return { client: deps.createClient({ baseUrl: await getApiBaseUrl(), token }), accountId: await tokenFingerprint(token) };
    },

    /** Stores a balance an API answer carried (refunds, renewals), or re-reads it when unknown. */
    async balanceChanged(balance: number | null): Promise<void> {
      const account = await accountItem.getValue();
      if (balance !== null && account) {
        await accountItem.setValue({ ...account, balance, checkedAt: deps.now() });
        return;
      }
      const token = await tokenItem.getValue();
      if (token === null) return;
      try {
        await accountItem.setValue(await fetchAccount(token, await getApiBaseUrl()));
      } catch (error) {
        await noteProblem(error);
      }
    },

    /**
     * Checks a token with account-details before keeping it: a rejected token
     * never replaces a working one.
     */
    async setToken(raw: string): Promise<SessionState> {
      const token = cleanToken(raw);
      const account = await fetchAccount(token, await getApiBaseUrl());
      await tokenItem.setValue(token);
      await accountItem.setValue(account);
      await sessionProblemItem.setValue(null);
      return state();
    },

    async signOut(): Promise<SessionState> {
      await tokenItem.setValue(null);
      await accountItem.setValue(null);
      await sessionProblemItem.setValue(null);
      return state();
    },

    /** Re-reads the balance; a failure is kept for the UI and rethrown. */
    async refreshAccount(): Promise<SessionState> {
      const token = await tokenItem.getValue();
      if (token === null) return state();
      try {
        await accountItem.setValue(await fetchAccount(token, await getApiBaseUrl()));
        await sessionProblemItem.setValue(null);
      } catch (error) {
        await noteProblem(error);
        throw error;
      }
      return state();
    },

    async setApiBaseUrl(url: string): Promise<SessionState> {
      const cleaned = url.trim().replace(/\/+$/, '');
      if (!isAllowedApiBaseUrl(cleaned)) {
        throw new SessionError('bad_api_url', 'This build only talks to the Text2FA API or a simulator on http://127.0.0.1.');
      }
      await apiBaseUrlItem.setValue(cleaned);
      return state();
    },
  };
}
