import { TextDocument } from 'vscode-languageserver-textdocument';
import type { HostCapabilities } from '../extension/core/infrastructure/hosts/probes/capabilities';
import { completionsAt } from '../extension/server/completion-provider';
import { labDiagnostics } from '../extension/server/diagnostics-provider';
import { hoverAt } from '../extension/server/hover-provider';
import { LabAnalysis } from '../extension/server/lab-analysis';
import { largeLab } from './lab-diagnostics';
import { median } from '../extension/core/measuring/workloads/stats';
import { report } from './stats';

const RUNS = 30;

/** A probed host (made up, so the bench never runs QEMU): host checks run on every VM. */
const HOST: HostCapabilities = {
  host: 'local',
  qemu: { path: '/usr/bin/qemu-system-x86_64', version: { major: 7, minor: 2, micro: 0, text: 'QEMU emulator version 7.2.0' } },
  machines: [
    { name: 'q35', description: 'Standard PC (Q35 + ICH9, 2009)', aliasOf: 'pc-q35-7.2', isDefault: false },
    { name: 'pc', description: 'Standard PC (i440FX + PIIX, 1996)', aliasOf: 'pc-i440fx-7.2', isDefault: false },
  ],
  nicModels: [
    { name: 'e1000', bus: 'PCI', alias: 'e1000-82540em', description: 'Intel Gigabit Ethernet' },
    { name: 'virtio-net-pci', bus: 'PCI', alias: 'virtio-net', description: undefined },
  ],
  cpu: { model: 'bench', count: 2, flags: [] },
  memoryBytes: 16 * 1024 ** 3,
  kvm: { devKvmExists: true, status: { usable: false, reason: 'bench host' } },
  probedAt: new Date(0).toISOString(),
};

/** Median milliseconds of `task` over {@link RUNS} runs. */
function time(task: (run: number) => void): number {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    task(run);
    times.push(performance.now() - started);
  }
  return median(times);
}

/**
 * The language server's work on a 2,000-line lab file, by direct calls to its providers (the
 * connection adds only JSON). "After an edit" is a new document version, read from scratch;
 * "same version" reuses the reading diagnostics already did, as the server's cache does.
 */
export function benchLanguageServer(): void {
  const text = largeLab(2000);
  const lines = text.split('\n');
  const middle = Math.floor(lines.length / 2);
  const nicLine = lines.findIndex((line, i) => i >= middle && line.startsWith('    nic: '));
  const memoryLine = lines.findIndex((line, i) => i >= middle && line.startsWith('    memory: '));
  const hosts = new Map([['local', HOST]]);
  const version = (run: number): LabAnalysis => new LabAnalysis(TextDocument.create('file:///bench/qemu-lab.yaml', 'qemu-lab', run, text));
  const nicValue = { line: nicLine, character: 10 };
  const memoryKey = { line: memoryLine, character: 6 };

  let count = 0;
  const diagnostics = time((run) => {
    count = labDiagnostics(version(run), hosts).length;
  });
  const completion = time((run) => completionsAt(version(run), nicValue, hosts));
  const hover = time((run) => hoverAt(version(run), memoryKey, hosts));
  const warm = version(-1);
  labDiagnostics(warm, hosts);
  const warmCompletion = time(() => completionsAt(warm, nicValue, hosts));
  const warmHover = time(() => hoverAt(warm, memoryKey, hosts));

  const shown = `${lines.length - 1} lines`;
  report(`LSP diagnostics + host checks, ${shown}`, `${diagnostics.toFixed(1)} ms (median of ${RUNS}, ${count} diagnostics)`);
  report(`LSP completion after an edit, ${shown}`, `${completion.toFixed(1)} ms (median of ${RUNS})`);
  report(`LSP hover after an edit, ${shown}`, `${hover.toFixed(1)} ms (median of ${RUNS})`);
  report('LSP completion, same version', `${warmCompletion.toFixed(2)} ms (median of ${RUNS})`);
  report('LSP hover, same version', `${warmHover.toFixed(2)} ms (median of ${RUNS})`);
}
