/**
 * "QEMU Lab: Migrate VM…": live-migrates a running VM from the tree's context menu or the
 * palette — destination host, capabilities (with what each costs), optional limits — with a
 * cancellable progress notification (cancel sends `migrate_cancel` and rolls back: the source
 * keeps running) and the live migration panel. Every attempt is stored as the CLI stores it.
 * The lab file's `migrations:` entries of the VM are offered first, and a CodeLens over one runs
 * it as written.
 */
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import { MigrationCancelledError } from '../../core/migration/errors';
import { formatDiskCopyLine, formatNonConvergence, formatSummary } from '../../core/migration/format';
import { BUILTIN_IMAGE } from '../../core/lab/vocabulary';
import { LiveDuringSamples } from '../../core/migration/during/live-samples';
import { TimelineRecorder } from '../../core/migration/during/recorder';
import type { DuringRequest } from '../../core/migration/during/session';
import { migrateAndStore } from '../../core/migration/migrate-and-store';
import { requestFromLab, type MigrationRequest } from '../../core/migration/request';
import { duringRequestOf } from '../../core/migration/during/from-lab';
import type { LabModel } from '../../core/lab/model';
import { readMigrationRecords } from '../../core/migration/store';
import type { MigrationSummary } from '../../core/migration/summary';
import { compareMigrations, recordsOfLab, type MigrationComparison } from '../../core/measuring/reports/migration-comparison';
import { withCancellableProgress } from '../cancellable-progress';
import type { LabServices } from '../services';
import { vmKeyOf, type VmNode } from '../../presentation/tree/nodes';
import { migratedWords, progressWords, remainingWords } from '../../presentation/migration/migration-words';
import { bandwidthValue, CAPABILITY_CHOICES, checkBandwidth, checkDowntime, destinationChoices, downtimeValue, DURING_CHOICES, EDITOR_DURING_PLAN, labMigrationChoices, STORAGE_CHOICES } from '../../presentation/migration/migrate-choices';
import { followVm } from './follow-vm';
import { namedEntryOf, type NamedEntry } from './entry-ref';
import { pickVm, requireTrust } from './pick-vm';

/** What the user chose; undefined fields keep QEMU's defaults. */
interface MigrateChoices {
  readonly to: string;
  readonly sameHost: boolean;
  readonly request: MigrationRequest;
  /** Benchmarks around the migration, when any were picked. */
  readonly during: DuringRequest | undefined;
}

/** The choices a lab file's migration entry makes: no question asked. */
function choicesOfLabMigration(lab: LabModel, name: string): MigrateChoices {
  const request = requestFromLab(lab, name);
  const spec = lab.migrations.get(name);
  return { to: request.to, sameHost: request.allowSameHost === true, request, during: spec === undefined ? undefined : duringRequestOf(spec) };
}

/**
 * The VM and choices a CodeLens's migration entry names; undefined (with a message that says
 * what to do) when the entry is gone or its VM does not run.
 */
async function labMigrationOf(services: LabServices, ref: NamedEntry): Promise<{ node: VmNode; choices: MigrateChoices } | undefined> {
  const lab = (await services.labs.labs()).find((l) => l.path === ref.labPath);
  const vm = lab?.vms.get(lab.migrations.get(ref.name)?.vm ?? '');
  if (lab === undefined || vm === undefined) {
    void vscode.window.showErrorMessage(`No migration "${ref.name}" of a VM in ${vscode.workspace.asRelativePath(ref.labPath)}: save the lab file first.`);
    return undefined;
  }
  const node: VmNode = { kind: 'vm', lab, vm };
  const state = services.registry.get(vmKeyOf(node)).state;
  if (state !== 'running' && state !== 'paused') {
    const choice = await vscode.window.showWarningMessage(`Migration "${ref.name}" moves ${vm.name}, which is ${state}: boot it first, then migrate.`, 'Boot');
    if (choice === 'Boot') await vscode.commands.executeCommand('qemuLab.bootVm', node);
    return undefined;
  }
  return { node, choices: choicesOfLabMigration(lab, ref.name) };
}

/**
 * The lab file's migrations of the VM first (each runs as written), then "choose…": undefined
 * when the user backs out, 'ask' for the questions.
 */
async function pickLabMigration(node: VmNode): Promise<MigrateChoices | 'ask' | undefined> {
  const offered = labMigrationChoices(node.lab, node.vm.name);
  if (offered.length === 0) return 'ask';
  const ask = { label: '$(settings) Choose the destination and settings…', description: 'not from the lab file', name: undefined };
  const picked = await vscode.window.showQuickPick([...offered.map((o) => ({ label: o.label, description: o.description, detail: o.detail, name: o.name as string | undefined })), ask], {
    title: `Migrate ${node.vm.name}: a migration of the lab file, or your own`,
  });
  if (picked === undefined) return undefined;
  return picked.name === undefined ? 'ask' : choicesOfLabMigration(node.lab, picked.name);
}

