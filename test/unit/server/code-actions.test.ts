import { describe, expect, it } from 'vitest';
import type { CodeAction, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseLabText } from '../../../extension/core/lab/parse';
import { addEntryEdit } from '../../../extension/server/add-entry-edit';
import { codeActionsFor } from '../../../extension/server/code-action-provider';
import { labDiagnostics } from '../../../extension/server/diagnostics-provider';
import { analysisOf, fakeHost, hostsMap, LAB_URI } from './helpers';

/** Every quick fix for the diagnostics of `text` (hosts probed as given). */
function fixes(text: string, hosts = hostsMap(fakeHost())): CodeAction[] {
  const analysis = analysisOf(text);
  return codeActionsFor(analysis, LAB_URI, labDiagnostics(analysis, hosts));
}

/** `text` after the fix titled `title`. */
function apply(text: string, title: string): string {
  const action = fixes(text).find((a) => a.title === title);
  const edits = action?.edit?.changes?.[LAB_URI];
  if (edits === undefined) throw new Error(`no fix "${title}" in ${JSON.stringify(fixes(text).map((a) => a.title))}`);
  return TextDocument.applyEdits(TextDocument.create(LAB_URI, 'qemu-lab', 1, text), edits);
}

/** `text` with `edit` applied. */
function applyEdit(text: string, edit: TextEdit | undefined): string {
  if (edit === undefined) throw new Error('no edit');
  return TextDocument.applyEdits(TextDocument.create(LAB_URI, 'qemu-lab', 1, text), [edit]);
}

describe('quick fixes', () => {
  it('"Use tcg here" for accel: kvm on a host without usable KVM', () => {
    expect(apply('vms:\n  vm1:\n    accel: kvm\n', 'Use tcg here')).toBe('vms:\n  vm1:\n    accel: tcg\n');
    expect(fixes('vms:\n  vm1:\n    accel: kvm\n', hostsMap(fakeHost({ kvmUsable: true })))).toEqual([]);
  });

  it('"Did you mean …?" from the diagnostic\'s suggestion', () => {
    expect(apply('vms:\n  vm1:\n    memroy: 1G\n', 'Did you mean "memory"?')).toBe('vms:\n  vm1:\n    memory: 1G\n');
    expect(apply('vms:\n  vm1: { accel: kmv }\n', 'Did you mean "kvm"?')).toBe('vms:\n  vm1: { accel: kvm }\n');
    expect(apply('vms:\n  vm1: { nic: rtl8193 }\n', 'Did you mean "rtl8139"?')).toBe('vms:\n  vm1: { nic: rtl8139 }\n');
    expect(apply('vms:\n  vm1: {}\nexperiments:\n  e: { vm: vm1, targets: guest }\n', 'Change to [guest]')).toContain('targets: [guest]');
  });

  it('the fix is tied to its diagnostic and preferred', () => {
    const [action] = fixes('vms:\n  vm1:\n    memroy: 1G\n');
    expect(action?.kind).toBe('quickfix');
    expect(action?.isPreferred).toBe(true);
    expect(action?.diagnostics?.[0]?.code).toBe('unknown-key');
  });

  it('"Add host …" under an existing block hosts: section, in its style', () => {
    const text = 'hosts:\n  lab-b:\n    kind: ssh\n    address: 10.0.0.2\nvms:\n  vm1: { host: lab-c }\n';
    const fixed = apply(text, 'Add host "lab-c" under hosts:');
    expect(fixed).toBe('hosts:\n  lab-b:\n    kind: ssh\n    address: 10.0.0.2\n  lab-c:\n    kind: ssh\n    address: lab-c\nvms:\n  vm1: { host: lab-c }\n');
    expect(parseLabText(fixed, 'lab.yaml').diagnostics).toEqual([]);
  });

  it('"Add host …" creates hosts: when the file has none, before the other sections', () => {
    const fixed = apply('vms:\n  vm1:\n    host: far\n', 'Add host "far" under hosts:');
    expect(fixed).toBe('hosts:\n  far:\n    kind: ssh\n    address: far\nvms:\n  vm1:\n    host: far\n');
    expect(parseLabText(fixed, 'lab.yaml').diagnostics).toEqual([]);
  });

  it('"Add host …" next to a "did you mean", for a near miss', () => {
    const titles = fixes('hosts:\n  lab-b: { kind: ssh, address: b }\nvms:\n  vm1: { host: lab-c }\n').map((a) => a.title);
    expect(titles).toEqual(['Did you mean "lab-b"?', 'Add host "lab-c" under hosts:']);
  });

  it('"Add network …" and "Add VM …" too', () => {
    const network = apply('vms:\n  vm1: { network: lan }\n', 'Add network "lan" under networks:');
    expect(network).toBe('networks:\n  lan:\n    bridge: br0\nvms:\n  vm1: { network: lan }\n');
    const vm = apply('experiments:\n  e: { vm: vm9 }\n', 'Add VM "vm9" under vms:');
    expect(vm).toBe('vms:\n  vm9:\n    memory: 1G\nexperiments:\n  e: { vm: vm9 }\n');
    expect(parseLabText(vm, 'lab.yaml').diagnostics).toEqual([]);
  });

  it('ignores diagnostics from other sources and odd data', () => {
    const analysis = analysisOf('vms: {}\n');
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } };
    expect(codeActionsFor(analysis, LAB_URI, [{ range, message: 'x', source: 'yaml', data: { suggestion: 'y' } }])).toEqual([]);
    expect(codeActionsFor(analysis, LAB_URI, [{ range, message: 'x', source: 'qemu-lab', data: 'junk' }])).toEqual([]);
    expect(codeActionsFor(analysis, LAB_URI, [{ range, message: 'x', source: 'qemu-lab', code: 'undefined-host' }])).toHaveLength(1);
  });
});

