import { fire, getValue, setProp, sleep } from './input';

/** What each field holds before a strategy runs. */
export type Snapshot = Array<readonly [HTMLInputElement, string]>;

export const snapshot = (fields: HTMLInputElement[]): Snapshot => fields.map((f) => [f, getValue(f)] as const);

/**
 * Puts back what a failed strategy changed, last box first, with input and change events so the
 * page's framework state follows the fields back.
 */
export function restore(snap: Snapshot): void {
  for (const [f, v] of [...snap].reverse())
    if (getValue(f) !== v) {
      setProp(f, 'value', v);
      fire(f, 'input', { inputType: 'insertReplacementText', data: v });
      fire(f, 'change');
    }
}

const bare = (v: string): string => v.replace(/[\s-]/g, '').toLowerCase();

/**
 * Reads back what the page holds across `fields` (in the order they were filled, and in tree
 * order) and returns true when that is exactly `code`, else what it holds. A framework may apply
 * its state a little later (a microtask, a timer, an animation frame): a mismatch is read again
 * twice before it counts.
 */
export async function verify(fields: HTMLInputElement[], order: HTMLInputElement[], code: string): Promise<true | string> {
  // a field the framework replaced holds nothing for the page
  const held = (fs: HTMLInputElement[]): string => fs.map((f) => (f.isConnected ? getValue(f) : '')).join('');
  for (const ms of [0, 20, 60]) {
    await sleep(ms);
    if ([order, fields].some((fs) => bare(held(fs)) === bare(code))) return true;
  }
  return held(order);
}
