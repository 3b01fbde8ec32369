/**
 * Live migration of a lab VM between two libvirt hosts, through libvirt itself:
 * `virsh migrate --live --p2p --persistent --undefinesource` run on the source's machine (see
 * `peer.ts` for how the source reaches the destination). libvirt owns the protocol and its
 * rollback; this drives it through the same phases, progress samples and summary as a direct
 * migration, so the live panel, `--json`, `--during` and the store take it unchanged:
 *
 * - **begin**: the VM runs on a libvirt host, the destination is another libvirt host, the tuning
 *   maps to libvirt's (`tuning.ts`), the destination has no domain of this VM.
 * - **prepare**: the destination's run directory, the guest's kernel and initrd placed there, its
 *   port forwards chosen, and the domain XML it gets (`--xml`, `--dname`).
 * - **perform**: `virsh migrate`, `domjobinfo` polled on the source for progress; cancel =
 *   `virsh domjobabort` (libvirt resumes the source and removes the destination's domain).
 * - **finish**: the destination runs the domain; its `domjobinfo --completed` gives the figures.
 * - **confirm**: the port forwards added there, the record written on the destination and the
 *   home record pointing at it, the source's run files removed.
 */
import { describeError, QemuLabError } from '../../errors';
import { domainName, metadataXml } from '../../infrastructure/libvirt/domain-xml';
import type { Virsh } from '../../infrastructure/libvirt/virsh';
import { parseDomjobinfo, parseDomstate } from '../../infrastructure/libvirt/virsh-parsers';
import type { PortForward } from '../../infrastructure/qemu/launch-plan';
import { sleep } from '../../infrastructure/support/sleep';
import type { VmKey } from '../../machines/vm/backend';
import type { LibvirtDomainAccess } from '../../machines/vm/libvirt-backend';
import { resolveVm } from '../../machines/vm/resolve-vm';
import { guestBootFor, networkOf } from '../../machines/vm/up';
import type { VmRunFiles } from '../../machines/vm/run-dir';
import { locationOf, type VmLocation, type VmRecord } from '../../machines/vm/vm-record';
import { BUILTIN_IMAGE } from '../../lab/vocabulary';
import { MigrationCancelledError, MigrationError } from '../errors';
import { describeLocation, destinationLocation, sameLocation } from '../location';
import { MigrationStateMachine, type MigrationPhase, type MigrationStep } from '../phases';
import type { MigrationProgress } from '../progress';
import type { MigrationDependencies, MigrationOptions, MigrationRequest } from '../request';
import { summarize, type MigrationOutcome, type MigrationSummary } from '../summary';
import { progressOfDomainJob } from './job-progress';
import { destinationDomainXml, libvirtPeer } from './peer';
import { libvirtTuning } from './tuning';

const DEFAULT_POLL_MS = 500;
/** `virsh migrate` may run this long unless the request bounds it (a slow link, a bandwidth cap). */
const MIGRATE_TIMEOUT_MS = 6 * 60 * 60 * 1000;
const FINISH_MS = 30_000;

/** What begin and prepare established. */
interface Facts {
  readonly home: VmKey;
  readonly source: VmRecord;
  readonly sourceKey: VmKey;
  readonly destinationKey: VmKey;
  readonly destinationLocation: VmLocation;
  readonly sourceVirsh: Virsh;
  readonly destinationVirsh: Virsh;
  readonly sourceDomain: string;
  readonly destinationDomain: string;
  readonly peerUri: string;
  readonly migrateUri: string;
  readonly tuningArgs: readonly string[];
  readonly downtimeLimitMs: number | undefined;
  readonly sourceRunState: 'running' | 'paused';
}

/** The state of one libvirt migration. */
interface State {
  readonly machine: MigrationStateMachine;
  readonly startedAt: Date;
  facts?: Facts;
  /** The destination's run directory was made: a failure removes what is in it. */
  destinationDir?: string;
  xmlPath?: string;
  destinationFiles?: VmRunFiles;
  forwards: PortForward[];
  sshPort?: number;
  lastProgress?: MigrationProgress;
  switchedToPostcopy: boolean;
  readonly warnings: string[];
}

function fail(step: MigrationStep, message: string, hint: string): MigrationError {
  return new MigrationError(message, { phase: step, hint });
}

/** The libvirt part of the dependencies, or why there is none. */
function libvirtOf(deps: MigrationDependencies): LibvirtDomainAccess {
  if (deps.libvirt === undefined) throw fail('begin', 'This session has no libvirt backend.', 'Run the migration from the CLI or an editor window with the lab open.');
  return deps.libvirt;
}

