/**
 * The Markdown of hovers: what a key means, its default and the QEMU option it becomes; what an
 * entry (host, network, VM, experiment, migration) amounts to. Descriptions and defaults come
 * from the JSON schema; QEMU options from the real argument builder.
 */
import type { HostCapabilities } from '../core/infrastructure/hosts/probes/capabilities';
import type { LabModel, VmSpec } from '../core/lab/model';
import { formatSize } from '../core/lab/sizes';
import { nicDriver } from '../core/infrastructure/qemu/argv';
import { isNetworkBenchmark, planExperiment } from '../core/measuring/experiments/plan';
import { directionWords } from '../core/measuring/experiments/summary';
import type { SectionKey } from '../core/lab/vocabulary';
import { formatDefault, keySchema, type LabShape } from './lab-schema';
import { formatVersion, MIGRATION_CAPABILITY_FEATURES } from './qemu-features';
import { formatArgv, formatCommandLines, qemuArgvFor, qemuOptionsFor, type EffectiveAccel } from './qemu-options';

/** What a hover over a key or value may draw on. */
export interface HoverFacts {
  readonly lab: LabModel | undefined;
  readonly capabilitiesByHost: ReadonlyMap<string, HostCapabilities>;
}

const code = (text: string): string => `\`${text.replaceAll('`', "'")}\``;

/** The description of `key` in a `shape` mapping, and its default unless the description says it. */
export function keyDocumentation(shape: LabShape, key: string): string[] {
  const schema = keySchema(shape, key);
  if (schema === undefined) return [];
  const lines = [`**${key}**`, ''];
  if (schema.description !== undefined) lines.push(schema.description);
  const defaultText = formatDefault(schema.default);
  if (defaultText !== undefined && !/\bdefault\b/i.test(schema.description ?? '')) lines.push('', `Default: ${code(defaultText)}`);
  return lines;
}

/** The QEMU options `key` of `vm` becomes (with `accel: auto`, both possibilities, and which one the host's probe picks). */
export function vmOptionLines(key: string, vm: VmSpec, host: HostCapabilities | undefined): string[] {
  const accels: EffectiveAccel[] = vm.accel === 'auto' ? ['kvm', 'tcg'] : [vm.accel];
  const shown = new Set<string>();
  const lines: string[] = [];
  for (const accel of accels) {
    const options = qemuOptionsFor(key, vm, accel);
    if (options === undefined || shown.has(options)) continue;
    shown.add(options);
    lines.push(vm.accel === 'auto' && key === 'accel' ? `QEMU (${accel === 'kvm' ? 'where KVM is usable' : 'otherwise'}): ${code(options)}` : `QEMU: ${code(options)}`);
  }
  if (host !== undefined) lines.push(...hostLines(key, vm, host));
  return lines.flatMap((line) => ['', line]);
}

/** What the host's last probe says about `key` of `vm`. */
function hostLines(key: string, vm: VmSpec, host: HostCapabilities): string[] {
  const on = `On host ${code(vm.host)} (QEMU ${formatVersion(host.qemu.version)})`;
  switch (key) {
    case 'accel':
      return [`${on}: KVM ${host.kvm.status.usable ? 'is usable' : 'is not usable'}. ${host.kvm.status.reason}`];
    case 'nic': {
      const driver = nicDriver(vm.nic);
      const model = host.nicModels.find((m) => m.name === driver || m.alias === driver);
      if (model === undefined) return [`${on}: no NIC model ${code(driver)}.`];
      const alias = model.alias === undefined ? '' : `, alias ${code(model.alias)}`;
      return [`${on}: ${code(model.name)}${alias}, bus ${model.bus}${model.description === undefined ? '' : `, ${model.description}`}.`];
    }
    case 'machine': {
      const machine = host.machines.find((m) => m.name === vm.machine);
      if (machine === undefined) return [`${on}: no machine type ${code(vm.machine)}.`];
      return [`${on}: ${code(machine.aliasOf ?? machine.name)}, ${machine.description}.`];
    }
    case 'memory':
      return host.memoryBytes > 0 ? [`${on}: ${formatSize(host.memoryBytes)} of memory.`] : [];
    default:
      return [];
  }
}

/** The QMP side of a migration key. */
export function migrationOptionLines(key: string, item: string | undefined): string[] {
  switch (key) {
    case 'maxBandwidth':
      return ['', `QMP: ${code('migrate-set-parameters')} with ${code('max-bandwidth')} (bytes per second)`];
    case 'downtimeLimit':
      return ['', `QMP: ${code('migrate-set-parameters')} with ${code('downtime-limit')} (milliseconds)`];
    case 'capabilities': {
      const feature = item === undefined ? undefined : MIGRATION_CAPABILITY_FEATURES[item as keyof typeof MIGRATION_CAPABILITY_FEATURES];
      const lines = ['', `QMP: ${code('migrate-set-capabilities')}`];
      if (feature !== undefined) lines.push('', `${code(item ?? '')} is QEMU's ${code(feature.qmpName)}, from QEMU ${feature.since.major}.${feature.since.minor}.`);
      return lines;
    }
    case 'to':
      return ['', `The destination's QEMU starts with ${code('-incoming defer')}; the VM's state then streams to it.`];
    default:
      return [];
  }
}

