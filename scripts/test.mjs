// `npm test`: every check a change must pass, in order, ending with one line CI reads:
// `N passed, N failed`. Static checks count as one test each; vitest reports its own count.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';

const only = process.argv.slice(2); // e.g. `npm test -- unit` runs the unit tier only; `e2e` the e2e suite
const vitestOnly = only.filter((p) => p !== 'e2e');
const runVitest = only.length === 0 || vitestOnly.length > 0;
const runE2e = only.length === 0 || only.includes('e2e');
const steps = [
  { name: 'typecheck', argv: ['npx', 'tsc', '--noEmit', '-p', '.'] },
  { name: 'lint', argv: ['npx', 'eslint', '.'] },
  { name: 'build', argv: ['node', 'scripts/build.mjs'] },
];
let passed = 0;
let failed = 0;
/** Every test's wall time, for the slowest-ten list at the end: `{ name, ms }`. */
const timings = [];
/** Each vitest file's wall time, set-up hooks included (a shared VM boots in beforeAll). */
const fileTimings = [];
const runStarted = Date.now();

mkdirSync('test-results', { recursive: true });
// The e2e tools (code-server builds native modules: minutes on a fresh machine) install while the
// other tiers run, not after them. scripts/e2e/setup.mjs is safe to run concurrently (a lock), and
// the e2e run below checks the install again, reporting any failure of it as its own.
let e2eSetup;
if (runE2e) {
  const log = openSync('test-results/e2e-setup.log', 'w');
  const child = spawn(process.execPath, ['scripts/e2e/setup.mjs'], { stdio: ['ignore', log, log] });
  closeSync(log);
  e2eSetup = new Promise((resolve) => {
    child.on('exit', (code) => resolve(code));
    child.on('error', () => resolve(1));
  });
}

for (const step of steps) {
  console.log(`\n▶ ${step.name}: ${step.argv.join(' ')}`);
  const stepStarted = Date.now();
  const result = spawnSync(step.argv[0], step.argv.slice(1), { stdio: 'inherit' });
  timings.push({ name: step.name, ms: Date.now() - stepStarted });
  if (result.status === 0) passed += 1;
  else {
    failed += 1;
    console.log(`✗ ${step.name} failed`);
  }
}

if (runVitest) {
  const report = 'test-results/vitest.json';
  rmSync(report, { force: true });
  const projects = vitestOnly.flatMap((p) => ['--project', p]);
  console.log(`\n▶ vitest ${projects.join(' ')}`);
  const vitest = spawnSync(
    'npx',
    ['vitest', 'run', ...projects, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
    { stdio: 'inherit' },
  );
  if (existsSync(report)) {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    passed += json.numPassedTests;
    failed += json.numFailedTests;
    for (const file of json.testResults ?? []) {
      const relative = file.name.startsWith(process.cwd()) ? file.name.slice(process.cwd().length + 1) : file.name;
      if (typeof file.startTime === 'number' && typeof file.endTime === 'number') fileTimings.push({ name: relative, ms: file.endTime - file.startTime });
      for (const test of file.assertionResults ?? []) {
        if (typeof test.duration === 'number') timings.push({ name: `${relative} › ${test.fullName}`, ms: test.duration });
      }
    }
    // A suite that failed to load (or a global teardown that found a leftover QEMU) fails the run
    // even when no single test did.
    if (json.numFailedTestSuites > 0 && json.numFailedTests === 0) failed += json.numFailedTestSuites;
  }
  if (vitest.status !== 0 && failed === 0) failed += 1; // e.g. vitest crashed, or teardown threw
}

// End-to-end: the extension in a real VS Code (code-server) in Chromium (test/e2e/). Its tools
// install once into ~/.cache/qemu-lab/e2e; each scenario and extension-host test counts as one.
if (runE2e) {
  const e2eReport = 'test-results/e2e/results.json';
  rmSync(e2eReport, { force: true });
  const setupExit = await e2eSetup;
  console.log(`\n▶ e2e tools installed alongside (exit ${setupExit}; log test-results/e2e-setup.log)`);
  console.log('\n▶ e2e: node scripts/e2e/run.mjs --no-build');
  const e2e = spawnSync('node', ['scripts/e2e/run.mjs', '--no-build'], { stdio: 'inherit' });
  let e2eFailed = 0;
  if (existsSync(e2eReport)) {
    const json = JSON.parse(readFileSync(e2eReport, 'utf8'));
    passed += json.passed;
    e2eFailed = json.failed;
    for (const test of json.tests ?? []) timings.push({ name: `e2e › ${test.name}`, ms: test.durationMs });
  }
  if (e2e.status !== 0 && e2eFailed === 0) e2eFailed = 1; // e.g. the harness crashed
  failed += e2eFailed;
}

// The ten slowest tests, so a slow newcomer shows up in every run (the whole run should stay
// well under CI's 90 minutes on a fresh machine).
const slowest = timings.sort((a, b) => b.ms - a.ms).slice(0, 10);
console.log(`\nThe ten slowest tests (whole run ${((Date.now() - runStarted) / 60_000).toFixed(1)} min):`);
for (const t of slowest) console.log(`  ${(t.ms / 1000).toFixed(1).padStart(7)} s  ${t.name}`);
if (fileTimings.length > 0) {
  console.log('The five slowest test files (their set-up included):');
  for (const t of fileTimings.sort((a, b) => b.ms - a.ms).slice(0, 5)) console.log(`  ${(t.ms / 1000).toFixed(1).padStart(7)} s  ${t.name}`);
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