async function begin(request: MigrationRequest, deps: MigrationDependencies, options: MigrationOptions): Promise<Facts> {
  const libvirt = libvirtOf(deps);
  const vm = resolveVm(request.lab, request.vmName);
  const fromSpec = request.lab.hosts.get(vm.host);
  const toSpec = request.lab.hosts.get(request.to);
  if (fromSpec?.kind !== 'libvirt' || toSpec?.kind !== 'libvirt') throw new Error('migrateLibvirtVm needs two libvirt hosts.');
  if (vm.image !== BUILTIN_IMAGE) {
    throw fail('begin', `VM "${vm.name}" boots a disk image: a disk guest on a libvirt host does not migrate yet (its overlay lives in the source's state, and libvirt's disk copy is not wired in).`, 'Migrate the built-in guest, or run the disk guest on local or SSH hosts to migrate it with its disk.');
  }
  if (request.allowSameHost === true) throw fail('begin', 'A migration between libvirt hosts goes to another libvirt host (--same-host is for direct QEMU hosts).', 'Leave --same-host out.');
  const tuning = libvirtTuning(request.settings, options);
  if (!tuning.ok) {
    throw fail('begin', `libvirt cannot migrate as asked: ${tuning.problems.join('; ')}.`, 'Leave those settings out for a migration between libvirt hosts (see the README, libvirt section).');
  }
  const home: VmKey = { labPath: request.lab.path, vmName: vm.name, host: vm.host };
  const found = await deps.backend.find(home);
  if (found === undefined || !found.alive) {
    throw fail('begin', `VM "${vm.name}" is not running, so there is nothing to migrate.`, `Start it with qemu-lab up ${vm.name}.`);
  }
  const source = found.record;
  const sourceLocation = locationOf(source);
  const sourceSpec = request.lab.hosts.get(sourceLocation.host);
  if (sourceSpec?.kind !== 'libvirt') throw fail('begin', `VM "${vm.name}" runs on host "${sourceLocation.host}", which is not a libvirt host.`, 'Migrate it between two hosts of the same kind.');
  if (sourceLocation.host === request.to) throw fail('begin', `VM "${vm.name}" already runs on host "${request.to}".`, 'Migrate it to another host of the lab.');
  const peer = libvirtPeer({ name: sourceSpec.name, uri: sourceSpec.uri }, { name: toSpec.name, uri: toSpec.uri }, request.destinationAddress);
  if (!peer.ok) throw fail('begin', `Cannot migrate VM "${vm.name}" to "${request.to}": ${peer.problem}.`, peer.hint);

  const location = destinationLocation({ host: vm.host }, sourceLocation, request.to);
  const sourceVirsh = libvirt.virsh(sourceLocation.host);
  const destinationVirsh = libvirt.virsh(request.to);
  const sourceDomain = domainName(source);
  const destinationDomain = domainName({ labPath: home.labPath, vmName: vm.name, host: request.to });
  const state = parseDomstate((await sourceVirsh.runOnDomain(['domstate', '--reason', sourceDomain])) ?? '')?.state;
  if (state !== 'running' && state !== 'paused') {
    throw fail('begin', `VM "${vm.name}" is ${state ?? 'not a domain'} on "${sourceLocation.host}"; only a running or paused VM can migrate.`, 'Wait until it runs, or resume it.');
  }
  const job = parseDomjobinfo((await sourceVirsh.runOnDomain(['domjobinfo', sourceDomain])) ?? '');
  if (job.type !== 'None') throw fail('begin', `VM "${vm.name}" already has a libvirt job (${job.operation ?? job.type}).`, `Wait for it to end, or abort it (virsh domjobabort ${sourceDomain} on "${sourceLocation.host}").`);
  const there = await destinationVirsh.runOnDomain(['domstate', destinationDomain]);
  if (there !== undefined) {
    throw fail('begin', `Host "${request.to}" already has the domain ${destinationDomain} of VM "${vm.name}" (${there.trim()}).`, `Two copies of one VM must not run: remove that one first (virsh undefine ${destinationDomain} there, after checking which is which).`);
  }
  return {
    home,
    source,
    sourceKey: { labPath: home.labPath, vmName: vm.name, ...sourceLocation },
    destinationKey: { labPath: home.labPath, vmName: vm.name, ...location },
    destinationLocation: location,
    sourceVirsh,
    destinationVirsh,
    sourceDomain,
    destinationDomain,
    peerUri: peer.peerUri,
    migrateUri: peer.migrateUri,
    tuningArgs: tuning.args,
    downtimeLimitMs: tuning.downtimeLimitMs,
    sourceRunState: state,
  };
}

