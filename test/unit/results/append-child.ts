// Run by store.test.ts as a separate process: `node --import tsx append-child.ts DIR WORKER COUNT`.
// Appends COUNT records, each with a label far longer than PIPE_BUF, as fast as it can.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSysbenchCpu } from '../../../extension/core/measuring/workloads/sysbench-cpu';
import { makeResultRecord } from '../../../extension/core/measuring/results/record';
import { appendResult } from '../../../extension/core/measuring/results/store';

async function main(): Promise<void> {
  const [directory = '', worker = '0', count = '1'] = process.argv.slice(2);
  const result = parseSysbenchCpu(readFileSync(join(__dirname, '../../fixtures/bench/sysbench-1.0.20-cpu.txt'), 'utf8'));
  for (let i = 0; i < Number(count); i++) {
    const label = `worker ${worker} record ${i} ${String(worker).repeat(20_000)}`;
    await appendResult(directory, makeResultRecord({ result, target: 'host', host: 'local', label, metadata: { repetition: i + 1 } }));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
