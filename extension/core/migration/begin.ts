/**
 * Begin (on the source): the VM runs, the destination is another host (or the same one when
 * explicitly allowed), both QEMUs can do what is asked, and the address the source will
 * connect to is known. Nothing is started yet.
 */
import { describeError, HostError } from '../errors';
import type { HostSystem } from '../infrastructure/hosts/system/host-system';
import { isQmpObject } from '../infrastructure/qmp/messages';
import { locationOf } from '../machines/vm/vm-record';
import { resolveVm } from '../machines/vm/resolve-vm';
import { isOurQemu } from '../machines/vm/process';
import { parseMachineHelp } from '../infrastructure/hosts/probes/qemu-help';
import { backendKindProblem } from '../lab/backend-kinds';
import { capabilityNames, capabilityProblems } from './capabilities';
import { crossVersionProblem, machineOfArgv } from './cross-version';
import { tcgMigrationWarning } from './known-faults';
import { decideDiskMove } from './disk-move';
import { BUILTIN_IMAGE, MIGRATION_DEFAULTS } from '../lab/vocabulary';
import type { BeginFacts, MigrationContext } from './context';
import { MigrationError } from './errors';
import { describeLocation, destinationLocation } from './location';
import { QmpLink } from './qmp-link';
import { destinationAddress, parseSshConnection, type SshConnectionInfo } from './uri';

/** Statuses of `query-migrate` that mean a migration is under way already. */
const BUSY: readonly string[] = ['setup', 'active', 'postcopy-active', 'postcopy-paused', 'postcopy-recover', 'pre-switchover', 'device', 'cancelling', 'wait-unplug'];

async function sshConnectionOf(system: HostSystem): Promise<SshConnectionInfo | undefined> {
  if (system.isLocal) return undefined;
  const result = await system.run('sh', ['-c', 'printf %s "$SSH_CONNECTION"'], { check: false, timeoutMs: 15_000 });
  return parseSshConnection(result.stdout);
}

function systemFor(ctx: MigrationContext, host: string): HostSystem {
  try {
    return ctx.deps.backend.systemOf({ host });
  } catch (error) {
    if (error instanceof HostError) {
      throw new MigrationError(`Cannot migrate to "${host}": ${error.message}`, { phase: 'begin', hint: error.hint, cause: error });
    }
    throw error;
  }
}

