import { describe, expect, it } from 'vitest';
import { DuringBenchmarkError } from '../../../extension/core/migration/errors';
import { duringRequestOf } from '../../../extension/core/migration/during/from-lab';
import type { LabModel, MigrationSpec } from '../../../extension/core/lab/model';
import { parse } from '../lab/helpers';

function entry(line: string): MigrationSpec {
  const lab = parse(`vms: { vm1: {} }\nmigrations:\n  m: ${line}\n`).lab as LabModel;
  return lab.migrations.get('m') as MigrationSpec;
}

describe("a migrations: entry's during: benchmarks", () => {
  it('are the request migrate --during would make, with its lead and tail', () => {
    expect(duringRequestOf(entry('{ vm: vm1, to: local, sameHost: true, during: [sysbench-cpu@guest, iperf@dest], duringSeconds: 8 }'))).toEqual({
      specs: [{ benchmark: 'sysbench-cpu', target: 'guest' }, { benchmark: 'iperf', target: 'dest' }],
      plan: { seconds: 8, leadSeconds: 3, tailSeconds: 5 },
    });
    expect(duringRequestOf(entry('{ vm: vm1, to: local, sameHost: true }'))).toBeUndefined();
  });

  it('are checked again when the model did not come from the validator', () => {
    const spec = { ...entry('{ vm: vm1, to: local, sameHost: true }'), during: ['fio@guest'] };
    expect(() => duringRequestOf(spec)).toThrow(DuringBenchmarkError);
  });
});
