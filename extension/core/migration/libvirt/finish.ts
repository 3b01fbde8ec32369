/** Finish, for a migration between two libvirt hosts: the destination runs the domain in the source's run state. */
import { parseDomstate } from '../../infrastructure/libvirt/virsh-parsers';
import { sleep } from '../../infrastructure/support/sleep';
import type { MigrationOptions } from '../request';
import { fail, type LibvirtFacts, type LibvirtMigrationState } from './context';
import { domainJob } from './domain-job';

const FINISH_MS = 30_000;

/** The destination runs the domain; libvirt's completed job there gives the figures. */
export async function finishLibvirt(options: MigrationOptions, st: LibvirtMigrationState, facts: LibvirtFacts): Promise<void> {
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
