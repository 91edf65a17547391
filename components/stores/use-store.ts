/**
 * Reads a zustand store from a Preact component. zustand's own `useStore`
 * goes through React's `useSyncExternalStore`, which would pull all of
 * preact/compat into the popup for this one hook.
 */
import { useEffect, useReducer, useRef } from 'preact/hooks';
import type { StoreApi } from 'zustand/vanilla';

const whole = <S,>(state: S) => state;

/** The store's state (or the part `selector` picks); re-renders when that changes. */
export function useStore<S>(store: StoreApi<S>): S;
export function useStore<S, U>(store: StoreApi<S>, selector: (state: S) => U): U;
export function useStore<S, U>(store: StoreApi<S>, selector: (state: S) => U = whole as (state: S) => U): U {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const selected = selector(store.getState());
  const latest = useRef({ selector, selected });
  latest.current = { selector, selected };
  useEffect(() => {
    const check = () => {
      const { selector: select, selected: shown } = latest.current;
      if (!Object.is(select(store.getState()), shown)) rerender(0);
    };
    // The store may have changed between this render and the subscription.
    check();
    return store.subscribe(check);
  }, [store]);
  return selected;
}
