import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLabText } from '../../../extension/core/lab/parse';

const path = join(__dirname, '../../fixtures/lab/ten-mistakes.qemu-lab.yaml');
const result = parseLabText(readFileSync(path, 'utf8'), path);

/** line, column, severity, code, a phrase of the message, the suggested fix. */
type Expected = [number, number, 'error' | 'warning', string, string, string?];

const expected: Expected[] = [
  [3, 48, 'error', 'out-of-range', 'port must be a whole number from 1 to 65535, not 70000'],
  [4, 3, 'error', 'missing-key', 'host "lab-x": an SSH host needs an address'],
  [9, 5, 'error', 'unknown-key', 'unknown key "accl" (did you mean "accel"?)', 'accel'],
  [10, 11, 'error', 'out-of-range', 'cpus must be a whole number from 1 to 64, not 100'],
  [11, 13, 'error', 'bad-size', '"1 GB" is not a size: use 1G or 1024M'],
  [14, 11, 'error', 'undefined-host', 'host "lab-c" is not defined (did you mean "lab-b"?)', 'lab-b'],
  [15, 14, 'error', 'undefined-network', 'network "lan2" is not defined (did you mean "lan"?)', 'lan'],
  [16, 12, 'error', 'unknown-value', 'unknown accelerator "kvmm" (did you mean "kvm"?)', 'kvm'],
  [18, 5, 'error', 'address-without-bridge', 'address only applies on a bridge network'],
  [19, 10, 'error', 'invalid-nic', 'nic "virtio net" is not a NIC model name'],
  [20, 10, 'error', 'wrong-type', 'vnc must be true or false, not "yes"', 'true'],
  [21, 14, 'warning', 'duplicate-ssh-port', 'sshPort 2222 is also the sshPort of VM "vm1"'],
  [22, 3, 'error', 'duplicate-name', 'VM "vm1" is defined twice (first on line 8)'],
  [23, 3, 'error', 'invalid-name', 'VM name "my vm" may only use letters, digits', 'my-vm'],
  [27, 18, 'error', 'unknown-value', 'unknown benchmark "sysbench-cpuu" (did you mean "sysbench-cpu"?)', 'sysbench-cpu'],
  [28, 18, 'error', 'out-of-range', 'repetitions must be a whole number from 1 to 1000, not 0'],
  [32, 9, 'error', 'same-host', 'VM "vm1" already runs on host "local"; migrate it to another host'],
  [33, 20, 'error', 'unknown-value', 'unknown migration capability "auto-converg" (did you mean "auto-converge"?)', 'auto-converge'],
  [34, 1, 'error', 'unknown-key', 'unknown key "experiment" (did you mean "experiments"?)', 'experiments'],
];

describe('ten-mistakes.qemu-lab.yaml', () => {
  it('reports exactly the expected diagnostics, in file order', () => {
    expect(result.diagnostics).toHaveLength(expected.length);
    expect(result.diagnostics.map((d) => `${d.span.line}:${d.span.column} ${d.code}`)).toEqual(
      expected.map(([line, column, , code]) => `${line}:${column} ${code}`),
    );
  });

  it.each(expected)('line %i column %i: %s %s', (line, column, severity, code, phrase, suggestion) => {
    const found = result.diagnostics.find((d) => d.span.line === line && d.span.column === column && d.code === code);
    expect(found, `no ${code} at ${line}:${column}`).toBeDefined();
    expect(found?.severity).toBe(severity);
    expect(found?.message).toContain(phrase);
    expect(found?.path).toBe(path);
    expect(found?.data?.suggestion).toBe(suggestion);
  });

  it('covers more than ten different mistakes', () => {
    expect(new Set(expected.map(([, , , code]) => code)).size).toBeGreaterThanOrEqual(10);
  });

  it('still builds a best-effort model, leaving out what cannot be built', () => {
    expect(result.lab).toBeDefined();
    expect([...(result.lab?.hosts.keys() ?? [])]).toEqual(['local', 'lab-b']);
    expect([...(result.lab?.vms.keys() ?? [])]).toEqual(['vm1', 'vm2', 'vm3']);
    expect(result.lab?.vms.get('vm1')).toMatchObject({ cpus: 1, memoryBytes: 1024 ** 3, sshPort: 2222 });
    expect([...(result.lab?.experiments.keys() ?? [])]).toEqual(['bench']);
    expect(result.lab?.migrations.size).toBe(0);
  });

  it('points each span at the offending text', () => {
    const text = readFileSync(path, 'utf8');
    const at = (line: number, column: number): string | undefined => {
      const d = result.diagnostics.find((x) => x.span.line === line && x.span.column === column);
      return d === undefined ? undefined : text.slice(d.span.offset, d.span.endOffset);
    };
    expect(at(9, 5)).toBe('accl');
    expect(at(11, 13)).toBe('1 GB');
    expect(at(14, 11)).toBe('lab-c');
    expect(at(22, 3)).toBe('vm1');
    expect(at(23, 3)).toBe('my vm');
    expect(at(27, 18)).toBe('sysbench-cpuu');
  });
});
