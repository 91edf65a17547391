// `npm test`: type-check, release builds and their checks, unit tests (vitest),
// browser tests (Playwright).
// Every stage runs even when an earlier one failed, so one run shows every
// problem; the exit code is non-zero when any stage failed. Each runner
// writes a JSON report under reports/ that .ci/run counts from.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';

const bin = (name) => `node_modules/.bin/${name}`;
const stages = [
  { name: 'typecheck', cmd: bin('tsc'), args: ['--noEmit'] },
  { name: 'release', cmd: process.execPath, args: ['scripts/check-release.mjs'] },
  { name: 'unit', cmd: bin('vitest'), args: ['run'] },
  { name: 'browser', cmd: bin('playwright'), args: ['test'] },
];

mkdirSync('reports', { recursive: true });
const results = {};
for (const stage of stages) {
  console.log(`\n=== ${stage.name}: ${stage.cmd} ${stage.args.join(' ')}`);
  const run = spawnSync(stage.cmd, stage.args, { stdio: "inherit" });
  results[stage.name] = run.status === 0;
  if (run.status !== 0) console.error(`=== ${stage.name} failed (exit ${run.status ?? run.signal})`);
}
writeFileSync('reports/stages.json', JSON.stringify(results, null, 2));

const failed = Object.entries(results).filter(([, ok]) => !ok).map(([name]) => name);
console.log(failed.length ? `\nnpm test: failed stages: ${failed.join(', ')}` : '\nnpm test: all stages passed');
process.exit(failed.length ? 1 : 0);

