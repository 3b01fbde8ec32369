import { median } from '../extension/core/measuring/workloads/stats';
import { parseLabText } from '../extension/core/lab/parse';
import { MAX_ALIASES, MAX_NESTING_DEPTH } from '../extension/core/lab/read-yaml';
import { scanYaml } from '../extension/core/lab/yaml-scan';
import { hostileLabTexts } from '../test/support/hostile-lab-texts';
import { largeLab } from './lab-diagnostics';
import { report } from './stats';

const LIMITS = { maxDepth: MAX_NESTING_DEPTH, maxAliases: MAX_ALIASES };

function medianMs(runs: number, work: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    work();
    times.push(performance.now() - started);
  }
  return median(times);
}

/**
 * What the lab-file limits cost and save: the bounded scan on a normal lab file against the whole
 * parse of it, then each hostile ~1 MiB text (refused by a limit) parsed as the CLI and the
 * language server do, with the heap it grew by. Unguarded, 1 MiB of `[` took ~10 s and ~1 GB.
 */
export function benchLabLimits(): void {
  const normal = largeLab(2000);
  const scan = medianMs(30, () => scanYaml(normal, LIMITS));
  const whole = medianMs(30, () => parseLabText(normal, '/bench/qemu-lab.yaml'));
  report(`lab limits: scan of a ${normal.split('\n').length - 1}-line lab (median of 30)`, `${scan.toFixed(1)} ms (whole parse ${whole.toFixed(1)} ms)`);
  for (const [kind, make] of Object.entries(hostileLabTexts)) {
    const text = make();
    let code = '';
    const heapBefore = process.memoryUsage().heapUsed;
    const time = medianMs(5, () => {
      code = parseLabText(text, '/bench/hostile.yaml').diagnostics[0]?.code ?? 'accepted';
    });
    const heapGrowth = Math.max(0, process.memoryUsage().heapUsed - heapBefore) / (1024 * 1024);
    report(`  refused: ${kind} (${(text.length / 1024).toFixed(0)} KiB, median of 5)`, `${time.toFixed(1)} ms, heap +${heapGrowth.toFixed(0)} MB (${code})`);
  }
}
