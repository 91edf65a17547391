/**
 * Where the API token is kept: the extension origin's IndexedDB.
 *
 * `storage.local` would be simpler, but Firefox lets content scripts read it
 * (Chromium's `setAccessLevel` guard has no Firefox counterpart), and a
 * content script runs in every page. A content script's `indexedDB` is the
 * page's own, so the extension origin's database is out of its reach in both
 * browsers, while the background and the extension's own pages share it.
 * Only the background opens this store.
 */

/** The token, read and written by the background only. */
export interface TokenStore {
  get(): Promise<string | null>;
  set(token: string | null): Promise<void>;
}

const DB_NAME = 't2fa-secrets';
const DB_VERSION = 1;
const STORE = 'secrets';
const TOKEN_KEY = 'token';

/** Opens the secrets database, creating its one object store on first use. */
function openDatabase(idb: IDBFactory): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = idb.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      if (!request.result.objectStoreNames.contains(STORE)) request.result.createObjectStore(STORE);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('The extension could not open its token store.'));
    request.onblocked = () => reject(new Error('The extension\'s token store is blocked by another of its pages.'));
  });
}

/** Runs one request in its own transaction and resolves when that transaction has committed. */
function run<T>(db: IDBDatabase, mode: IDBTransactionMode, make: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(STORE, mode);
    const request = make(transaction.objectStore(STORE));
    transaction.oncomplete = () => resolve(request.result);
    transaction.onerror = () => reject(transaction.error ?? request.error ?? new Error('The token store failed.'));
    transaction.onabort = () => reject(transaction.error ?? new Error('The token store was aborted.'));
  });
}

/** The token where a build before this one kept it: moved in once, then removed there. */
export interface LegacyTokenLocation {
  read(): Promise<string | null>;
  remove(): Promise<void>;
}

/**
 * Creates the store over `idb` (the background's `indexedDB`). A token an
 * older build left in `storage.local` is moved here on first use, so an
 * update keeps the user signed in and leaves no copy behind.
 */
export function createTokenStore(idb: IDBFactory, legacy?: LegacyTokenLocation): TokenStore {
  let db: Promise<IDBDatabase> | null = null;
  let migrated: Promise<void> | null = null;

  function database(): Promise<IDBDatabase> {
    db ??= openDatabase(idb).then((opened) => {
      // Another version of the extension upgrading the database closes this connection; reopen later.
      opened.onversionchange = () => {
        opened.close();
        db = null;
      };
      return opened;
    });
    db.catch(() => {
      db = null;
    });
    return db;
  }

  async function readToken(): Promise<string | null> {
    const value = await run(await database(), 'readonly', (store) => store.get(TOKEN_KEY) as IDBRequest<unknown>);
    return typeof value === 'string' ? value : null;
  }

  async function writeToken(token: string | null): Promise<void> {
    await run<unknown>(await database(), 'readwrite', (store) =>
      token === null ? (store.delete(TOKEN_KEY) as IDBRequest<unknown>) : (store.put(token, TOKEN_KEY) as IDBRequest<unknown>),
    );
  }

  function migrate(): Promise<void> {
    if (!legacy) return Promise.resolve();
    migrated ??= (async () => {
      const old = await legacy.read();
      if (old === null) return;
      if ((await readToken()) === null) await writeToken(old);
      // Removed only once the token is safe here, so a failed move loses nothing.
      await legacy.remove();
    })();
    migrated.catch(() => {
      migrated = null;
    });
    return migrated;
  }

  return {
    async get() {
      // A move that failed halfway is tried again next time; the token is read either way.
      await migrate().catch(() => undefined);
      return readToken();
    },
    async set(token) {
      await migrate().catch(() => undefined);
      await writeToken(token);
    },
  };
}
