import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importCommand } from '../../../extension/cli/commands/import';
import { cliCommands } from '../../../extension/cli/command-list';
import { UsageError, type CliIo } from '../../../extension/cli/io';
import { runCli } from '../../../extension/cli/main';
import { gitCommitOf, metadataFromResult, sha256 } from '../../../extension/core/measuring/results/metadata';
import { readResults } from '../../../extension/core/measuring/results/store';
import { parseIperf3Json } from '../../../extension/core/measuring/workloads/iperf3';

const fixtures = join(__dirname, '../../fixtures/bench');

function capture(cwd: string): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), isTty: false, env: {}, cwd, signal: new AbortController().signal };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qemu-lab-import-'));
  await mkdir(join(dir, 'runs'));
  for (const name of ['iperf3-3.12-client.json', 'sysbench-1.0.20-cpu.txt', 'iperf-2.1.8-client-P2.txt', 'iperf3-3.12-client-text.txt']) {
    await copyFile(join(fixtures, name), join(dir, 'runs', name));
  }
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('qemu-lab import', () => {
  it('stores one record per file next to the lab file and prints one line per file', async () => {
    const lab = join(dir, 'qemu-lab.yaml');
    await writeFile(lab, 'vms: {}\n');
    const io = capture(dir);
    const code = await importCommand.run(['runs/iperf3-3.12-client.json', 'runs/sysbench-1.0.20-cpu.txt', 'runs/iperf-2.1.8-client-P2.txt', '--label', 'baseline'], { file: lab, json: false, acceptNewHostKey: false }, io);
    expect(io.stderr).toEqual([]);
    expect(io.stdout).toEqual([
      'runs/iperf3-3.12-client.json: iperf3: 21.1 Gbit/s (receiver) → stored\n',
      'runs/sysbench-1.0.20-cpu.txt: sysbench-cpu: 2522.92 events/s → stored\n',
      'runs/iperf-2.1.8-client-P2.txt: iperf: 28.3 Gbit/s (client) → stored\n',
    ]);
    expect(code).toBe(0);
    const { records, problems } = await readResults(dir);
    expect(problems).toEqual([]);
    expect(records.map((r) => [r.benchmark, r.label, r.target, r.host])).toEqual([
      ['iperf3', 'baseline', 'unknown', 'unknown'],
      ['sysbench-cpu', 'baseline', 'unknown', 'unknown'],
      ['iperf', 'baseline', 'unknown', 'unknown'],
    ]);
    const [iperf3, sysbench] = records;
    expect(iperf3?.timestamp).toBe('2026-11-25T22:38:32.000Z');
    expect(iperf3?.metadata).toMatchObject({
      toolVersions: { iperf3: '3.12' },
      kernel: expect.stringMatching(/^\d+\.\d+/),
      labFileHash: sha256('vms: {}\n'),
      source: { file: 'runs/iperf3-3.12-client.json', sha256: sha256(await readFile(join(fixtures, 'iperf3-3.12-client.json'))) },
    });
    expect(iperf3?.metadata.gitCommit).toBeUndefined();
    expect(sysbench?.metadata.toolVersions).toEqual({ sysbench: '1.0.20' });
    expect(Date.parse(sysbench?.metadata.importedAt ?? '')).not.toBeNaN();
  });

  it('reports unreadable and unknown files, imports the others, and exits 1', async () => {
    const io = capture(dir);
    const code = await importCommand.run(['runs/missing.txt', 'runs/iperf3-3.12-client-text.txt', 'runs/sysbench-1.0.20-cpu.txt'], { file: join(dir, 'qemu-lab.yaml'), json: false, acceptNewHostKey: false }, io);
    expect(code).toBe(1);
    expect(io.stdout).toEqual(['runs/sysbench-1.0.20-cpu.txt: sysbench-cpu: 2522.92 events/s → stored\n']);
    expect(io.stderr).toEqual([
      'qemu-lab: runs/missing.txt: cannot read it: no such file\n',
      'qemu-lab: runs/iperf3-3.12-client-text.txt: Found iperf3 text output; iperf3 results are read from its JSON output.\n  Run iperf3 again with --json (-J) and import that.\n',
    ]);
    expect((await readResults(dir)).records).toHaveLength(1);
  });

  it('prints JSON with --json', async () => {
    const io = capture(dir);
    const code = await importCommand.run(['runs/sysbench-1.0.20-cpu.txt', 'runs/nothing'], { file: join(dir, 'qemu-lab.yaml'), json: true, acceptNewHostKey: false }, io);
    expect(code).toBe(1);
    expect(io.stderr).toEqual([]);
    const printed = JSON.parse(io.stdout.join('')) as { store: string; files: { file: string; ok: boolean; summary?: string; error?: string; record?: { benchmark: string } }[] };
    expect(printed.store).toBe(join(dir, '.qemu-lab', 'results', 'results.jsonl'));
    expect(printed.files).toMatchObject([
      { file: 'runs/sysbench-1.0.20-cpu.txt', ok: true, summary: 'sysbench-cpu: 2522.92 events/s → stored', record: { benchmark: 'sysbench-cpu' } },
      { file: 'runs/nothing', ok: false, error: 'cannot read it: no such file' },
    ]);
  });

  it('uses the directory of -f, and is listed among the CLI commands', async () => {
    const elsewhere = join(dir, 'lab');
    await mkdir(elsewhere);
    const io = capture(dir);
    const code = await runCli(['-f', 'lab/my.qemu-lab.yaml', 'import', 'runs/sysbench-1.0.20-cpu.txt', '--label=tcg'], cliCommands, io);
    expect(io.stderr).toEqual([]);
    expect(code).toBe(0);
    expect((await readResults(elsewhere)).records.map((r) => r.label)).toEqual(['tcg']);
    expect((await readResults(dir)).records).toEqual([]);
    expect((await readResults(elsewhere)).records[0]?.metadata.source?.file).toBe(join(dir, 'runs', 'sysbench-1.0.20-cpu.txt'));
  });

  it('refuses wrong words', async () => {
    const global = { file: join(dir, 'qemu-lab.yaml'), json: false, acceptNewHostKey: false };
    await expect(importCommand.run([], global, capture(dir))).rejects.toThrow(UsageError);
    await expect(importCommand.run(['x', '--lable', 'y'], global, capture(dir))).rejects.toThrow(UsageError);
    await expect(importCommand.run(['x', '--label', ' '], global, capture(dir))).rejects.toThrow(/--label needs some text/);
  });
});

describe('metadata helpers', () => {
  it('find the git commit of a work tree and nothing elsewhere', async () => {
    expect(await gitCommitOf(join(__dirname, '../../..'))).toMatch(/^[0-9a-f]{40}$/);
    expect(await gitCommitOf(dir)).toBeUndefined();
  });

  it("take the tool version and the kernel from iperf3's system_info", async () => {
    const result = parseIperf3Json(await readFile(join(fixtures, 'iperf3-3.9-client-omit.json'), 'utf8'));
    expect(metadataFromResult(result)).toEqual({ toolVersions: { iperf3: '3.9' }, kernel: '5.4.104+' });
  });
});
