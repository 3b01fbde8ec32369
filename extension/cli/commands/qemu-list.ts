import { describeError } from '../../core/errors';
import { hostQemus, type HostQemus } from '../../core/infrastructure/qemu/install/host-qemus';
import { defineCommand } from '../command-spec';
import { labOrLocalOnly } from '../lab-or-local';
import { withVmDependencies } from '../vm-context';

function describe(q: HostQemus): string {
  const system = 'missing' in q.system ? `none (${q.system.missing})` : `${q.system.version.major}.${q.system.version.minor}.${q.system.version.micro} (${q.system.path})`;
  const installed = q.installed.map((i) => `  installed ${i.record.version} from ${i.record.source} (${i.binary})`);
  return [q.host, `  system    ${system}`, ...(installed.length > 0 ? installed : ['  installed none (qemu-lab qemu install)']), ''].join('\n');
}

/** `qemu-lab qemu list`: each lab host's system QEMU and the QEMUs installed there privately. */
export const qemuListCommand = defineCommand({
  name: 'list',
  summary: "show each host's QEMUs: the system one and those qemu install put there, with versions",
  example: 'qemu-lab --json qemu list',
  async run(_input, global, io) {
    const lab = await labOrLocalOnly(global.file);
    const results = await withVmDependencies(lab, global, io, async ({ backend }) => {
      const found: (HostQemus | { host: string; error: string })[] = [];
      for (const host of lab.hosts.keys()) {
        found.push(await hostQemus(backend.systemOf({ host }), io.env).catch((error: unknown) => ({ host, error: describeError(error) })));
      }
      return found;
    });
    if (global.json) io.out(JSON.stringify(results, null, 2) + '\n');
    else for (const r of results) io.out('error' in r ? `${r.host}\n  unreachable: ${r.error}\n` : describe(r));
    return results.some((r) => 'error' in r) ? 1 : 0;
  },
});