/** Asks where to and how; undefined when the user backs out at any step. */
async function askChoices(services: LabServices, node: VmNode): Promise<MigrateChoices | undefined> {
  const currentHost = services.registry.get(vmKeyOf(node)).record?.host ?? node.vm.host;
  const destination = await vscode.window.showQuickPick(
    destinationChoices(node.lab, currentHost).map((choice) => ({ label: choice.label, description: choice.description, choice })),
    { title: `Migrate ${node.vm.name} (on ${currentHost}) to which host?`, placeHolder: 'The lab file\'s hosts' },
  );
  if (destination === undefined) return undefined;
  const capabilities = await vscode.window.showQuickPick(
    CAPABILITY_CHOICES.map((c) => ({ label: c.label, description: c.description, detail: c.detail, capability: c.capability })),
    { title: 'Capabilities (none: QEMU\'s plain pre-copy)', canPickMany: true, placeHolder: 'Pick any, or none; Enter to go on' },
  );
  if (capabilities === undefined) return undefined;
  const bandwidth = await vscode.window.showInputBox({
    title: 'Max bandwidth (optional)',
    prompt: 'Bytes per second the migration may use, e.g. 100M or 1G. Empty: QEMU\'s default (128 MiB/s).',
    validateInput: checkBandwidth,
  });
  if (bandwidth === undefined) return undefined;
  const downtime = await vscode.window.showInputBox({
    title: 'Downtime limit (optional)',
    prompt: 'The longest the guest may stop at the switch-over, e.g. 300ms or 1s. Empty: QEMU\'s default (300 ms).',
    validateInput: checkDowntime,
  });
  if (downtime === undefined) return undefined;
  const benchmarks = await vscode.window.showQuickPick(
    DURING_CHOICES.map((c) => ({ label: c.label, description: c.description, spec: c.spec })),
    {
      title: `Benchmarks around the migration (optional): a ${EDITOR_DURING_PLAN.seconds} s baseline first, then again with the migration`,
      canPickMany: true,
      placeHolder: 'None: just migrate. Enter to go on',
    },
  );
  if (benchmarks === undefined) return undefined;
  // A disk guest's disk to another host: copied (the default) or on shared storage.
  const movesDisk = node.vm.image !== BUILTIN_IMAGE && !destination.choice.sameHost && destination.choice.host !== currentHost;
  const storage = movesDisk
    ? await vscode.window.showQuickPick(
        STORAGE_CHOICES.map((c) => ({ label: c.label, description: c.description, detail: c.detail, storage: c.storage })),
        { title: `${node.vm.name} runs on its own disk: how does it get to ${destination.choice.host}?` },
      )
    : undefined;
  if (movesDisk && storage === undefined) return undefined;
  const maxBandwidthBytesPerSecond = bandwidthValue(bandwidth);
  const downtimeLimitMs = downtimeValue(downtime);
  return {
    to: destination.choice.host,
    sameHost: destination.choice.sameHost,
    request: {
      lab: node.lab,
      vmName: node.vm.name,
      to: destination.choice.host,
      allowSameHost: destination.choice.sameHost,
      ...(storage === undefined ? {} : { storage: storage.storage }),
      settings: {
        capabilities: capabilities.map((c) => c.capability),
        ...(maxBandwidthBytesPerSecond === undefined ? {} : { maxBandwidthBytesPerSecond }),
        ...(downtimeLimitMs === undefined ? {} : { downtimeLimitMs }),
      },
    },
    during: benchmarks.length === 0 ? undefined : { specs: benchmarks.map((b) => b.spec), plan: EDITOR_DURING_PLAN },
  };
}

/** The VM's stored migrations compared across settings; undefined when the store cannot be read (the panel then has no second tab). */
async function storedComparison(labPath: string, vm: string): Promise<MigrationComparison | undefined> {
  try {
    return compareMigrations(recordsOfLab(await readMigrationRecords(dirname(labPath)), labPath), vm);
  } catch {
    return undefined;
  }
}


