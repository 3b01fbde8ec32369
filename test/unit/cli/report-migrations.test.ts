import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError, type CliIo } from '../../../extension/cli/io';
import { reportCommand } from '../../../extension/cli/commands/report';
import { ResultStoreError } from '../../../extension/core/measuring/results/errors';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A lab directory with the real dirty-workload store of test/fixtures/migration-store. */
function lab(withStore = true): string {
  const dir = mkdtempSync('/tmp/qle-report-');
  dirs.push(dir);
  writeFileSync(join(dir, 'qemu-lab.yaml'), 'vms:\n  vm1: { image: builtin, cpus: 1, memory: 512M, accel: tcg, nic: virtio, network: user }\n');
  if (withStore) {
    mkdirSync(join(dir, '.qemu-lab', 'results'), { recursive: true });
    // The records name /lab/qemu-lab.yaml: the same file name, so they belong to this lab.
    copyFileSync(join(__dirname, '../../fixtures/migration-store/dirty-settings.jsonl'), join(dir, '.qemu-lab', 'results', 'migrations.jsonl'));
  }
  return dir;
}

function io(cwd: string): CliIo & { stdout: string[] } {
  const stdout: string[] = [];
  return { stdout, out: (t) => stdout.push(t), err: () => undefined, isTty: false, env: {}, cwd, signal: new AbortController().signal };
}

const global = (dir: string, json = false) => ({ file: join(dir, 'qemu-lab.yaml'), json, acceptNewHostKey: false });

describe('qemu-lab report --migrations', () => {
  it('prints the Markdown table of the stored migrations by settings', async () => {
    const dir = lab();
    const out = io(dir);
    expect(await reportCommand.run(['--migrations'], global(dir), out)).toBe(0);
    const text = out.stdout.join('');
    expect(text).toContain('## vm1');
    expect(text).toContain('| postcopy · 128 MiB/s · 300 ms | 1 | 4.4 s | 2 ms |');
    expect(text).toContain('Not completed:');
  });

  it('writes CSV to -o, and --json prints the comparison as data', async () => {
    const dir = lab();
    const out = io(dir);
    expect(await reportCommand.run(['--migrations', 'vm1', '--format', 'csv', '-o', 'cmp.csv'], global(dir), out)).toBe(0);
    expect(out.stdout.join('')).toBe('Report written: cmp.csv\n');
    expect(readFileSync(join(dir, 'cmp.csv'), 'utf8')).toMatch(/^vm,settings,capabilities,/);
    const json = io(dir);
    await reportCommand.run(['--migrations'], global(dir, true), json);
    const parsed = JSON.parse(json.stdout.join('')) as { vm: string; groups: unknown[] }[];
    expect(parsed.map((c) => [c.vm, c.groups.length])).toEqual([['vm1', 6]]);
  });

  it('says what to do when nothing is stored, or the VM has no migrations', async () => {
    const empty = lab(false);
    await expect(reportCommand.run(['--migrations'], global(empty), io(empty))).rejects.toThrow(ResultStoreError);
    await expect(reportCommand.run(['--migrations'], global(empty), io(empty))).rejects.toMatchObject({ hint: expect.stringMatching(/qemu-lab migrate VM --to HOST/) });
    const dir = lab();
    await expect(reportCommand.run(['--migrations', 'vm9'], global(dir), io(dir))).rejects.toMatchObject({ message: 'VM "vm9" has no stored migrations.', hint: 'VMs with stored migrations: vm1.' });
    await expect(reportCommand.run(['--migrations', '--format', 'html'], global(dir), io(dir))).rejects.toThrow(UsageError);
    expect(existsSync(join(dir, '.qemu-lab', 'reports'))).toBe(false);
  });
});
