// `npm run test:e2e [-- NAME … --update-screenshots]`: install the e2e tools (cached), build the
// extension, run test/e2e/run.ts. `--no-build` skips the build (npm test has just built).
// Ends with `N passed, N failed`; test-results/e2e/results.json holds the counts.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureTools } from './setup.mjs';

const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const resultsDir = join(repoRoot, 'test-results', 'e2e');
const args = process.argv.slice(2);
const build = !args.includes('--no-build');
const passOn = args.filter((a) => a !== '--no-build');

function fail(what, message) {
  console.error(`e2e: ${what}: ${message}`);
  mkdirSync(resultsDir, { recursive: true });
  const report = { passed: 0, failed: 1, skipped: 0, tests: [{ kind: 'ui', name: what, outcome: 'failed', durationMs: 0, error: message }], measurements: {} };
  writeFileSync(join(resultsDir, 'results.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const started = Date.now();
let tools;
try {
  tools = ensureTools();
} catch (error) {
  fail('e2e setup', error instanceof Error ? error.message : String(error));
}
console.log(`e2e setup: ${((Date.now() - started) / 1000).toFixed(1)} s`);

if (build) {
  const result = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) fail('build', `node scripts/build.mjs exited with ${result.status}`);
}

mkdirSync(resultsDir, { recursive: true });
const toolsFile = join(repoRoot, 'test-results', 'e2e-tools.json');
writeFileSync(toolsFile, `${JSON.stringify(tools, null, 2)}\n`);
const result = spawnSync(process.execPath, ['--import', 'tsx', 'test/e2e/run.ts', ...passOn], {
  cwd: repoRoot,
  stdio: 'inherit',
  env: { ...process.env, QEMU_LAB_E2E_TOOLS: toolsFile },
});
process.exit(result.status ?? 1);