/** "QEMU Lab: Migrate VM…" (see the file comment). */
export async function migrateVmCommand(services: LabServices, argument: unknown): Promise<void> {
  if (!requireTrust('migrate VMs')) return;
  let node: VmNode | undefined;
  let choices: MigrateChoices | undefined;
  // Named by a CodeLens (`{ kind: 'migrationRef', labPath, name }`) or a "Lab" view row: runs as written.
  const named = namedEntryOf(argument, 'migrationRef', 'migrations');
  if (named !== undefined) {
    const found = await labMigrationOf(services, named);
    if (found === undefined) return;
    ({ node, choices } = found);
  } else {
    node = await pickVm(argument, services, ['running', 'paused'], 'Migrate which VM?');
    if (node === undefined) return;
    const fromLab = await pickLabMigration(node);
    choices = fromLab === 'ask' ? await askChoices(services, node) : fromLab;
  }
  if (choices === undefined) return;
  const name = node.vm.name;
  const from = services.registry.get(vmKeyOf(node)).record?.host ?? node.vm.host;
  const cancel = new AbortController();
  const panel = services.migrationPanels.open({ vm: name, from, to: choices.sameHost ? `${choices.to} (same host)` : choices.to }, () => cancel.abort());
  // Read while it runs for the panel; the stored timeline replaces it at the end.
  const live = new TimelineRecorder();
  const samples = new LiveDuringSamples();
  const liveTimeline = () => ({ ...live.timeline(), streams: samples.streams() });
  services.log.info(`${name}: migrating from ${from} to ${choices.to} (${choices.request.settings.capabilities.join(', ') || 'no capabilities'})`);
  let summary: MigrationSummary | undefined;
  let failure: unknown;
  const work = services.work.begin({ kind: 'migration', subject: name, reveal: () => panel.reveal() });
  work.update(`to ${choices.to}`);
  try {
    await withCancellableProgress(
      `Migrating ${name} to ${choices.to}`,
      async (progress, signal) => {
        try {
          const run = await migrateAndStore(choices.request, services.up, {
            migration: {
              signal,
              onPhase: (phase) => {
                progress.report({ message: phase });
                services.log.info(`${name}: ${phase}`);
                panel.update({ state: 'running', timeline: liveTimeline() });
              },
              onProgress: (p) => {
                progress.report({ message: progressWords(p) });
                work.update(`to ${choices.to}${p.remainingBytes === undefined ? '' : ` · ${remainingWords(p.remainingBytes)}`}`);
                panel.update({ state: 'running', timeline: liveTimeline() });
              },
              onDiskProgress: (p) => progress.report({ message: formatDiskCopyLine(name, p).slice(name.length + 2) }),
              onNote: (text) => services.log.info(`${name}: ${text}`),
              onNonConvergence: (finding) => {
                services.log.warn(`${name}: ${formatNonConvergence(finding)}`);
                // The fixes and their trade-offs are in the log and on the panel's summary.
                void vscode.window.showWarningMessage(`${name}: ${finding.message}`, 'Cancel Migration', 'Show Log').then((choice) => {
                  if (choice === 'Cancel Migration') cancel.abort();
                  else if (choice === 'Show Log') services.log.show();
                });
              },
            },
            during: choices.during,
            duringHooks: {
              onNote: (text) => {
                progress.report({ message: text });
                services.log.info(`${name}: ${text}`);
              },
              onSample: (stream, runName, sample) => {
                samples.add(stream, runName, sample);
                panel.update({ state: 'running', timeline: liveTimeline() });
              },
            },
            recorder: live,
          });
          summary = run.summary;
          failure = run.error;
          const attempt = run.attempt;
          if (run.stored.kind === 'stored') services.log.info(`migration stored in ${run.stored.path}`);
          else if (run.stored.kind === 'store-failed') services.log.warn(`the migration was not stored: ${describeError(run.stored.error)}`);
          if (attempt !== undefined) {
            const ended = { state: attempt.status, timeline: run.timeline, summary: attempt, error: run.summary === undefined ? describeError(run.error) : undefined };
            panel.update(ended);
            // With this attempt stored, the panel's second tab compares it with the VM's earlier ones.
            const comparison = await storedComparison(node.lab.path, name);
            if (comparison !== undefined) panel.update({ ...ended, comparison });
          } else {
            panel.update({ state: cancel.signal.aborted ? 'cancelled' : 'failed', timeline: run.timeline, error: describeError(run.error) });
          }
        } catch (error) {
          failure = error;
          panel.update({ state: cancel.signal.aborted ? 'cancelled' : 'failed', timeline: liveTimeline(), error: describeError(error) });
        }
      },
      cancel,
    );
  } finally {
    work.end();
  }
  // The tree follows the VM to its new QEMU (found where it went, `movedTo`).
  await followVm(services, node);
  services.tree.refresh();
  if (summary !== undefined) {
    services.log.info(formatSummary(summary));
    void vscode.window.showInformationMessage(migratedWords(name, summary), 'Show Migration').then((choice) => {
      if (choice !== undefined) panel.reveal();
    });
    return;
  }
  services.log.error(`${name}: ${describeError(failure)}`);
  const cancelled = failure instanceof MigrationCancelledError;
  const text = `${cancelled ? 'Migration cancelled' : 'Migration failed'}: ${describeError(failure)}`;
  const shown = cancelled ? vscode.window.showWarningMessage(text, 'Show Migration', 'Show Log') : vscode.window.showErrorMessage(text, 'Show Migration', 'Show Log');
  void shown.then((choice) => {
    if (choice === 'Show Migration') panel.reveal();
    else if (choice === 'Show Log') services.log.show();
  });
}