/** The destination's run directory, its guest files and port forwards, and the XML it gets, written next to the source's. */
async function prepare(request: MigrationRequest, deps: MigrationDependencies, st: State, facts: Facts): Promise<void> {
  const libvirt = libvirtOf(deps);
  const vm = resolveVm(request.lab, request.vmName);
  const sourceSystem = deps.backend.systemOf(facts.sourceKey);
  const destinationSystem = deps.backend.systemOf(facts.destinationKey);
  const network = networkOf(request.lab, vm);
  const [sourceMedia, destinationMedia] = [await guestBootFor(vm, request.lab.path, sourceSystem, deps, network), await guestBootFor(vm, request.lab.path, destinationSystem, deps, network)];
  st.destinationDir = await libvirt.runDirOf(facts.destinationKey);
  const files = await libvirt.prepareRunFiles(facts.destinationKey, { vnc: vm.vnc });
  // The forwards are the source QEMU's, on the source's loopback: the destination's QEMU gets its own.
  const forwardedGuestPorts = Object.keys(facts.source.forwardedPorts ?? {}).map(Number).filter((p) => Number.isInteger(p) && p !== 22);
  if (vm.network === 'user') {
    st.sshPort = vm.sshPort ?? (await destinationSystem.freeLoopbackPort());
    st.forwards = [{ hostPort: st.sshPort, guestPort: 22 }];
    for (const guestPort of forwardedGuestPorts) st.forwards.push({ hostPort: await destinationSystem.freeLoopbackPort(), guestPort });
  }
  const sourceDir = await libvirt.runDirOf(facts.sourceKey);
  const paths = [{ from: sourceDir, to: st.destinationDir }];
  if (sourceMedia.boot.kind === 'kernel' && destinationMedia.boot.kind === 'kernel') {
    paths.push({ from: sourceMedia.boot.kernel, to: destinationMedia.boot.kernel }, { from: sourceMedia.boot.initrd, to: destinationMedia.boot.initrd });
  }
  const xml = await facts.sourceVirsh.run(['dumpxml', '--migratable', facts.sourceDomain]);
  let destinationXml: string;
  try {
    destinationXml = destinationDomainXml(xml, {
      paths,
      metadata: metadataXml({ labPath: facts.home.labPath, vmName: vm.name, host: facts.destinationKey.host }, st.forwards),
    });
  } catch (error) {
    throw fail('prepare', `Cannot make the destination's domain XML of VM "${vm.name}": ${describeError(error)}`, 'The domain was changed outside QEMU Lab; restart the VM (qemu-lab down, then up) before migrating.');
  }
  // virsh reads --xml on the source's machine: the file goes into the source's run directory.
  st.xmlPath = `${sourceDir}/migrate-to-${facts.destinationKey.host}.xml`;
  await sourceSystem.writeTextAtomically(st.xmlPath, destinationXml);
  st.destinationFiles = files;
}

async function domainJob(virsh: Virsh, domain: string, completed: boolean): Promise<MigrationProgress | undefined> {
  const out = await virsh.runOnDomain(completed ? ['domjobinfo', '--completed', domain] : ['domjobinfo', domain]).catch(() => undefined);
  if (out === undefined) return undefined;
  const job = parseDomjobinfo(out);
  return job.type === 'None' ? undefined : progressOfDomainJob(job);
}

