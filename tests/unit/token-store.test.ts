import { describe, expect, it } from 'vitest';
import { IDBFactory } from 'fake-indexeddb';
import { createTokenStore } from '@/utils/background/token-store';

/** A token left by an older build in storage.local, as the background reads it. */
function legacy(initial: string | null) {
  let value = initial;
  let failRemove = false;
  return {
    location: {
      read: async () => value,
      remove: async () => {
        if (failRemove) {
          failRemove = false;
          throw new Error('storage refused');
        }
        value = null;
      },
    },
    get value() {
      return value;
    },
    failNextRemove() {
      failRemove = true;
    },
  };
}

describe('token store (the extension origin\'s IndexedDB)', () => {
  it('keeps the token across a restart of the background (a new store over the same database)', async () => {
    const idb = new IDBFactory();
    await createTokenStore(idb).set('tok-123456789');
    expect(await createTokenStore(idb).get()).toBe('tok-123456789');
    await createTokenStore(idb).set(null);
    expect(await createTokenStore(idb).get()).toBeNull();
  });

  it('starts empty', async () => {
    expect(await createTokenStore(new IDBFactory()).get()).toBeNull();
  });

  it('moves a token an older build left in storage.local, and removes it there', async () => {
    const idb = new IDBFactory();
    const old = legacy('legacy-token-1');
    expect(await createTokenStore(idb, old.location).get()).toBe('legacy-token-1');
    expect(old.value).toBeNull();
    expect(await createTokenStore(idb).get()).toBe('legacy-token-1');
  });

  it('a token set since wins over a legacy one, and the legacy copy is still removed', async () => {
    const idb = new IDBFactory();
    await createTokenStore(idb).set('new-token-22');
    const old = legacy('legacy-token-1');
    expect(await createTokenStore(idb, old.location).get()).toBe('new-token-22');
    expect(old.value).toBeNull();
  });

  it('a failed removal of the legacy copy loses nothing and is tried again', async () => {
    const idb = new IDBFactory();
    const old = legacy('legacy-token-1');
    old.failNextRemove();
    const store = createTokenStore(idb, old.location);
    expect(await store.get()).toBe('legacy-token-1');
    expect(old.value).toBe('legacy-token-1');
    expect(await store.get()).toBe('legacy-token-1');
    expect(old.value).toBeNull();
  });
});
