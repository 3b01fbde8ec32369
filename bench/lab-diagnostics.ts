import { parseLabText } from '../extension/core/lab/parse';
import { median } from '../extension/core/measuring/workloads/stats';
import { report } from './stats';

/** A generated lab file of about `lines` lines, with a few mistakes so every check runs. */
export function largeLab(lines: number): string {
  const out = ['hosts:', '  lab-b: { kind: ssh, address: 10.0.0.2 }', 'vms:'];
  let i = 0;
  while (out.length < lines - 10) {
    out.push(`  vm${i}:`, '    image: builtin', '    cpus: 1', `    memory: ${i % 50 === 0 ? '1 GB' : '1G'}`, `    nic: ${i % 2 === 0 ? 'virtio' : 'e1000'}`, '    accel: auto');
    i += 1;
  }
  out.push('experiments:', '  e1: { vm: vm0, matrix: { accel: [kvm, tcg] }, benchmarks: [sysbench-cpu] }');
  return out.join('\n') + '\n';
}

/** Parse + validate time of a 2,000-line lab file (the language server's work per change; goal < 50 ms). */
export function benchLabDiagnostics(): void {
  const text = largeLab(2000);
  const times: number[] = [];
  let diagnostics = 0;
  for (let i = 0; i < 30; i += 1) {
    const started = performance.now();
    diagnostics = parseLabText(text, '/bench/qemu-lab.yaml').diagnostics.length;
    times.push(performance.now() - started);
  }
  report(`lab diagnostics, ${text.split('\n').length - 1} lines (median of 30)`, `${median(times).toFixed(1)} ms (${diagnostics} diagnostics)`);
}