/** A summary of entry `name` of `section`. */
export function entrySummary(section: SectionKey, name: string, facts: HoverFacts): string[] {
  const { lab, capabilitiesByHost } = facts;
  switch (section) {
    case 'hosts':
      return hostSummary(name, lab, capabilitiesByHost.get(name));
    case 'networks': {
      const network = lab?.networks.get(name);
      const vms = [...(lab?.vms.values() ?? [])].filter((vm) => vm.network === name).map((vm) => vm.name);
      const lines = [`**network ${name}**`];
      if (network?.kind === 'bridge') lines.push('', `Linux bridge ${code(network.bridge)} on the host; each VM on it gets a TAP device enslaved to it.`);
      if (network?.kind === 'isolated') {
        lines.push('', `Isolated: a bridge in a network namespace QEMU Lab makes and owns, host side ${code(network.address)}; QEMU and the host side of benchmarks run in it.`);
      }
      if (vms.length > 0) lines.push('', `VMs on it: ${vms.map(code).join(', ')}`);
      return lines;
    }
    case 'vms':
      return vmSummary(name, lab, facts.capabilitiesByHost);
    case 'experiments': {
      const experiment = lab?.experiments.get(name);
      if (lab === undefined || experiment === undefined) return [`**experiment ${name}**`];
      // Every cell as if the host could run it: whether KVM is usable is known only at run time.
      const plan = planExperiment(lab, name, { usable: true, reason: '' });
      const guestCells = plan.cells.filter((c) => c.target === 'guest').length;
      const hostCells = plan.cells.length - guestCells;
      const directions = experiment.benchmarks.some(isNetworkBenchmark) ? `; iperf ${experiment.directions.map(directionWords).join(' and ')}` : '';
      return [
        `**experiment ${name}** on VM ${code(experiment.vm)}`,
        '',
        `${plan.configs.length} configuration(s), ${guestCells} guest cell(s)${hostCells > 0 ? ` and ${hostCells} host cell(s)` : ''}${directions}: ${plan.plannedRuns} runs of ${experiment.durationSeconds} s (${experiment.repetitions} per cell, after a warm-up)`,
      ];
    }
    case 'migrations': {
      const migration = lab?.migrations.get(name);
      if (migration === undefined) return [`**migration ${name}**`];
      const from = lab?.vms.get(migration.vm)?.host ?? 'local';
      const extras = [
        migration.maxBandwidthBytesPerSecond === undefined ? undefined : `at most ${formatSize(migration.maxBandwidthBytesPerSecond)}/s`,
        migration.downtimeLimitMs === undefined ? undefined : `downtime at most ${migration.downtimeLimitMs} ms`,
        migration.capabilities.length === 0 ? undefined : `with ${migration.capabilities.join(', ')}`,
      ].filter((part) => part !== undefined);
      return [`**migration ${name}**: VM ${code(migration.vm)} from host ${code(from)} to host ${code(migration.to)}`, ...(extras.length > 0 ? ['', extras.join('; ')] : [])];
    }
  }
}

function hostSummary(name: string, lab: LabModel | undefined, probe: HostCapabilities | undefined): string[] {
  const host = lab?.hosts.get(name);
  const lines = [`**host ${name}**`];
  if (host?.kind === 'ssh') {
    const target = host.user === undefined ? host.address : `${host.user}@${host.address}`;
    const argv = ['ssh', ...(host.port === undefined ? [] : ['-p', String(host.port)]), ...(host.identity === undefined ? [] : ['-i', host.identity]), target];
    lines.push('', `Reached over SSH: ${code(formatArgv(argv))}`);
  } else if (host !== undefined) {
    lines.push('', 'This machine.');
  }
  if (probe === undefined) {
    lines.push('', host?.kind === 'ssh' ? 'Not probed: remote hosts are not probed yet.' : 'Not probed yet.');
    return lines;
  }
  lines.push(
    '',
    `QEMU ${formatVersion(probe.qemu.version)} (${code(probe.qemu.path)}); ${probe.cpu.count} CPU(s), ${formatSize(probe.memoryBytes)} of memory.`,
    '',
    `KVM: ${probe.kvm.status.usable ? 'usable' : 'not usable'}. ${probe.kvm.status.reason}`,
    '',
    `Probed at ${probe.probedAt}.`,
  );
  return lines;
}

function vmSummary(name: string, lab: LabModel | undefined, capabilitiesByHost: ReadonlyMap<string, HostCapabilities>): string[] {
  const vm = lab?.vms.get(name);
  if (vm === undefined) return [`**VM ${name}**`];
  const probe = capabilitiesByHost.get(vm.host);
  const accel: EffectiveAccel = vm.accel === 'auto' ? (probe?.kvm.status.usable === true ? 'kvm' : 'tcg') : vm.accel;
  const why =
    vm.accel !== 'auto' ? '' : probe === undefined ? ' (accel auto: shown with tcg; kvm where usable)' : ` (accel auto on host ${code(vm.host)}: ${accel})`;
  return [
    `**VM ${name}** on host ${code(vm.host)}: ${vm.cpus} CPU(s), ${formatSize(vm.memoryBytes)}, ${vm.machine}, ${vm.nic}, network ${vm.network}`,
    '',
    `QEMU command line${why}:`,
    '',
    '```sh',
    ...formatCommandLines('qemu-system-x86_64', qemuArgvFor(vm, accel)),
    '```',
  ];
}
