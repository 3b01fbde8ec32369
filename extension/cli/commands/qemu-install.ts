import { installQemu } from '../../core/infrastructure/qemu/install/install';
import { parseVersionRequest } from '../../core/infrastructure/qemu/install/recipe';
import { defineCommand } from '../command-spec';
import { UsageError } from '../io';
import { labOrLocalOnly } from '../lab-or-local';
import { withVmDependencies } from '../vm-context';

/** `qemu-lab qemu install [VERSION] [--host NAME] [--force]`: a QEMU in a private root on a host, from its distribution's packages. */
export const qemuInstallCommand = defineCommand({
  name: 'install',
  operands: { synopsis: '[VERSION]', count: 'any' },
  options: {
    host: { value: 'NAME', help: "the lab's host to install on (default: local, this machine)" },
    force: { help: 'build again even when that version is installed and works' },
  },
  summary: 'install a newer QEMU privately (mmdebstrap from Debian packages) in the cache, beside the system one',
  example: ['qemu-lab qemu install 11.1', 'qemu-lab -f qemu-lab.yaml qemu install 11.1 --host lab-b'],
  async run({ values, positionals }, global, io) {
    if (positionals.length > 1) throw new UsageError('qemu install takes at most one VERSION (e.g. 11.1).');
    const versionText = positionals[0];
    const request = versionText === undefined ? undefined : parseVersionRequest(versionText);
    if (versionText !== undefined && request === undefined) throw new UsageError(`qemu install: "${versionText}" is not a QEMU version (write e.g. 11.1 or 11.1.3).`);
    const host = values.host ?? 'local';
    const lab = await labOrLocalOnly(global.file);
    if (!lab.hosts.has(host)) throw new UsageError(`The lab file has no host "${host}" (its hosts: ${[...lab.hosts.keys()].join(', ')}).`);
    const result = await withVmDependencies(lab, global, io, ({ backend }) =>
      installQemu(backend.systemOf({ host }), {
        ...(request === undefined ? {} : { request }),
        force: values.force === true,
        env: io.env,
        signal: io.signal,
        onProgress: global.json ? undefined : (line) => io.err(`  ${line}\n`),
      }),
    );
    const { installed, reused } = result;
    if (global.json) {
      io.out(JSON.stringify({ host, reused, version: installed.record.version, binary: installed.binary, dir: installed.dir, record: installed.record }, null, 2) + '\n');
      return 0;
    }
    io.out(
      `${reused ? 'Already installed' : `Installed in ${installed.record.buildSeconds.toFixed(0)} s`} on ${host}: QEMU ${installed.record.version} (${installed.record.source}, package ${installed.record.package})\n` +
        `  ${installed.binary}\n` +
        `  Use it in the lab file: hosts: { ${host}: { qemu: "${installed.version.major}.${installed.version.minor}" } }\n`,
    );
    return 0;
  },
});
