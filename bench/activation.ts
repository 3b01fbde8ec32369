import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eagerFiles } from './eager-files';
import { report } from './stats';

interface ActivationFigures {
  readonly startupPerformance?: {
    readonly loadCodeMs: number;
    readonly callActivateMs: number;
    readonly finishActivateMs: number;
    readonly event: string;
    readonly importMs?: number;
    readonly loadsInsideWindow?: readonly { readonly extension: string; readonly msInside: number }[];
  };
  readonly extHostActivateMs?: number;
}

/**
 * Activation time as the extension host itself measures it (Developer: Startup Performance),
 * from the e2e activation scenario in a real VS Code (goal: under 50 ms).
 */
export function benchActivation(): void {
  const root = join(__dirname, '..');
  benchBundleSizes(root);
  // Twice: with the view opened at start-up, as a user who reopens VS Code on the view sees it,
  // and after the extension host's start-up has settled, so that other extensions' synchronous
  // loads (which run inside an ES module's async import) are not in the figure.
  for (const settleMs of [0, 30_000]) measureActivation(root, settleMs);
}

function measureActivation(root: string, settleMs: number): void {
  const when = settleMs === 0 ? 'view opened at start-up' : `view opened ${settleMs / 1000} s after start-up`;
  const file = join(root, 'test-results/e2e/activation.json');
  rmSync(file, { force: true }); // never report an earlier run's figures
  const run = spawnSync(process.execPath, [join(root, 'scripts/e2e/run.mjs'), 'activation'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, QEMU_LAB_E2E_ACTIVATION_SETTLE_MS: String(settleMs) },
  });
  if (run.status !== 0 || !existsSync(file)) {
    report(`activation, ${when} (real VS Code)`, `not measured: the e2e activation scenario failed (exit ${run.status})`);
    return;
  }
  const figures = JSON.parse(readFileSync(file, 'utf8')) as ActivationFigures;
  const s = figures.startupPerformance;
  if (s !== undefined) {
    report(`activation on ${s.event}, ${when}`, `load code ${s.loadCodeMs} ms + activate() ${s.callActivateMs} ms + finish ${s.finishActivateMs} ms`);
    if (s.importMs !== undefined) report('  of which the import() itself (raw perf marks)', `${s.importMs} ms`);
    const inside = s.loadsInsideWindow ?? [];
    const total = inside.reduce((sum, load) => sum + load.msInside, 0);
    if (inside.length > 0) report(`  other extensions' loads inside that load code: ${total} ms`, inside.map((load) => `${load.extension} ${load.msInside}`).join(', '));
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