/** Runs begin; fills `ctx.begin`. */
export async function begin(ctx: MigrationContext): Promise<BeginFacts> {
  const { request, deps } = ctx;
  const vm = resolveVm(request.lab, request.vmName);
  const kinds = backendKindProblem(vm.name, request.lab.hosts.get(vm.host), request.lab.hosts.get(request.to));
  if (kinds !== undefined) throw new MigrationError(`${kinds.problem}.`, { phase: 'begin', hint: kinds.hint });
  const home = { labPath: request.lab.path, vmName: vm.name, host: vm.host };
  const source = await deps.backend.find(home);
  if (source === undefined || !source.alive || source.pid === undefined) {
    throw new MigrationError(`VM "${vm.name}" is not running, so there is nothing to migrate.`, { phase: 'begin', hint: `Start it with qemu-lab up ${vm.name}.` });
  }
  const sourceLocation = locationOf(source.record);
  if (!request.lab.hosts.has(request.to)) {
    const names = [...request.lab.hosts.keys()].join(', ');
    throw new MigrationError(`The lab file has no host "${request.to}".`, { phase: 'begin', hint: `Its hosts are: ${names}. Add the destination under hosts:.` });
  }
  if (request.to === sourceLocation.host && request.allowSameHost !== true) {
    throw new MigrationError(`VM "${vm.name}" already runs on host "${request.to}".`, {
      phase: 'begin',
      hint: 'Migrate it to another host of the lab. (A second QEMU on the same host, over loopback, is only for tests: --same-host.)',
    });
  }
  const destinationLoc = destinationLocation({ host: vm.host }, sourceLocation, request.to);
  const sourceSystem = systemFor(ctx, sourceLocation.host);
  const destinationSystem = systemFor(ctx, request.to);

  const [sourceQemu, destinationQemu] = await Promise.all([
    deps.qemu(sourceSystem, request.lab.hosts.get(sourceLocation.host)?.qemu),
    deps.qemu(destinationSystem, request.lab.hosts.get(request.to)?.qemu),
  ]);
  const versions = { source: sourceQemu.version, destination: destinationQemu.version };
  if (versions.source.major !== versions.destination.major || versions.source.minor !== versions.destination.minor) {
    // Two releases: only a versioned machine type the destination also has keeps the hardware.
    const help = await destinationSystem.run(destinationQemu.binary, ['-machine', 'help'], { timeoutMs: 20_000 });
    const problem = crossVersionProblem({
      machine: machineOfArgv(source.record.argv) ?? vm.machine,
      versions,
      hosts: { source: sourceLocation.host, destination: request.to },
      destinationMachines: parseMachineHelp(help.stdout).map((m) => m.name),
    });
    if (problem !== undefined) throw new MigrationError(problem.message, { phase: 'begin', hint: problem.hint });
  }
  const fault = tcgMigrationWarning(versions.source, versions.destination, source.record.accel);
  if (fault !== undefined) ctx.note(fault);
  if (source.record.accel === 'kvm') {
    const kvm = await deps.kvm(destinationSystem);
    if (!kvm.usable) {
      throw new MigrationError(`VM "${vm.name}" runs under KVM, and KVM is not usable on "${request.to}": ${kvm.reason}`, {
        phase: 'begin',
        hint: 'A KVM guest (-cpu host) can only move to a host where KVM is usable too.',
      });
    }
  }

  const link = new QmpLink({
    end: 'source',
    vmName: vm.name,
    connect: (client) => deps.backend.connectQmp(source.record, client),
    isAlive: () => isOurQemu(sourceSystem, source.pid as number, source.record.files.pidFile),
    phase: () => ctx.machine.phase,
    events: ['MIGRATION', 'MIGRATION_PASS', 'STOP', 'RESUME'],
    onEvent: (event) => ctx.sourceEvents?.(event),
    onConnected: (client) => ctx.options.onQmpConnected?.('source', client),
  });
  try {
    await link.open();
  } catch (error) {
    throw new MigrationError(`Cannot reach the QMP monitor of VM "${vm.name}": ${describeError(error)}`, {
      phase: 'begin',
      hint: 'Another client may hold its QMP socket (a QMP socket serves one client at a time); try again.',
      cause: error,
    });
  }
  try {
    const status = await link.execute('query-status', undefined, { idempotent: true });
    const runState = isQmpObject(status) && typeof status.status === 'string' ? status.status : 'unknown';
    if (runState !== 'running' && runState !== 'paused') {
      throw new MigrationError(`VM "${vm.name}" is ${runState}; only a running or paused VM can migrate.`, {
        phase: 'begin',
        hint: runState === 'postmigrate' ? 'It already migrated away; see qemu-lab status.' : 'Wait until it runs, or resume it.',
      });
    }
    const migrating = await link.execute('query-migrate', undefined, { idempotent: true });
    if (isQmpObject(migrating) && typeof migrating.status === 'string' && BUSY.includes(migrating.status)) {
      throw new MigrationError(`VM "${vm.name}" is already migrating (${migrating.status}).`, { phase: 'begin', hint: 'Wait for it to end, or cancel it (qemu-lab qmp ' + vm.name + ' migrate_cancel).' });
    }
    const names = capabilityNames(await link.execute('query-migrate-capabilities', undefined, { idempotent: true }));
    const problems = capabilityProblems(request.settings.capabilities, versions, names);
    if (problems.length > 0) {
      throw new MigrationError(`The QEMUs cannot do what this migration asks: ${problems.map((p) => p.message).join('; ')}.`, {
        phase: 'begin',
        hint: 'Leave those capabilities out, or update QEMU on that host.',
      });
    }

    // A disk guest runs on its overlay in the state on its host: another host needs that disk copied, or shared.
    const disk =
      vm.image !== BUILTIN_IMAGE && sourceLocation.host !== request.to
        ? await decideDiskMove({
            vmName: vm.name,
            storage: request.storage ?? MIGRATION_DEFAULTS.storage,
            source: { host: sourceLocation.host, system: sourceSystem, link },
            destination: { host: request.to, system: destinationSystem },
            note: ctx.note,
          })
        : undefined;
    if (vm.network === 'user' && source.record.ssh !== undefined) {
      ctx.note(`The guest's SSH port is forwarded by the source QEMU (${source.record.ssh.host}:${source.record.ssh.port} on "${sourceLocation.host}"): open sessions end with the migration; the new endpoint is shown afterwards.`);
    }

    // Two hosts of kind local (e.g. one per QEMU version) are one machine too.
    const sameMachine = sourceLocation.host === request.to || (sourceSystem.isLocal && destinationSystem.isLocal);
    const [destinationSsh, sourceSsh] = sameMachine || request.destinationAddress !== undefined
      ? [undefined, undefined]
      : await Promise.all([sshConnectionOf(destinationSystem), sshConnectionOf(sourceSystem)]);
    const address = destinationAddress({
      sameMachine,
      override: request.destinationAddress,
      destinationIsLocal: destinationSystem.isLocal,
      destinationSsh,
      sourceSsh,
    });
    const facts: BeginFacts = {
      vm,
      home,
      source,
      sourceKey: { labPath: home.labPath, vmName: vm.name, ...sourceLocation },
      sourceSystem,
      sourceLink: link,
      sourceRunState: runState,
      destinationKey: { labPath: home.labPath, vmName: vm.name, ...destinationLoc },
      destinationLocation: destinationLoc,
      destinationSystem,
      destinationBinary: destinationQemu.binary,
      address,
      versions,
      ...(disk === undefined ? {} : { disk }),
    };
    ctx.note(`Migrating ${vm.name} from ${describeLocation(sourceLocation)} to ${describeLocation(destinationLoc)} (the destination listens on ${address}).`);
    return facts;
  } catch (error) {
    await link.close();
    throw error;
  }
}
