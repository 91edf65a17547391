/**
 * Test builds only (production builds drop this module): answers the
 * background's `{ t2faTest: 1, hook: 'probe' }` with everything this content
 * script can read of the extension's storage, so a browser test in either
 * browser can prove the token is out of its reach. Firefox offers no way to
 * run code in a content script's world from outside; this is that way.
 */

interface StorageAreaLike {
  get(keys: null): Promise<Record<string, unknown>>;
}

export interface ProbeGlobals {
  storage?: { local?: StorageAreaLike; session?: StorageAreaLike; sync?: StorageAreaLike };
  indexedDB?: IDBFactory;
}

/** What each storage area gave this content script: its items, or the error the browser raised. */
export type ProbeResult = Record<string, { items: Record<string, unknown> } | { error: string }>;

async function readArea(area: StorageAreaLike | undefined): Promise<{ items: Record<string, unknown> } | { error: string }> {
  if (!area) return { error: 'not available' };
  try {
    return { items: await area.get(null) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** The names of the IndexedDB databases this content script can see (the page's own origin's). */
async function databases(idb: IDBFactory | undefined): Promise<{ items: Record<string, unknown> } | { error: string }> {
  if (!idb?.databases) return { error: 'not available' };
  try {
    const list = await idb.databases();
    return { items: Object.fromEntries(list.map((db) => [db.name ?? '', db.version ?? null])) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** Reads whatever storage the content script is allowed to read. */
export async function probeStorage(globals: ProbeGlobals): Promise<ProbeResult> {
  return {
    local: await readArea(globals.storage?.local),
    session: await readArea(globals.storage?.session),
    sync: await readArea(globals.storage?.sync),
    indexedDB: await databases(globals.indexedDB),
  };
}

/** Whether a message is the background's probe request. */
export function isProbe(message: unknown): boolean {
  const m = message as { t2faTest?: unknown; hook?: unknown } | null;
  return !!m && m.t2faTest === 1 && m.hook === 'probe';
}
