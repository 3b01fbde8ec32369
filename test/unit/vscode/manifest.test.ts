import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

interface Manifest {
  activationEvents: string[];
  main: string;
  contributes: {
    commands: { command: string }[];
    languages: { id: string; filenames: string[]; filenamePatterns: string[] }[];
    configuration: { properties: Record<string, { scope?: string }> };
  };
}

const root = join(__dirname, '../../..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;

describe('package.json', () => {
  it('never activates on every start-up', () => {
    expect(manifest.activationEvents).not.toContain('*');
    expect(manifest.activationEvents).not.toContain('onStartupFinished');
    expect(manifest.activationEvents).toContain('workspaceContains:**/qemu-lab.yaml');
  });

  it('contributes exactly the commands the command table registers', () => {
    const source = readFileSync(join(root, 'extension/vscode/commands/command-table.ts'), 'utf8');
    const registered = [...source.matchAll(/'(qemuLab\.[A-Za-z.]+)'\s*:/g)].map((m) => m[1]).sort();
    const contributed = manifest.contributes.commands.map((c) => c.command).sort();
    expect(registered).toEqual(contributed);
  });

  it('claims qemu-lab.yaml and *.qemu-lab.yaml for the qemu-lab language', () => {
    const language = manifest.contributes.languages.find((l) => l.id === 'qemu-lab');
    expect(language?.filenames).toContain('qemu-lab.yaml');
    expect(language?.filenamePatterns).toContain('*.qemu-lab.yaml');
  });

  it('lets no workspace choose a program to run or a folder to write: those settings are machine-scoped', () => {
    const properties = manifest.contributes.configuration.properties;
    for (const key of ['qemuLab.hostQemu', 'qemuLab.stateDirectory', 'qemuLab.cacheDirectory', 'qemuLab.remoteStateDirectory']) {
      expect(properties[key]?.scope, key).toBe('machine');
    }
  });

  it('contributes the settings the editor reads, and no other', () => {
    const read = [
      ...readFileSync(join(root, 'extension/vscode/settings/lab-settings.ts'), 'utf8').matchAll(/config\.get\('([A-Za-z]+)'\)/g),
      ...readFileSync(join(root, 'extension/vscode/commands/power-down-vm.ts'), 'utf8').matchAll(/get<number>\('([A-Za-z]+)'/g),
    ].map((m) => `qemuLab.${m[1]}`);
    expect(read.sort()).toEqual(Object.keys(manifest.contributes.configuration.properties).sort());
  });
});