/** `virsh migrate` with the job polled for progress; cancel through `domjobabort`. */
async function perform(request: MigrationRequest, options: MigrationOptions, st: State, facts: Facts): Promise<void> {
  const { sourceVirsh, sourceDomain } = facts;
  if (facts.downtimeLimitMs !== undefined) {
    await sourceVirsh.run(['migrate-setmaxdowntime', sourceDomain, String(facts.downtimeLimitMs)]);
  }
  const argv = [
    'migrate',
    '--live',
    '--p2p',
    '--persistent',
    '--undefinesource',
    ...(facts.sourceRunState === 'paused' ? ['--suspend'] : []),
    ...facts.tuningArgs,
    '--migrateuri',
    facts.migrateUri,
    '--dname',
    facts.destinationDomain,
    '--xml',
    st.xmlPath ?? '',
    sourceDomain,
    facts.peerUri,
  ];
  let done = false;
  let aborted = false;
  let timedOut = false;
  const started = Date.now();
  const migrating = sourceVirsh.run(argv, { timeoutMs: MIGRATE_TIMEOUT_MS }).finally(() => (done = true));
  const abort = (): void => {
    if (aborted || done) return;
    aborted = true;
    void sourceVirsh.runOnDomain(['domjobabort', sourceDomain]).catch(() => undefined);
  };
  options.signal?.addEventListener('abort', abort);
  if (options.signal?.aborted === true) abort();
  const postcopyOn = request.settings.capabilities.includes('postcopy');
  let postcopyNoted = false;
  const switchToPostcopy = async (why: string): Promise<void> => {
    if (st.switchedToPostcopy || done) return;
    if (!postcopyOn) {
      if (!postcopyNoted) options.onNote?.(`Cannot switch to postcopy (${why}): the postcopy capability was not enabled before the migration started.`);
      postcopyNoted = true;
      return;
    }
    st.switchedToPostcopy = true;
    await sourceVirsh.runOnDomain(['migrate-postcopy', sourceDomain]);
    options.onNote?.(`Switched to postcopy (${why}).`);
  };
  // Progress while it runs, and what the options ask for on the way; the loop ends with virsh.
  const polling = (async () => {
    while (!done) {
      await Promise.race([sleep(options.pollIntervalMs ?? DEFAULT_POLL_MS), migrating.catch(() => undefined)]);
      if (done) break;
      const progress = await domainJob(sourceVirsh, sourceDomain, false);
      if (progress !== undefined && !done) {
        st.lastProgress = progress;
        options.onProgress?.(progress);
      }
      const elapsed = Date.now() - started;
      if (options.controls?.wantsPostcopy === true) await switchToPostcopy('asked for').catch(() => undefined);
      else if (options.postcopyAfterMs !== undefined && elapsed >= options.postcopyAfterMs) await switchToPostcopy(`${Math.round(options.postcopyAfterMs / 1000)} s after the start`).catch(() => undefined);
      if (options.timeoutMs !== undefined && elapsed >= options.timeoutMs && !st.switchedToPostcopy && !timedOut) {
        timedOut = true;
        abort();
      }
    }
  })();
  try {
    await migrating;
  } catch (error) {
    if (timedOut) {
      throw new MigrationError(`The migration did not finish within ${Math.round((options.timeoutMs ?? 0) / 1000)} s and was aborted (virsh domjobabort).`, {
        phase: 'perform',
        hint: 'Allow longer, or make it converge (auto-converge, postcopy, more bandwidth).',
        cause: error,
      });
    }
    if (aborted || options.signal?.aborted === true) {
      throw new MigrationCancelledError('The migration was cancelled.', { phase: 'perform', hint: 'libvirt aborted the job (virsh domjobabort).', cause: error });
    }
    const said = error instanceof QemuLabError ? error.message : describeError(error);
    throw new MigrationError(`The migration failed in perform: ${said}`, {
      phase: 'perform',
      hint: `The source's libvirtd connects to ${facts.peerUri} itself (over its own root's SSH for qemu+ssh) and QEMU's stream goes to ${facts.migrateUri}: check both from host "${facts.sourceKey.host}", or give the address with --address.`,
      cause: error,
    });
  } finally {
    options.signal?.removeEventListener('abort', abort);
    await polling;
  }
}

/** The destination runs the domain; libvirt's completed job there gives the figures. */
async function finish(options: MigrationOptions, st: State, facts: Facts): Promise<void> {
  const want = facts.sourceRunState;
  const deadline = Date.now() + (options.finishTimeoutMs ?? FINISH_MS);
  for (;;) {
    const read = parseDomstate((await facts.destinationVirsh.runOnDomain(['domstate', '--reason', facts.destinationDomain])) ?? '');
    if (read?.state === want) break;
    if (Date.now() > deadline) {
      throw fail('finish', `The destination's domain is ${read?.state ?? 'missing'}, not ${want}, after the migration.`, `Look at it with virsh -c … domstate ${facts.destinationDomain} on "${facts.destinationKey.host}".`);
    }
    await sleep(100);
  }
  const completed = await domainJob(facts.destinationVirsh, facts.destinationDomain, true);
  if (completed !== undefined) {
    st.lastProgress = completed;
    options.onProgress?.(completed);
  }
}

