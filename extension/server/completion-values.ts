/**
 * The values a key may take, for completion: enumerations from the vocabulary, names defined in
 * the file, NIC models and machine types from the host's last probe, common sizes.
 */
import { CompletionItemKind } from 'vscode-languageserver';
import type { HostCapabilities } from '../core/infrastructure/hosts/probes/capabilities';
import { parseSize } from '../core/lab/sizes';
import { ACCELS, BLANK_IMAGE, BUILTIN_IMAGE, KNOWN_NICS, MACHINES, NAME_PATTERN } from '../core/lab/vocabulary';
import { nicDriver } from '../core/infrastructure/qemu/argv';
import type { ValueSpec } from './lab-schema';
import { namesOf, type NameIndex } from './name-index';
import { defaultVm } from '../core/lab/default-vm';
import { qemuOptionsFor } from './qemu-options';

/** One value to offer. */
export interface ValueCandidate {
  readonly label: string;
  readonly kind: CompletionItemKind;
  readonly detail?: string;
  readonly documentation?: string;
}

/** What the values of a place depend on. */
export interface ValueContext {
  readonly names: NameIndex;
  /** The host the place is about, and its last probe (if any). */
  readonly hostName: string;
  readonly host: HostCapabilities | undefined;
  /** Names not to offer (a migration's own source host). */
  readonly exclude?: readonly string[];
}

const SIZES = ['512M', '1G', '2G', '4G', '8G', '16G'];
const BANDWIDTHS = ['100M', '500M', '1G', '10G'];

/** The values `spec` allows here, in the order to show them. */
export function valueCandidates(spec: ValueSpec, context: ValueContext): ValueCandidate[] {
  const plain = (values: readonly string[], kind: CompletionItemKind = CompletionItemKind.Value): ValueCandidate[] =>
    values.map((label) => ({ label, kind }));
  switch (spec.kind) {
    case 'choice':
      return plain(spec.values, CompletionItemKind.EnumMember);
    case 'accel':
      return accelCandidates(context);
    case 'machine':
      return machineCandidates(context);
    case 'nic':
      return nicCandidates(context);
    case 'reference':
      // Only names a reference may use: an invalid one is reported where it is defined.
      return namesOf(context.names, spec.section)
        .filter((name) => NAME_PATTERN.test(name) && !(context.exclude ?? []).includes(name))
        .map((label) => ({ label, kind: CompletionItemKind.Reference }));
    case 'size':
      return sizeCandidates(context);
    case 'bandwidth':
      return plain(BANDWIDTHS);
    case 'duration':
      return plain(spec.examples);
    case 'boolean':
      return plain(['false', 'true'], CompletionItemKind.Keyword);
    case 'image':
      return [
        { label: BUILTIN_IMAGE, kind: CompletionItemKind.Value, detail: 'the built-in lab guest' },
        { label: BLANK_IMAGE, kind: CompletionItemKind.Value, detail: 'a blank disk of disk: bytes, to install on from cdrom:' },
      ];
    case 'mapping':
    case 'text':
      return [];
  }
}

function accelCandidates({ host, hostName }: ValueContext): ValueCandidate[] {
  const vm = defaultVm('vm');
  return ACCELS.map((accel) => {
    const options =
      accel === 'auto'
        ? `${qemuOptionsFor('accel', vm, 'kvm') ?? ''} or ${qemuOptionsFor('accel', vm, 'tcg') ?? ''}`
        : (qemuOptionsFor('accel', vm, accel) ?? '');
    const unusable = accel === 'kvm' && host !== undefined && !host.kvm.status.usable;
    return {
      label: accel,
      kind: CompletionItemKind.EnumMember,
      detail: unusable ? `${options} — KVM is not usable on host "${hostName}"` : options,
      ...(unusable ? { documentation: host.kvm.status.reason } : {}),
    };
  });
}

function machineCandidates({ host, hostName }: ValueContext): ValueCandidate[] {
  return MACHINES.map((machine) => {
    const info = host?.machines.find((m) => m.name === machine);
    const detail =
      host === undefined
        ? `-machine ${machine}`
        : info === undefined
          ? `not offered by the QEMU on host "${hostName}"`
          : `${info.aliasOf ?? machine}: ${info.description}`;
    return { label: machine, kind: CompletionItemKind.EnumMember, detail };
  });
}

function nicCandidates({ host, hostName }: ValueContext): ValueCandidate[] {
  const described = (name: string): ValueCandidate => {
    const driver = nicDriver(name);
    const info = host?.nicModels.find((model) => model.name === driver || model.alias === driver);
    const offered = host === undefined || info !== undefined;
    return {
      label: name,
      kind: CompletionItemKind.EnumMember,
      detail: offered ? `-device ${driver}${info?.description === undefined ? '' : ` (${info.description})`}` : `not offered by the QEMU on host "${hostName}"`,
    };
  };
  const known: string[] = [...KNOWN_NICS];
  // PCI models only: the lab's machine types attach the NIC to PCI.
  const fromHost = (host?.nicModels ?? []).filter((model) => model.bus === 'PCI' && !known.includes(model.name)).map((model) => model.name);
  return [...known, ...fromHost].map(described);
}

function sizeCandidates({ host, hostName }: ValueContext): ValueCandidate[] {
  const fits = (size: string): boolean => {
    const bytes = parseSize(size);
    return host === undefined || host.memoryBytes <= 0 || (bytes.ok && bytes.value <= host.memoryBytes);
  };
  const vm = defaultVm('vm');
  return SIZES.filter(fits).map((label) => {
    const bytes = parseSize(label);
    const option = bytes.ok ? qemuOptionsFor('memory', { ...vm, memoryBytes: bytes.value }, 'tcg') : undefined;
    return { label, kind: CompletionItemKind.Value, detail: option ?? label, ...(host === undefined ? {} : { documentation: `fits in host "${hostName}"'s memory` }) };
  });
}
