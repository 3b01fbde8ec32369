import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { report } from './stats';

interface ActivationFigures {
  readonly startupPerformance?: { readonly loadCodeMs: number; readonly callActivateMs: number; readonly finishActivateMs: number; readonly event: string };
  readonly extHostActivateMs?: number;
}

/**
 * Activation time as the extension host itself measures it (Developer: Startup Performance),
 * from the e2e activation scenario in a real VS Code (goal: under 50 ms).
 */
export function benchActivation(): void {
  const root = join(__dirname, '..');
  benchBundleSizes(root);
  const run = spawnSync(process.execPath, [join(root, 'scripts/e2e/run.mjs'), 'activation'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const file = join(root, 'test-results/e2e/activation.json');
  if (run.status !== 0 || !existsSync(file)) {
    report('activation (real VS Code)', `not measured: the e2e activation scenario failed (exit ${run.status})`);
    return;
  }
  const figures = JSON.parse(readFileSync(file, 'utf8')) as ActivationFigures;
  const s = figures.startupPerformance;
  if (s !== undefined) {
    report(`activation on ${s.event} (Startup Performance)`, `load code ${s.loadCodeMs} ms + activate() ${s.callActivateMs} ms + finish ${s.finishActivateMs} ms`);
  }
  if (figures.extHostActivateMs !== undefined) report('  ext.activate() in a fresh extension host', `${figures.extHostActivateMs.toFixed(0)} ms`);
}

/**
 * The production bundle activation loads (dist/extension.js, minified) against the goal of
 * 300 KB, and the bundles loaded on first use beside it (scripts/build.mjs).
 */
function benchBundleSizes(root: string): void {
  const out = mkdtempSync(join(tmpdir(), 'qemu-lab-bench-bundles-'));
  try {
    const build = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), '--production', `--outdir=${out}`], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    if (build.status !== 0) {
      report('extension bundle (production)', `not measured: the build exited with ${build.status}`);
      return;
    }
    const kb = (file: string) => `${(statSync(join(out, file)).size / 1024).toFixed(0)} KB`;
    report('extension bundle loaded at activation', `${kb('extension.js')} minified (goal < 300 KB)`);
    report('  loaded on first use', `language-client.js ${kb('language-client.js')}, ssh2.js ${kb('ssh2.js')}`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