/** Records the VM on the destination and removes what the source's run directory no longer needs. Problems become warnings. */
async function confirm(deps: MigrationDependencies, st: State, facts: Facts): Promise<VmRecord> {
  const libvirt = libvirtOf(deps);
  const { source } = facts;
  const files = st.destinationFiles ?? (await libvirt.prepareRunFiles(facts.destinationKey, { vnc: source.files.vncSocket !== undefined }));
  const forwardedPorts = Object.fromEntries(st.forwards.filter((f) => f.guestPort !== 22).map((f) => [String(f.guestPort), f.hostPort]));
  const record: VmRecord = {
    ...source,
    host: facts.destinationKey.host,
    ...(facts.destinationKey.slot === undefined ? { slot: undefined } : { slot: facts.destinationKey.slot }),
    argv: ['libvirt-domain', facts.destinationDomain],
    ssh: source.ssh === undefined || st.sshPort === undefined ? source.ssh : { ...source.ssh, port: st.sshPort },
    ...(st.forwards.length === 0 ? {} : { forwardedPorts }),
    files,
    startedAt: new Date().toISOString(),
    movedTo: undefined,
  };
  const clean = JSON.parse(JSON.stringify(record)) as VmRecord; // Undefined keys out of vm.json.
  try {
    await libvirt.addForwards(clean, st.forwards);
  } catch (error) {
    st.warnings.push(`Could not add the guest's port forwards on "${facts.destinationKey.host}" (SSH into it may not answer): ${describeError(error)}`);
  }
  const at = new Date().toISOString();
  const to = { ...facts.destinationLocation, at };
  try {
    await libvirt.writeRecord(clean);
    if (!sameLocation({ host: facts.home.host }, facts.destinationLocation)) await deps.backend.markMoved(facts.home, to);
    if (!sameLocation({ host: facts.home.host }, facts.sourceKey) && !sameLocation(facts.sourceKey, facts.destinationLocation)) await deps.backend.markMoved(facts.sourceKey, to);
  } catch (error) {
    st.warnings.push(`Could not record that the VM moved: ${describeError(error)}`);
  }
  try {
    await deps.backend.removeRunFiles(source, { keepRecord: true });
    if (st.xmlPath !== undefined) await deps.backend.systemOf(facts.sourceKey).removeFiles([st.xmlPath]);
  } catch (error) {
    st.warnings.push(`Could not remove the source's run files on "${facts.sourceKey.host}": ${describeError(error)}`);
  }
  return clean;
}

/** After a failure: libvirt rolled back; check the source still has its domain, and remove what prepare made. */
async function rollback(deps: MigrationDependencies, st: State): Promise<string[]> {
  const problems: string[] = [];
  const facts = st.facts;
  if (facts === undefined) return problems;
  const state = parseDomstate((await facts.sourceVirsh.runOnDomain(['domstate', '--reason', facts.sourceDomain]).catch(() => undefined)) ?? '')?.state;
  if (state !== 'running' && state !== 'paused') problems.push(`The source's domain is ${state ?? 'gone'} on "${facts.sourceKey.host}".`);
  else if (state !== facts.sourceRunState) problems.push(`The source's domain is ${state} (it was ${facts.sourceRunState}).`);
  const system = deps.backend.systemOf(facts.sourceKey);
  if (st.xmlPath !== undefined) await system.removeFiles([st.xmlPath]).catch(() => undefined);
  if (st.destinationDir !== undefined) {
    const dir = st.destinationDir;
    const there = deps.backend.systemOf(facts.destinationKey);
    await there.removeFiles(['serial.sock', 'serial.log', 'qemu.stderr.log', 'vm.json'].map((f) => `${dir}/${f}`)).catch(() => undefined);
  }
  return problems;
}

function summaryOf(request: MigrationRequest, st: State, status: MigrationOutcome, error: string | undefined, phase: MigrationPhase, ssh: VmRecord['ssh']): MigrationSummary {
  const facts = st.facts;
  const settings = request.settings;
  return summarize(
    {
      vm: request.vmName,
      migration: request.name,
      from: facts === undefined ? { host: '?' } : { host: facts.sourceKey.host, ...(facts.sourceKey.slot === undefined ? {} : { slot: facts.sourceKey.slot }) },
      to: facts?.destinationLocation ?? { host: request.to },
      uri: facts?.migrateUri,
      status,
      error,
      phase,
      startedAt: st.startedAt.toISOString(),
      wallTimeMs: Date.now() - st.startedAt.getTime(),
      settings: {
        capabilities: settings.capabilities,
        maxBandwidthBytesPerSecond: settings.maxBandwidthBytesPerSecond,
        downtimeLimitMs: settings.downtimeLimitMs,
        xbzrleCacheBytes: settings.capabilities.includes('xbzrle') ? settings.xbzrleCacheBytes : undefined,
        multifdChannels: settings.capabilities.includes('multifd') ? settings.multifdChannels : undefined,
      },
      phases: st.machine.durations(),
      switchedToPostcopy: st.switchedToPostcopy,
      maxCpuThrottlePercentage: st.lastProgress?.cpuThrottlePercentage,
      nonConvergence: undefined,
      qemu: { source: undefined, destination: undefined },
      ssh: ssh === undefined ? undefined : { host: ssh.host, port: ssh.port },
    },
    st.lastProgress,
  );
}

