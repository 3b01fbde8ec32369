import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../extension/cli/io';
import { reportCommand } from '../../../extension/cli/commands/report';
import { kvmVsTcgRun } from '../panels/experiment-records';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function io(cwd: string): CliIo {
  return { out: () => undefined, err: () => undefined, isTty: false, env: {}, cwd, signal: new AbortController().signal };
}

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

describe('qemu-lab report with a results.jsonl from a cloned repository', () => {
  it('an experiment named ../../escaped/x writes only inside the folder chosen', async () => {
    // top/clone/lab is the lab; the report goes to top/clone/lab/out; nothing may land in top/escaped.
    const top = mkdtempSync('/tmp/qle-report-paths-');
    dirs.push(top);
    const labDir = join(top, 'clone', 'lab');
    mkdirSync(join(labDir, '.qemu-lab', 'results'), { recursive: true });
    writeFileSync(join(labDir, 'qemu-lab.yaml'), 'vms:\n  vm1: { image: builtin, accel: tcg }\n');
    const hostile = kvmVsTcgRun('3f2a1c9e-0000-4000-8000-000000000000').map((r) => ({ ...r, experiment: '../../escaped/x', runId: '../../../escaped/run' }));
    writeFileSync(join(labDir, '.qemu-lab', 'results', 'results.jsonl'), hostile.map((r) => JSON.stringify(r)).join('\n') + '\n');

    for (const format of ['md', 'html', 'csv']) {
      expect(await reportCommand.run(['../../escaped/x', '--format', format, '-o', `out/report.${format}`], { file: join(labDir, 'qemu-lab.yaml'), json: false, acceptNewHostKey: false }, io(labDir))).toBe(0);
    }
    // Without -o the default name is made safe too.
    expect(await reportCommand.run(['../../escaped/x'], { file: join(labDir, 'qemu-lab.yaml'), json: false, acceptNewHostKey: false }, io(labDir))).toBe(0);

    expect(filesUnder(top).filter((f) => !f.startsWith(join('clone', 'lab', 'out')) && !f.startsWith(join('clone', 'lab', '.qemu-lab')))).toEqual([join('clone', 'lab', 'qemu-lab.yaml')]);
    expect(filesUnder(join(labDir, 'out'))).toEqual(['charts/escaped_x-sysbench-cpu.svg', 'report.csv', 'report.html', 'report.md']);
    expect(filesUnder(join(labDir, '.qemu-lab')).filter((f) => !f.startsWith('results'))).toEqual(['reports/escaped_x-report.md', 'reports/charts/escaped_x-sysbench-cpu.svg'].sort());
  });
});
