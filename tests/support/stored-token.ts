/**
 * Reads the token the background keeps in the extension origin's IndexedDB
 * (utils/background/token-store.ts). Pass it to `evaluate` in one of the
 * extension's own pages, which share that origin; null when none is stored.
 */
export function readStoredToken(): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('t2fa-secrets');
    open.onerror = () => reject(open.error);
    open.onupgradeneeded = () => open.result.createObjectStore('secrets');
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
