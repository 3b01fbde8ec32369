/**
 * The `migrations:` section: live migrations of a VM to another host.
 */
import { refusalFor } from './adopted-refusals';
import { backendKindProblem } from './backend-kinds';
import type { DiagnosticCollector } from './diagnostic';
import { MapReader } from './fields';
import type { HostSpec, MigrationSpec, VmSpec } from './model';
import type { References } from './references';
import { buildEntries, type NamedEntry } from './section';
import { parseDuringList } from '../migration/during/spec';
import { parseBandwidth, parseDuration } from './sizes';
import { BUILTIN_IMAGE, CAPABILITIES, LIMITS, MIGRATION_DEFAULTS, MIGRATION_KEYS, MIGRATION_STORAGES } from './vocabulary';
import { quote } from './wording';

/** Builds the migrations of a lab file; one without a usable VM or destination is left out (and reported). */
export function readMigrations(
  entries: readonly NamedEntry[],
  vms: ReadonlyMap<string, VmSpec>,
  hosts: ReadonlyMap<string, HostSpec>,
  references: References,
  diagnostics: DiagnosticCollector,
): Map<string, MigrationSpec> {
  return buildEntries(entries, (entry) => readMigration(entry, vms, hosts, references, diagnostics));
}

function readMigration(
  { name, span, body }: NamedEntry,
  vms: ReadonlyMap<string, VmSpec>,
  hosts: ReadonlyMap<string, HostSpec>,
  references: References,
  diagnostics: DiagnosticCollector,
): MigrationSpec | undefined {
  const owner = `migration ${quote(name)}`;
  const reader = new MapReader(body, owner, MIGRATION_KEYS, diagnostics);
  const vm = reader.requiredString('vm', 'the name of a VM', 'say which VM moves: add "vm: <name>"', span);
  const vmKnown = vm !== undefined && references.vm(owner, vm);
  const to = reader.requiredString('to', 'the name of a host', 'say where the VM moves: add "to: <host>"', span);
  const toKnown = to !== undefined && references.host(owner, to);
  const source = vmKnown ? vms.get(vm.value) : undefined;
  const sameHost = reader.boolean('sameHost')?.value ?? MIGRATION_DEFAULTS.sameHost;
  if (source !== undefined && toKnown && source.host === to.value && !sameHost) {
    diagnostics.error(
      'same-host',
      to.span,
      `${owner}: VM ${quote(source.name)} already runs on host ${quote(to.value)}; migrate it to another host (or add "sameHost: true" for a second QEMU on the same machine)`,
    );
  }
  const adopted = source === undefined ? undefined : refusalFor(source, 'migration');
  if (adopted !== undefined && vm !== undefined) diagnostics.error('adopted-domain-feature', vm.span, `${owner}: ${adopted.problem}. ${adopted.hint}`);
  const kinds = adopted === undefined && source !== undefined && toKnown ? backendKindProblem(source.name, hosts.get(source.host), hosts.get(to.value)) : undefined;
  if (kinds !== undefined && to !== undefined) diagnostics.error('backend-mismatch', to.span, `${owner}: ${kinds.problem}`);
  const bandwidth = reader.quantity('maxBandwidth', parseBandwidth, 'bad-bandwidth');
  if (bandwidth?.value === 0) {
    diagnostics.error('out-of-range', bandwidth.span, `${owner}: maxBandwidth cannot be 0; remove it for no limit`);
  }
  const downtime = reader.quantity('downtimeLimit', parseDuration, 'bad-duration');
  const { max } = LIMITS.downtimeLimitMs;
  if (downtime !== undefined && downtime.value > max) {
    diagnostics.error('out-of-range', downtime.span, `${owner}: downtimeLimit is at most ${max / 1000}s`);
  }
  const capabilities = reader.choiceList('capabilities', CAPABILITIES, 'migration capability', true);
  // The same words as `migrate --during`, checked by the same parser, one item at a time.
  const during = reader.stringList('during', {
    check: (item) => {
      const parsed = parseDuringList(item.value);
      if (parsed.ok && parsed.value.length === 1) return true;
      diagnostics.error('unknown-value', item.span, `${owner}: during: ${parsed.ok ? `"${item.value}" is one BENCH@WHERE per item` : parsed.message}`);
      return false;
    },
  });
  const storage = reader.oneOf('storage', MIGRATION_STORAGES, 'disk storage');
  if (storage !== undefined && source !== undefined && source.image === BUILTIN_IMAGE) {
    diagnostics.warning('ignored-key', storage.span, `${owner}: storage has no effect on the built-in guest (it has no disk of its own); it is for VMs with image:`);
  }
  const duringSeconds = reader.integer('duringSeconds', LIMITS.duringSeconds);
  if (duringSeconds !== undefined && during === undefined) {
    diagnostics.warning('ignored-key', duringSeconds.span, `${owner}: duringSeconds has no effect without during:; add during: [sysbench-cpu@guest] or remove it`);
  }

  if (source === undefined || !toKnown || !hosts.has(to.value) || (source.host === to.value && !sameHost)) return undefined;
  return {
    name,
    vm: source.name,
    to: to.value,
    maxBandwidthBytesPerSecond: bandwidth?.value === 0 ? undefined : bandwidth?.value,
    downtimeLimitMs: downtime !== undefined && downtime.value <= max ? downtime.value : undefined,
    capabilities: capabilities?.value ?? [...MIGRATION_DEFAULTS.capabilities],
    during: during?.value ?? [],
    duringSeconds: duringSeconds?.value ?? MIGRATION_DEFAULTS.duringSeconds,
    sameHost,
    storage: storage?.value ?? MIGRATION_DEFAULTS.storage,
    span,
  };
}
