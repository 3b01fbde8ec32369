import { spawn } from 'node:child_process';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseIperf3Json } from '../../../extension/core/measuring/workloads/iperf3';
import { parseSysbenchCpu } from '../../../extension/core/measuring/workloads/sysbench-cpu';
import { ResultStoreError } from '../../../extension/core/measuring/results/errors';
import { RESULT_SCHEMA_VERSION, checkResultRecord, makeResultRecord, type ResultRecord } from '../../../extension/core/measuring/results/record';
import { appendResult, parseResultLines, readResults, resultsFilePath } from '../../../extension/core/measuring/results/store';

const fixture = (name: string) => readFile(join(__dirname, '../../fixtures/bench', name), 'utf8');

async function cpuRecord(label: string): Promise<ResultRecord> {
  return makeResultRecord({ result: parseSysbenchCpu(await fixture('sysbench-1.0.20-cpu.txt')), target: 'guest', host: 'local', label, experiment: 'kvm-vs-tcg' });
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qemu-lab-results-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('makeResultRecord', () => {
  it('fills id, schema, timestamp and the metric from the parsed result', async () => {
    const result = parseIperf3Json(await fixture('iperf3-3.12-client.json'));
    const record = makeResultRecord({ result, target: 'host', host: 'local', timestamp: new Date('2026-01-02T03:04:05Z'), metadata: { accel: 'kvm', nic: 'virtio-net-pci' } });
    expect(record).toMatchObject({
      schema: RESULT_SCHEMA_VERSION,
      timestamp: '2026-01-02T03:04:05.000Z',
      benchmark: 'iperf3',
      target: 'host',
      host: 'local',
      metric: { name: 'throughput (receiver)', unit: 'bit/s', value: 21116459269.428566, higherIsBetter: true },
      metadata: { accel: 'kvm', nic: 'virtio-net-pci' },
    });
    expect(record.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(record).not.toHaveProperty('label');
    expect(checkResultRecord(JSON.parse(JSON.stringify(record)))).toEqual({ ok: true, record: JSON.parse(JSON.stringify(record)) });
  });
});

describe('the result store', () => {
  it('appends one line per record under .qemu-lab/results and reads them back in order', async () => {
    const first = await cpuRecord('first');
    const second = await cpuRecord('second');
    expect(await appendResult(dir, first)).toBe(join(dir, '.qemu-lab', 'results', 'results.jsonl'));
    await appendResult(dir, second);
    const text = await readFile(resultsFilePath(dir), 'utf8');
    expect(text.split('\n')).toHaveLength(3);
    expect(text.endsWith('\n')).toBe(true);
    const contents = await readResults(dir);
    expect(contents.problems).toEqual([]);
    expect(contents.records).toEqual([JSON.parse(JSON.stringify(first)), JSON.parse(JSON.stringify(second))]);
  });

  it('reads a missing store as empty', async () => {
    expect(await readResults(dir)).toEqual({ path: resultsFilePath(dir), records: [], problems: [] });
  });

  it('reports a corrupt line in the middle with its number and reads the others', async () => {
    for (const label of ['a', 'b', 'c']) await appendResult(dir, await cpuRecord(label));
    const path = resultsFilePath(dir);
    const lines = (await readFile(path, 'utf8')).split('\n');
    lines.splice(1, 0, '{"id": "x", "schema": 1, "timest\u0000garbage');
    await writeFile(path, lines.join('\n'));
    const contents = await readResults(dir);
    expect(contents.records.map((r) => r.label)).toEqual(['a', 'b', 'c']);
    expect(contents.problems).toEqual([{ line: 2, message: 'not valid JSON (corrupt line); skipped' }]);
  });

  it('reports a truncated last line, and the next append starts on a fresh line', async () => {
    await appendResult(dir, await cpuRecord('a'));
    await appendResult(dir, await cpuRecord('b'));
    const whole = JSON.stringify(await cpuRecord('cut'));
    await appendFile(resultsFilePath(dir), whole.slice(0, whole.length / 2));
    let contents = await readResults(dir);
    expect(contents.records.map((r) => r.label)).toEqual(['a', 'b']);
    expect(contents.problems).toEqual([{ line: 3, message: 'unfinished last line (a write was cut short); skipped' }]);

    await appendResult(dir, await cpuRecord('d'));
    contents = await readResults(dir);
    expect(contents.records.map((r) => r.label)).toEqual(['a', 'b', 'd']);
    expect(contents.problems).toEqual([{ line: 3, message: 'not valid JSON (corrupt line); skipped' }]);
  });

  it('skips records it cannot use, saying why: newer schema, wrong shape, non-finite metric', () => {
    const good = JSON.parse(JSON.stringify(makeResultRecord({ result: parseSysbenchCpu(sysbenchText), target: 'host', host: 'local' }))) as Record<string, unknown>;
    const lines = [
      JSON.stringify(good),
      JSON.stringify({ ...good, schema: RESULT_SCHEMA_VERSION + 1 }),
      '[1, 2, 3]',
      JSON.stringify({ ...good, benchmark: 'fio' }),
      JSON.stringify({ ...good, metric: { name: 'x', unit: 'y', value: null } }),
      '',
      '   ',
      JSON.stringify({ ...good, target: 'cloud' }),
    ].join('\n');
    const { records, problems } = parseResultLines(lines);
    expect(records).toHaveLength(1);
    expect(problems).toEqual([
      { line: 2, message: `not a result record: written with result schema ${RESULT_SCHEMA_VERSION + 1}, newer than this QEMU Lab reads (${RESULT_SCHEMA_VERSION}); update QEMU Lab; skipped` },
      { line: 3, message: 'not a result record: not a JSON object; skipped' },
      { line: 4, message: 'not a result record: unknown benchmark "fio"; skipped' },
      { line: 5, message: 'not a result record: no metric with a name, a unit and a finite value; skipped' },
      { line: 8, message: 'not a result record: unknown target "cloud"; skipped' },
    ]);
  });

  it('fails with a ResultStoreError when the store cannot be created', async () => {
    await writeFile(join(dir, '.qemu-lab'), 'a file where the directory should be');
    await expect(appendResult(dir, await cpuRecord('x'))).rejects.toBeInstanceOf(ResultStoreError);
    await expect(appendResult(dir, await cpuRecord('x'))).rejects.toThrow(/Cannot write the result store/);
  });

  it('keeps every line whole when several processes append at once', async () => {
    const workers = 4;
    const perWorker = 25;
    const script = join(__dirname, 'append-child.ts');
    const root = join(__dirname, '../../..');
    const runs = Array.from({ length: workers }, (_, worker) =>
      new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', script, dir, String(worker), String(perWorker)], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stderr }));
      }),
    );
    for (const run of await Promise.all(runs)) expect(run, run.stderr).toMatchObject({ code: 0 });
    const text = await readFile(resultsFilePath(dir), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    // Every line is a whole record. (An empty line can appear when one writer checks the file's
    // last byte while another's write is still landing; readers skip empty lines.)
    const lines = text.split('\n').filter((line) => line !== '');
    expect(lines).toHaveLength(workers * perWorker);
    for (const line of lines) expect(line.length).toBeGreaterThan(20_000);
    const { records, problems } = parseResultLines(text);
    expect(problems).toEqual([]);
    expect(new Set(records.map((r) => r.id)).size).toBe(workers * perWorker);
    for (let worker = 0; worker < workers; worker++) {
      // Each worker's records arrive whole and in its own order.
      const own = records.filter((r) => r.label?.startsWith(`worker ${worker} `)).map((r) => r.metadata.repetition);
      expect(own).toEqual(Array.from({ length: perWorker }, (_, i) => i + 1));
    }
  }, 60_000);
});

const sysbenchText = `sysbench 1.0.20 (using system LuaJIT 2.1.0-beta3)
Number of threads: 1
Prime numbers limit: 10000
CPU speed:
    events per second:  2522.92
General statistics:
    total time:                          1.0002s
    total number of events:              2525
Latency (ms):
         min:                                    0.22
         avg:                                    0.40
         max:                                   31.66
         95th percentile:                        0.30
         sum:                                  998.13
`;
