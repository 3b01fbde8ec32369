/** The summary of a migration between two libvirt hosts: the same typed summary as a direct migration's. */
import type { VmRecord } from '../../machines/vm/vm-record';
import type { MigrationPhase } from '../phases';
import type { MigrationRequest } from '../request';
import { summarize, type MigrationOutcome, type MigrationSummary } from '../summary';
import type { LibvirtMigrationState } from './context';

/** What the migration of `request` did, from its state. */
export function libvirtSummary(request: MigrationRequest, st: LibvirtMigrationState, status: MigrationOutcome, error: string | undefined, phase: MigrationPhase, ssh: VmRecord['ssh']): MigrationSummary {
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
