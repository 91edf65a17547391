/**
 * The signed-in session: the token, the account it belongs to, and the API
 * client made from them. Lives in the background only; nothing here ever
 * hands the token to a caller.
 */
import type { AuthForm, Text2faClient } from '../text2fa/types';
import type { SessionState } from '../messaging';
import { ALLOWS_CUSTOM_API_BASE_URL, isAllowedApiBaseUrl } from '../config';
import { isText2faError } from '../text2fa';
import { checkToken } from '../input-rules';
import {
  AUTH_FORMS_LIMIT,
  accountItem,
  apiBaseUrlItem,
  authFormsItem,
  getApiBaseUrl,
  sessionProblemItem,
  type CachedAccount,
} from '../storage';
import type { TokenStore } from './token-store';

/** What `SessionDeps.createClient` gets: the token, and the auth form to use and report back. */
export interface SessionClientOptions {
  baseUrl: string;
  token: string;
  authForm: AuthForm;
  onAuthForm(form: AuthForm): void;
}

/**
 * Which `Authorization` form each token is accepted in, keyed by the token's
 * fingerprint (never the token). Background only.
 */
export interface AuthFormMemory {
  get(fingerprint: string): Promise<AuthForm | null>;
  set(fingerprint: string, form: AuthForm): Promise<void>;
}

/**
 * The `AuthFormMemory` kept in extension storage. The raw form is the
 * default, so only a discovered `bearer` is stored; the newest few tokens'.
 */
export const storedAuthForms: AuthFormMemory = {
  async get(fingerprint) {
    const forms = await authFormsItem.getValue();
    return Object.hasOwn(forms, fingerprint) ? (forms[fingerprint] ?? null) : null;
  },
  async set(fingerprint, form) {
    const { [fingerprint]: _previous, ...others } = await authFormsItem.getValue();
    const kept = Object.entries(others).slice(-(AUTH_FORMS_LIMIT - 1));
    await authFormsItem.setValue(Object.fromEntries(form === 'raw' ? kept : [...kept, [fingerprint, form]]));
  },
};

export interface SessionDeps {
  createClient(options: SessionClientOptions): Text2faClient;
  /** Where the token is kept (the extension origin's IndexedDB; see token-store.ts). */
  tokens: TokenStore;
  authForms: AuthFormMemory;
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

/**
 * The token as kept, or a refusal that says what is wrong with it (the rule
 * is `checkToken`, as in the forms, which also keeps a pasted "Bearer xyz" as "xyz").
 */
export function cleanToken(raw: string): string {
  const checked = checkToken(raw);
  if (!checked.ok) throw new SessionError('bad_token_format', checked.message);
  return checked.value;
}

export type Session = ReturnType<typeof createSession>;

/** Creates the background's session manager. */
export function createSession(deps: SessionDeps) {
  async function state(): Promise<SessionState> {
    const [token, account, problem, baseUrl] = await Promise.all([
      deps.tokens.get(),
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

  /** A client for `token` that starts with the form it was last accepted in, and remembers a new one. */
  async function clientFor(token: string, baseUrl: string): Promise<{ client: Text2faClient; accountId: string }> {
    const accountId = await tokenFingerprint(token);
    const authForm = (await deps.authForms.get(accountId).catch(() => null)) ?? 'raw';
    const client = deps.createClient({
      baseUrl,
      token,
      authForm,
      onAuthForm: (form) => void deps.authForms.set(accountId, form).catch(() => undefined),
    });
    return { client, accountId };
  }

  async function fetchAccount(token: string, baseUrl: string): Promise<CachedAccount> {
    const { client, accountId } = await clientFor(token, baseUrl);
    const details = await client.accountDetails();
    return { ...details, accountId, checkedAt: deps.now() };
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
      const token = await deps.tokens.get();
      if (token === null) return null;
      return clientFor(token, await getApiBaseUrl());
    },

    /** Stores a balance an API answer carried (refunds, renewals), or re-reads it when unknown. */
    async balanceChanged(balance: number | null): Promise<void> {
      const account = await accountItem.getValue();
      if (balance !== null && account) {
        await accountItem.setValue({ ...account, balance, checkedAt: deps.now() });
        return;
      }
      const token = await deps.tokens.get();
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
      await deps.tokens.set(token);
      await accountItem.setValue(account);
      await sessionProblemItem.setValue(null);
      return state();
    },

    async signOut(): Promise<SessionState> {
      await deps.tokens.set(null);
      await accountItem.setValue(null);
      await sessionProblemItem.setValue(null);
      return state();
    },

    /** Re-reads the balance; a failure is kept for the UI and rethrown. */
    async refreshAccount(): Promise<SessionState> {
      const token = await deps.tokens.get();
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