describe('addEntryEdit', () => {
  const added = (text: string): string => applyEdit(text, addEntryEdit(analysisOf(text), 'hosts', 'new'));

  it('follows a flow-style section and flow-style entries', () => {
    expect(added('hosts: { a: { kind: local } }\n')).toBe('hosts: { a: { kind: local }, new: { kind: ssh, address: new } }\n');
    expect(added('hosts: {}\n')).toBe('hosts: { new: { kind: ssh, address: new } }\n');
    expect(added('hosts:\n    a: { kind: local }\nvms: {}\n')).toBe('hosts:\n    a: { kind: local }\n    new: { kind: ssh, address: new }\nvms: {}\n');
  });

  it('fills an empty section, and follows the file\'s indentation', () => {
    expect(added('hosts:\nvms: {}\n')).toBe('hosts:\n  new:\n    kind: ssh\n    address: new\nvms: {}\n');
    expect(added('hosts: ~\n')).toBe('hosts: { new: { kind: ssh, address: new } }\n');
    expect(added('hosts:\n    a:\n        kind: local\n')).toBe('hosts:\n    a:\n        kind: local\n    new:\n        kind: ssh\n        address: new\n');
  });

  it('adds the section before a later one, at the end when none follows, and to an empty file', () => {
    expect(added('# my lab\nnetworks: {}\n')).toBe('# my lab\nhosts:\n  new:\n    kind: ssh\n    address: new\nnetworks: {}\n');
    expect(applyEdit('hosts: {}', addEntryEdit(analysisOf('hosts: {}'), 'vms', 'vm9'))).toBe('hosts: {}\nvms:\n  vm9:\n    memory: 1G\n');
    expect(added('')).toBe('hosts:\n  new:\n    kind: ssh\n    address: new\n');
  });

  it('gives up where the file leaves no sure place', () => {
    expect(addEntryEdit(analysisOf('{ vms: {} }\n'), 'hosts', 'new')).toBeUndefined();
    expect(addEntryEdit(analysisOf('- a\n'), 'hosts', 'new')).toBeUndefined();
    expect(addEntryEdit(analysisOf('hosts: [a]\n'), 'hosts', 'new')).toBeUndefined();
  });
});
