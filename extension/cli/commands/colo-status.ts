import { loadPair } from '../../core/colo/pair-handle';
import { pairStatus, type ColoSideStatus } from '../../core/colo/pair-status';
import { stateRoot } from '../../core/machines/vm/run-dir';
import { defineCommand } from '../command-spec';
import { loadLabOrFail } from '../load-lab';
import { withVmDependencies } from '../vm-context';

function sideLine(side: ColoSideStatus): string {
  const where = `${side.host}${side.slot === undefined ? '' : `/${side.slot}`}`;
  if (!side.alive) return `  ${side.role.padEnd(9)} ${where}: not running`;
  if (side.qmp === 'unresponsive') return `  ${side.role.padEnd(9)} ${where} (pid ${side.pid ?? '?'}): QMP does not answer`;
  const f = side.facts;
  const ssh = side.ssh === undefined ? '' : `, ssh ${side.ssh.host}:${side.ssh.port}`;
  const syncs = f?.dirtySyncCount === undefined ? '' : `, memory syncs ${f.dirtySyncCount}`;
  const migration = f?.migrationStatus === undefined ? '' : `, migration ${f.migrationStatus}`;
  return `  ${side.role.padEnd(9)} ${where} (pid ${side.pid ?? '?'}): mode ${f?.mode ?? '?'} (last ${f?.lastMode ?? '?'}, reason ${f?.reason ?? '?'})${migration}${syncs}, QMP ${side.responseMs ?? '?'} ms${ssh}`;
}

/** `qemu-lab colo status VM [--json]`: both sides of the VM's COLO pair, and the last failover. */
export const coloStatusCommand = defineCommand({
  name: 'status',
  operands: { synopsis: 'VM', count: 1, what: 'VM name' },
  summary: 'both sides of the pair (mode, QMP answering?) and the last failover',
  async run({ positionals: [vmName = ''] }, global, io) {
  const lab = await loadLabOrFail(global.file, io);
  const status = await withVmDependencies(lab, global, io, async ({ backend }) => pairStatus(backend, await loadPair(backend, stateRoot(io.env), lab.path, vmName)));
  if (global.json) {
    io.out(JSON.stringify(status, null, 2) + '\n');
    return 0;
  }
  const lines = [`${vmName}: ${status.state} (COLO, ${status.accel}, checkpoint at least every ${status.checkpointDelayMs} ms, since ${status.startedAt})`, sideLine(status.primary), sideLine(status.secondary)];
  if (status.disk !== undefined) lines.push(`  disk: ${status.disk.primaryImage} on the primary, replicated to ${status.disk.secondaryImages.parent} on the secondary`);
  if (status.lastFailover !== undefined) {
    const f = status.lastFailover;
    lines.push(`  last failover: to the ${f.survivor} at ${f.at} (${f.reason}, ${f.durationMs} ms)`);
  }
  if (status.state === 'hung') lines.push(`  The primary's checkpoint hung (QEMU 7.2 under TCG does this): qemu-lab colo failover ${vmName} moves the guest to the secondary.`);
  io.out(lines.join('\n') + '\n');
  return 0;
  },
});
