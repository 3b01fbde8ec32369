import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Position } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { HostCapabilities } from '../../../extension/core/infrastructure/hosts/probes/capabilities';
import { judgeKvm } from '../../../extension/core/infrastructure/hosts/probes/kvm';
import { parseMachineHelp, parseNicModels } from '../../../extension/core/infrastructure/hosts/probes/qemu-help';
import { LabAnalysis } from '../../../extension/server/lab-analysis';

const fixtures = join(__dirname, '../../fixtures/qemu');

/** The URI every test document has. */
export const LAB_URI = 'file:///lab/qemu-lab.yaml';

/** The analysis of `text` as the lab file at {@link LAB_URI}. */
export function analysisOf(text: string, uri = LAB_URI): LabAnalysis {
  return new LabAnalysis(TextDocument.create(uri, 'qemu-lab', 1, text));
}

/** `marked` without its `‸`, and the position of the mark. */
export function cursor(marked: string): { text: string; position: Position } {
  const offset = marked.indexOf('‸');
  if (offset === -1) throw new Error('no ‸ in the text');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  return { text, position: TextDocument.create(LAB_URI, 'qemu-lab', 1, text).positionAt(offset) };
}

/** The analysis of `marked` and the position of its `‸`. */
export function analysisAt(marked: string): { analysis: LabAnalysis; position: Position } {
  const { text, position } = cursor(marked);
  return { analysis: analysisOf(text), position };
}

/**
 * Capabilities of a host running QEMU 7.2.22 (machine types and NIC models from captured help
 * output), 8 GiB of memory, 4 CPUs, and KVM usable or not: by default not, PVM-backed like the
 * machine these tests were written on. Tests inject these; they never probe the machine.
 */
export function fakeHost(overrides: Partial<HostCapabilities> & { kvmUsable?: boolean; version?: [number, number, number] } = {}): HostCapabilities {
  const { kvmUsable = false, version = [7, 2, 22], ...rest } = overrides;
  const cpuFlags = kvmUsable ? new Set(['vmx']) : new Set<string>();
  return {
    host: 'local',
    qemu: {
      path: '/usr/bin/qemu-system-x86_64',
      version: { major: version[0], minor: version[1], micro: version[2], text: `QEMU emulator version ${version.join('.')}` },
    },
    machines: parseMachineHelp(readFileSync(join(fixtures, 'machine-help-7.2.txt'), 'utf8')),
    nicModels: parseNicModels(readFileSync(join(fixtures, 'device-help-7.2.txt'), 'utf8')),
    cpu: { model: 'Test CPU', count: 4, flags: [...cpuFlags] },
    memoryBytes: 8 * 1024 ** 3,
    kvm: {
      devKvmExists: true,
      status: judgeKvm({ devKvmExists: true, devKvmAccessible: true, cpuFlags, modules: new Set(kvmUsable ? ['kvm_intel'] : ['kvm_pvm']) }),
    },
    probedAt: '2025-01-01T00:00:00.000Z',
    ...rest,
  };
}

/** `capabilities` as the map the providers take. */
export function hostsMap(...capabilities: HostCapabilities[]): Map<string, HostCapabilities> {
  return new Map(capabilities.map((c) => [c.host, c]));
}
