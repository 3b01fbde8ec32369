import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eagerFiles } from './eager-files';
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
 * What activation loads of the production build (dist/extension.mjs and the chunks it imports
 * statically, minified) against the goal of 300 KB, and what loads on first use beside it
 * (scripts/build.mjs).
 */
function benchBundleSizes(root: string): void {
  const out = mkdtempSync(join(tmpdir(), 'qemu-lab-bench-bundles-'));
  try {
    const build = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), '--production', `--outdir=${out}`], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    if (build.status !== 0) {
      report('extension bundle (production)', `not measured: the build exited with ${build.status}`);
      return;
    }
    const bytes = (file: string) => statSync(join(out, file)).size;
    const kb = (size: number) => `${(size / 1024).toFixed(0)} KB`;
    const eager = eagerFiles(out, 'extension.mjs');
    const chunks = readdirSync(out).filter((file) => file.endsWith('.mjs') && !eager.includes(file));
    report('extension code loaded at activation', `${kb(eager.reduce((sum, file) => sum + bytes(file), 0))} minified in ${eager.length} files (goal < 300 KB)`);
    report('  loaded on first use', `${kb(chunks.reduce((sum, file) => sum + bytes(file), 0))} in ${chunks.length} chunks, language-client.js ${kb(bytes('language-client.js'))}, ssh2.js ${kb(bytes('ssh2.js'))}`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
