/** A domain's migration job as libvirt reports it (`virsh domjobinfo`), as a progress sample. */
import type { Virsh } from '../../infrastructure/libvirt/virsh';
import { parseDomjobinfo } from '../../infrastructure/libvirt/virsh-parsers';
import type { MigrationProgress } from '../progress';
import { progressOfDomainJob } from './job-progress';

/** The running job of `domain` (or, `completed`, the last one that ended); undefined when there is none. */
export async function domainJob(virsh: Virsh, domain: string, completed: boolean): Promise<MigrationProgress | undefined> {
  const out = await virsh.runOnDomain(completed ? ['domjobinfo', '--completed', domain] : ['domjobinfo', domain]).catch(() => undefined);
  if (out === undefined) return undefined;
  const job = parseDomjobinfo(out);
  return job.type === 'None' ? undefined : progressOfDomainJob(job);
}
