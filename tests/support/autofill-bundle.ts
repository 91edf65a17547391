/**
 * The autofill module (utils/autofill) as one classic script defining the global
 * `T2faAutofill`, for injection into a page's own world or a CDP isolated world.
 */
import * as esbuild from 'esbuild';
import path from 'node:path';
import type * as Autofill from '../../utils/autofill/index';

/** What the bundle puts on the global object of the world it runs in. */
export type AutofillGlobal = typeof Autofill;

export const AUTOFILL_GLOBAL = 'T2faAutofill';

let cached: Promise<string> | undefined;

/** Bundles utils/autofill/index.ts once per process (the source does not change during a run). */
export function autofillBundle(): Promise<string> {
  cached ??= esbuild
    .build({
      entryPoints: [path.resolve('utils/autofill/index.ts')],
      bundle: true,
      format: 'iife',
      globalName: AUTOFILL_GLOBAL,
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
    })
    .then((r) => {
      const [out] = r.outputFiles;
      if (!out) throw new Error('esbuild produced no bundle for utils/autofill/index.ts');
      return out.text;
    });
  return cached;
}
