/**
 * The parts of an ExtensionSession both browsers share: everything that runs
 * inside the control page (an extension page with the `browser`/`chrome` API)
 * is the same code in Chromium and Firefox.
 */
import type { DrivenPage, HookName, Reply } from './types';

type ApiGlobals = { browser?: ExtensionApi; chrome?: ExtensionApi };
interface ExtensionApi {
  runtime: { sendMessage(message: unknown): Promise<unknown> };
  storage: Record<'local' | 'session', { get(key: string): Promise<Record<string, unknown>>; set(items: object): Promise<void> }>;
  tabs: { query(query: object): Promise<{ id?: number }[]> };
}

/** Sends one protocol message from an extension page. */
export function sendFrom(control: DrivenPage, type: string, payload: Record<string, unknown> = {}): Promise<Reply> {
  return control.evaluate(
    async ({ type, payload }) => {
      const api = ((globalThis as ApiGlobals).browser ?? (globalThis as ApiGlobals).chrome)!;
      try {
        return (await api.runtime.sendMessage({ t2fa: 1, type, payload })) as Reply;
      } catch (error) {
        return { ok: false, error: { kind: 'transport', message: String(error) } };
      }
    },
    { type, payload },
  );
}

/** Calls a background test hook from an extension page. */
export function hookFrom<T>(control: DrivenPage, hook: HookName, args: Record<string, unknown> = {}): Promise<T> {
  return control.evaluate(
    async ({ hook, args }) => {
      const api = ((globalThis as ApiGlobals).browser ?? (globalThis as ApiGlobals).chrome)!;
      return (await api.runtime.sendMessage({ t2faTest: 1, hook, args })) as never;
    },
    { hook, args },
  );
}

/** Reads a storage item from an extension page (storage reads do not wake the background). */
export function storageFrom<T>(control: DrivenPage, key: string, area: 'local' | 'session'): Promise<T | undefined> {
  return control.evaluate(
    async ({ key, area }) => {
      const api = ((globalThis as ApiGlobals).browser ?? (globalThis as ApiGlobals).chrome)!;
      return (await api.storage[area].get(key))[key] as never;
    },
    { key, area },
  );
}

/** Signs in as the Setup form does: the token goes through session storage, the message carries none. */
export function signInFrom(control: DrivenPage, token: string): Promise<Reply> {
  return control.evaluate(async (token) => {
    const api = ((globalThis as ApiGlobals).browser ?? (globalThis as ApiGlobals).chrome)!;
    await api.storage.session.set({ tokenHandoff: token });
    return (await api.runtime.sendMessage({ t2fa: 1, type: 'session.setToken', payload: {} })) as Reply;
  }, token);
}

/**
 * The id of the tab opened last (the highest id): the extension cannot read
 * tab addresses, so tests find the tab they just opened this way.
 */
export function newestTabIdFrom(control: DrivenPage): Promise<number> {
  return control.evaluate(async () => {
    const api = ((globalThis as ApiGlobals).browser ?? (globalThis as ApiGlobals).chrome)!;
    return Math.max(...(await api.tabs.query({})).map((t) => t.id ?? -1));
  });
}

/** Points the build at a simulator, through the same message the options page's developer section uses. */
export async function useSimulator(control: DrivenPage, baseUrl: string): Promise<void> {
  const reply = await sendFrom(control, 'dev.setApiBaseUrl', { url: baseUrl });
  if (!reply.ok) throw new Error(`could not set the API URL: ${JSON.stringify(reply)}`);
}
