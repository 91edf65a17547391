// Builds the fixture sign-up pages (tests/fixtures/pages/<name>/) into
// .output/fixtures/<name>/ for the browser tests: HTML and CSS copied as they
// are, every main.* / frame.* entry bundled by esbuild (React .jsx, Vue render
// functions, plain TS, Svelte 5 components and rune modules compiled with
// svelte/compiler, Angular compiled just in time in the page). CSS a page
// imports lands beside its bundle as main.css; fonts are left out.
//
//   node scripts/build-fixtures.mjs           build unless the stamp says the inputs are unchanged
//   node scripts/build-fixtures.mjs --force   build regardless
//
// Test workers run this at the same time, so every file is written by rename
// (readers never see half a file) and the output is deterministic (two builds
// writing the same file write the same bytes).
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { compile, compileModule } from 'svelte/compiler';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SRC = path.join(ROOT, 'tests/fixtures/pages');
const OUT = path.join(ROOT, '.output/fixtures');
const STAMP = '.stamp';
const ENTRY = /^(main|frame)\.(ts|tsx|jsx|js)$/;
const COPIED = /\.(html|css)$/;
// A change of any of these changes the bundles, so they are part of the stamp.
const PACKAGES = [
  'esbuild',
  'svelte',
  'react',
  'react-dom',
  'react-otp-input',
  'input-otp',
  'vue',
  'vue3-otp-input',
  // the component libraries of the code-widget survey
  '@angular/compiler',
  '@angular/core',
  '@angular/forms',
  '@chakra-ui/react',
  '@emotion/react',
  '@mantine/core',
  '@mui/material',
  '@primeuix/themes',
  '@radix-ui/react-one-time-password-field',
  'antd',
  'bits-ui',
  'mui-one-time-password-input',
  'naive-ui',
  'ng-otp-input',
  'primereact',
  'primevue',
  'react-phone-number-input',
  'react-verification-input',
  'reka-ui',
  'vuetify',
];

// Dirent types rather than stat(): another worker's temporary file may vanish mid-walk.
function filesUnder(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

function inputsHash() {
  const h = createHash('sha256');
  for (const f of [fileURLToPath(import.meta.url), ...filesUnder(SRC)]) h.update(path.relative(ROOT, f)).update('\0').update(readFileSync(f));
  // read from node_modules: some packages (Mantine) do not export their package.json
  for (const pkg of PACKAGES) h.update(`${pkg}@${JSON.parse(readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version}\0`);
  return h.digest('hex');
}

/** Writes via a temporary file and rename, so a concurrent reader or builder never sees a partial file. */
function writeAtomic(file, contents) {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, contents);
  renameSync(tmp, file);
}

/**
 * Compiles .svelte components and .svelte.js/.svelte.ts rune modules (bits-ui ships both) to
 * client JS; esbuild then bundles that like any other module.
 */
const sveltePlugin = {
  name: 'svelte',
  setup(build) {
    build.onLoad({ filter: /\.svelte(\.[jt]s)?$/ }, async (args) => {
      let source = readFileSync(args.path, 'utf8');
      const isModule = !args.path.endsWith('.svelte');
      try {
        // compileModule reads JavaScript: a TypeScript rune module loses its types first
        if (args.path.endsWith('.ts')) source = (await esbuild.transform(source, { loader: 'ts' })).code;
        const opts = { filename: args.path, generate: 'client', dev: false };
        const { js, warnings } = isModule ? compileModule(source, opts) : compile(source, opts);
        return {
          contents: js.code,
          loader: 'js',
          resolveDir: path.dirname(args.path),
          warnings: warnings.map((w) => ({ text: w.message, location: w.start && { file: args.path, line: w.start.line, column: w.start.column } })),
        };
      } catch (e) {
        return { errors: [{ text: e.message, location: e.start && { file: args.path, line: e.start.line, column: e.start.column } }] };
      }
    });
  },
};

async function build() {
  const pages = readdirSync(SRC, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('_'))
    .map((e) => e.name)
    .sort();
  const entryPoints = [];
  const copies = [];
  for (const dir of [...pages, '_shared']) {
    for (const name of readdirSync(path.join(SRC, dir)).sort()) {
      const p = path.join(SRC, dir, name);
      if (ENTRY.test(name)) entryPoints.push(p);
      else if (COPIED.test(name)) copies.push(p);
    }
  }

  const result = await esbuild.build({
    entryPoints,
    outbase: SRC,
    outdir: OUT,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    // drops the development builds that `process.env.NODE_ENV` rules out; names stay readable
    minifySyntax: true,
    write: false,
    logLevel: 'warning',
    // The repo tsconfig sets Preact as JSX source for the extension; these pages use React.
    tsconfigRaw: { compilerOptions: { jsx: 'react-jsx', jsxImportSource: 'react', useDefineForClassFields: true } },
    jsx: 'automatic',
    jsxImportSource: 'react',
    conditions: ['svelte', 'browser'],
    mainFields: ['svelte', 'browser', 'module', 'main'],
    define: {
      'process.env.NODE_ENV': '"production"',
      // other build-time switches some libraries read (Vuetify's dependencies: VITE_LOGGER_ENABLED)
      'process.env': '{}',
      __VUE_OPTIONS_API__: 'true',
      __VUE_PROD_DEVTOOLS__: 'false',
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    },
    // Theme stylesheets (PrimeReact's Lara) name web fonts; system fonts do for a fixture.
    loader: { '.woff': 'empty', '.woff2': 'empty', '.ttf': 'empty', '.eot': 'empty' },
    plugins: [sveltePlugin],
  });

  const written = new Set();
  for (const f of result.outputFiles) {
    writeAtomic(f.path, f.contents);
    written.add(f.path);
  }
  for (const p of copies) {
    const dest = path.join(OUT, path.relative(SRC, p));
    writeAtomic(dest, readFileSync(p));
    written.add(dest);
  }
  // Drop what an earlier build made for a page or file that no longer exists.
  for (const f of filesUnder(OUT))
    if (!written.has(f) && path.basename(f) !== STAMP && !f.endsWith('.tmp')) rmSync(f, { force: true });
  return pages;
}

const started = Date.now();
mkdirSync(OUT, { recursive: true });
const hash = inputsHash();
let stamp = '';
try {
  stamp = readFileSync(path.join(OUT, STAMP), 'utf8');
} catch {
  // no earlier build
}
if (stamp === hash && !process.argv.includes('--force')) {
  console.log(`fixtures: up to date in ${path.relative(ROOT, OUT)}`);
} else {
  const pages = await build();
  writeAtomic(path.join(OUT, STAMP), hash);
  console.log(`fixtures: built ${pages.length} pages into ${path.relative(ROOT, OUT)} in ${Date.now() - started} ms`);
}
