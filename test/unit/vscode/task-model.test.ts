import { describe, expect, it } from 'vitest';
import { labParts } from '../../../extension/core/lab-run/parts';
import type { LabModel } from '../../../extension/core/lab/model';
import { labTaskCommand, labTaskOffers } from '../../../extension/vscode/tasks/task-model';
import { parse } from '../lab/helpers';

const COURSE = [
  'vms:',
  '  vm1: { accel: tcg, machine: pc, faultTolerance: { mode: colo, secondary: local, checkpointDelay: 2s } }',
  '  vm2: { accel: tcg }',
  'experiments:',
  '  nics: { vm: vm2, matrix: { nic: [virtio, e1000] }, targets: [guest], benchmarks: [iperf3], repetitions: 1, duration: 1s }',
  'migrations:',
  '  move: { vm: vm2, to: local, sameHost: true }',
  '',
].join('\n');

function lab(text: string): LabModel {
  const parsed = parse(text);
  expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return parsed.lab as LabModel;
}

describe('the tasks a lab file offers', () => {
  it('the whole lab, then one per part, with the parts qemu-lab run knows', () => {
    const model = lab(COURSE);
    const offers = labTaskOffers(model, 'labs/course.qemu-lab.yaml');
    expect(offers.map((o) => o.label)).toEqual([
      'run the whole lab (labs/course.qemu-lab.yaml)',
      'experiment nics (labs/course.qemu-lab.yaml)',
      'migration move (labs/course.qemu-lab.yaml)',
      'COLO pair of vm1 (labs/course.qemu-lab.yaml)',
    ]);
    expect(offers[0]?.definition).toEqual({ type: 'qemu-lab', lab: 'labs/course.qemu-lab.yaml' });
    // The same keys as `qemu-lab run --only` takes, in the same order.
    expect(offers.slice(1).map((o) => o.definition.part)).toEqual(labParts(model, { usable: false, reason: 'test' }).map((p) => p.key));
  });

  it('a lab with nothing to run offers the whole lab only (its run then says so)', () => {
    expect(labTaskOffers(lab('vms:\n  vm1: {}\n'), 'qemu-lab.yaml')).toHaveLength(1);
  });
});

describe('the command a task definition stands for', () => {
  const folder = '/home/ada/course';

  it('runs the CLI on the lab file inside the folder, with --only and --runs', () => {
    expect(labTaskCommand({ type: 'qemu-lab', lab: 'qemu-lab.yaml' }, folder)).toEqual({ labFile: '/home/ada/course/qemu-lab.yaml', args: ['-f', '/home/ada/course/qemu-lab.yaml', 'run'] });
    expect(labTaskCommand({ type: 'qemu-lab', lab: 'labs/a.qemu-lab.yaml', part: 'migration:move', runs: 3 }, folder)).toEqual({
      labFile: '/home/ada/course/labs/a.qemu-lab.yaml',
      args: ['-f', '/home/ada/course/labs/a.qemu-lab.yaml', 'run', '--only', 'migration:move', '--runs', '3'],
    });
    expect(labTaskCommand({ type: 'qemu-lab', lab: './qemu-lab.yaml', part: 'nics' }, folder)).toMatchObject({ args: ['-f', '/home/ada/course/qemu-lab.yaml', 'run', '--only', 'nics'] });
  });

  it('refuses a lab file outside the folder, an absolute path, or a file that is no lab file', () => {
    for (const lab of ['../other/qemu-lab.yaml', '/etc/qemu-lab.yaml', 'labs/../../x/qemu-lab.yaml', 'notes.yaml', 'qemu-lab.yaml.bak', '.', '']) {
      const command = labTaskCommand({ type: 'qemu-lab', lab }, folder);
      expect(command, lab).toHaveProperty('problem');
    }
    expect(labTaskCommand({ type: 'qemu-lab', lab: '../x/qemu-lab.yaml' }, folder)).toEqual({
      problem: '"lab": "../x/qemu-lab.yaml" is not a file inside the workspace folder: write its path relative to the folder.',
    });
    expect(labTaskCommand({ type: 'qemu-lab' }, folder)).toEqual({ problem: expect.stringMatching(/needs "lab"/) });
    expect(labTaskCommand(undefined, folder)).toHaveProperty('problem');
  });

  it('refuses a part that could be read as an option, or that is no part', () => {
    for (const part of ['--output=/etc', '-o', 'experiment:', 'vm:vm1', 'migration:a:b', 'experiment:../x', 7, '']) {
      const command = labTaskCommand({ type: 'qemu-lab', lab: 'qemu-lab.yaml', part }, folder);
      expect(command, String(part)).toEqual({ problem: expect.stringMatching(/^"part": .* is not a part of a lab: write experiment:NAME, migration:NAME or colo:VM\.$/) });
    }
  });

  it('refuses runs that are not a whole number from 1 to 100', () => {
    for (const runs of [0, 101, 1.5, '3', -1]) {
      expect(labTaskCommand({ type: 'qemu-lab', lab: 'qemu-lab.yaml', runs }, folder), String(runs)).toEqual({ problem: expect.stringMatching(/^"runs": .* is not a whole number from 1 to 100\.$/) });
    }
  });
});
