/**
 * Reads the token the background keeps in the extension origin's IndexedDB
 * (utils/background/token-store.ts). Pass it to `evaluate` in one of the
 * extension's own pages, which share that origin. Null when no token is
 * stored, or no store exists yet (reading never creates it).
 */
export function readStoredToken(): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('t2fa-secrets');
    open.onupgradeneeded = () => {
      open.transaction?.abort();
      resolve(null);
    };
    open.onerror = () => (open.error?.name === 'AbortError' ? undefined : reject(open.error));
    open.onsuccess = () => {
      const read = open.result.transaction('secrets').objectStore('secrets').get('token');
      read.onsuccess = () => {
        open.result.close();
        resolve(typeof read.result === 'string' ? read.result : null);
      };
      read.onerror = () => reject(read.error);
    };
  });
}