/**
 * Migrates a running VM between two libvirt hosts (see the file comment). Resolves with the
 * summary once the destination runs the domain and the source has none.
 *
 * @throws MigrationError (or {@link MigrationCancelledError}): the VM then still runs on its
 *   source (libvirt's rollback), and `error.summary` holds what was measured.
 */
export async function migrateLibvirtVm(request: MigrationRequest, deps: MigrationDependencies, options: MigrationOptions = {}): Promise<MigrationSummary> {
  const st: State = { machine: new MigrationStateMachine(options.onPhase), startedAt: new Date(), forwards: [], switchedToPostcopy: false, warnings: [] };
  const note = (text: string): void => options.onNote?.(text);
  try {
    options.signal?.throwIfAborted();
    st.facts = await begin(request, deps, options);
  } catch (error) {
    const cancelled = options.signal?.aborted === true;
    st.machine.advance(cancelled ? 'cancelled' : 'failed');
    if (error instanceof MigrationError) throw error;
    const message = error instanceof QemuLabError ? error.message : describeError(error);
    const Kind = cancelled ? MigrationCancelledError : MigrationError;
    throw new Kind(cancelled ? 'The migration was cancelled.' : `The migration failed in begin: ${message}`, { phase: 'begin', hint: error instanceof QemuLabError ? error.hint : undefined, cause: error });
  }
  const facts = st.facts;
  note(`Migrating ${request.vmName} from ${describeLocation(facts.sourceKey)} to ${describeLocation(facts.destinationLocation)} through libvirt: the source's libvirtd connects to ${facts.peerUri}, QEMU's stream goes to ${facts.migrateUri}.`);
  st.machine.advance('ok');
  let record: VmRecord | undefined;
  for (;;) {
    const step = st.machine.phase;
    if (step === 'done') break;
    try {
      if (step === 'prepare') {
        options.signal?.throwIfAborted();
        await prepare(request, deps, st, facts);
      } else if (step === 'perform') {
        options.signal?.throwIfAborted();
        await perform(request, options, st, facts);
      } else if (step === 'finish') await finish(options, st, facts);
      else if (step === 'confirm') record = await confirm(deps, st, facts);
      else throw new Error(`Unexpected phase ${step}`);
      st.machine.advance('ok');
    } catch (error) {
      const cancelled = error instanceof MigrationCancelledError || options.signal?.aborted === true;
      const failure =
        error instanceof MigrationError
          ? error
          : new (cancelled ? MigrationCancelledError : MigrationError)(cancelled ? 'The migration was cancelled.' : `The migration failed in ${step}: ${error instanceof QemuLabError ? error.message : describeError(error)}`, {
              phase: step as MigrationStep,
              hint: error instanceof QemuLabError ? error.hint : undefined,
              cause: error,
            });
      st.machine.advance(cancelled ? 'cancelled' : 'failed');
      const problems = await rollback(deps, st);
      st.machine.advance(cancelled ? 'cancelled' : 'failed');
      const hint = [failure.hint, problems.length > 0 ? `After libvirt's rollback: ${problems.join(' ')}` : `VM "${request.vmName}" runs on "${facts.sourceKey.host}" as before; the destination has no domain of it.`]
        .filter((p) => p !== undefined)
        .join(' ');
      const Kind = cancelled ? MigrationCancelledError : MigrationError;
      throw new Kind(failure.message, { phase: step as MigrationStep, hint, cause: failure.cause ?? failure, summary: summaryOf(request, st, cancelled ? 'cancelled' : 'failed', failure.message, step, facts.source.ssh) });
    }
  }
  for (const warning of st.warnings) note(warning);
  return summaryOf(request, st, 'completed', st.warnings.length > 0 ? st.warnings.join(' ') : undefined, 'done', record?.ssh);
}
