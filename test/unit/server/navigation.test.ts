import { describe, expect, it } from 'vitest';
import { SymbolKind } from 'vscode-languageserver';
import { codeLenses } from '../../../extension/server/code-lens-provider';
import { definitionAt, referencesAt } from '../../../extension/server/navigation-provider';
import { documentSymbols } from '../../../extension/server/symbols-provider';
import { analysisAt, analysisOf, LAB_URI } from './helpers';

const LAB = [
  'hosts:',
  '  lab-b: { kind: ssh, address: 10.0.0.2 }',
  'networks:',
  '  lan: { bridge: br0 }',
  'vms:',
  '  vm1:',
  '    host: lab-b',
  '    network: lan',
  '  vm2: { host: local }',
  'experiments:',
  '  e1: { vm: vm1 }',
  'migrations:',
  '  m1: { vm: vm2, to: lab-b }',
  '',
].join('\n');

/** `LAB` with a cursor on the `occurrence`-th (0-based) appearance of `word`, one character in. */
function at(word: string, occurrence = 0): ReturnType<typeof analysisAt> {
  let offset = -1;
  for (let i = 0; i <= occurrence; i++) offset = LAB.indexOf(word, offset + 1);
  return analysisAt(`${LAB.slice(0, offset + 1)}‸${LAB.slice(offset + 1)}`);
}

const lines = (locations: { range: { start: { line: number; character: number } } }[]): string[] =>
  locations.map((l) => `${l.range.start.line}:${l.range.start.character}`);

describe('go to definition', () => {
  it('from a reference to the entry it names', () => {
    const { analysis, position } = at('lab-b', 1);
    expect(definitionAt(analysis, LAB_URI, position)).toEqual({
      uri: LAB_URI,
      range: { start: { line: 1, character: 2 }, end: { line: 1, character: 7 } },
    });
    const vm = at('vm1', 1);
    expect(definitionAt(vm.analysis, LAB_URI, vm.position)?.range.start).toEqual({ line: 5, character: 2 });
    const network = at('lan', 1);
    expect(definitionAt(network.analysis, LAB_URI, network.position)?.range.start).toEqual({ line: 3, character: 2 });
  });

  it('nothing for a name never defined (host local), or off a name', () => {
    const local = at('local');
    expect(definitionAt(local.analysis, LAB_URI, local.position)).toBeNull();
    const key = at('bridge');
    expect(definitionAt(key.analysis, LAB_URI, key.position)).toBeNull();
  });
});

describe('find references', () => {
  it('every use of a host, from its definition or from a use', () => {
    const fromDefinition = at('lab-b');
    expect(lines(referencesAt(fromDefinition.analysis, LAB_URI, fromDefinition.position, false))).toEqual(['6:10', '12:21']);
    const fromUse = at('lab-b', 2);
    expect(lines(referencesAt(fromUse.analysis, LAB_URI, fromUse.position, true))).toEqual(['1:2', '6:10', '12:21']);
  });

  it('VMs from experiments and migrations', () => {
    const { analysis, position } = at('vm2');
    expect(lines(referencesAt(analysis, LAB_URI, position, true))).toEqual(['8:2', '12:12']);
  });
});

describe('document symbols', () => {
  it('sections, then their entries by name', () => {
    const symbols = documentSymbols(analysisOf(LAB));
    expect(symbols.map((s) => [s.name, s.kind, s.children?.map((c) => c.name)])).toEqual([
      ['hosts', SymbolKind.Namespace, ['lab-b']],
      ['networks', SymbolKind.Namespace, ['lan']],
      ['vms', SymbolKind.Namespace, ['vm1', 'vm2']],
      ['experiments', SymbolKind.Namespace, ['e1']],
      ['migrations', SymbolKind.Namespace, ['m1']],
    ]);
    const vm1 = symbols[2]?.children?.[0];
    expect(vm1?.kind).toBe(SymbolKind.Class);
    expect(vm1?.range).toEqual({ start: { line: 5, character: 2 }, end: { line: 7, character: 16 } });
    expect(vm1?.selectionRange).toEqual({ start: { line: 5, character: 2 }, end: { line: 5, character: 5 } });
  });

  it('an outline while the file is broken', () => {
    const symbols = documentSymbols(analysisOf('vms:\n  vm1:\n    nic: \n  vm2: { memory: 1G\n'));
    expect(symbols.map((s) => s.children?.map((c) => c.name))).toEqual([['vm1', 'vm2']]);
    expect(documentSymbols(analysisOf('\u0000binary'))).toEqual([]);
  });
});

describe('code lenses', () => {
  const all = new Set(['qemuLab.bootVm', 'qemuLab.runExperiment', 'qemuLab.migrateVm']);

  it('Boot over VMs, Run over experiments, Migrate over migrations, with plain-data arguments', () => {
    const lenses = codeLenses(analysisOf(LAB), all);
    expect(lenses.map((l) => [l.range.start.line, l.command?.title, l.command?.command, l.command?.arguments?.[0]])).toEqual([
      [5, 'Boot', 'qemuLab.bootVm', { kind: 'vmRef', labPath: '/lab/qemu-lab.yaml', vmName: 'vm1' }],
      [8, 'Boot', 'qemuLab.bootVm', { kind: 'vmRef', labPath: '/lab/qemu-lab.yaml', vmName: 'vm2' }],
      [10, 'Run', 'qemuLab.runExperiment', { kind: 'experimentRef', labPath: '/lab/qemu-lab.yaml', name: 'e1' }],
      [12, 'Migrate', 'qemuLab.migrateVm', { kind: 'migrationRef', labPath: '/lab/qemu-lab.yaml', name: 'm1' }],
    ]);
  });

  it('only for commands the editor has', () => {
    expect(codeLenses(analysisOf(LAB), new Set(['qemuLab.bootVm'])).map((l) => l.command?.title)).toEqual(['Boot', 'Boot']);
    expect(codeLenses(analysisOf(LAB), new Set())).toEqual([]);
  });

  it('not over names no command could take', () => {
    expect(codeLenses(analysisOf('vms:\n  "bad name": {}\n  ok: {}\n'), all).map((l) => l.command?.arguments?.[0].vmName)).toEqual(['ok']);
  });
});
