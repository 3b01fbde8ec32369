/** A machine type from `qemu-system-* -machine help`. */
export interface MachineTypeInfo {
  readonly name: string;
  readonly description: string;
  /** The versioned machine this name stands for, e.g. `pc-q35-7.2` for `q35`. */
  readonly aliasOf: string | undefined;
  readonly isDefault: boolean;
}

/** A NIC model from the "Network devices" section of `-device help`. */
export interface NicModelInfo {
  readonly name: string;
  readonly bus: string;
  readonly alias: string | undefined;
  readonly description: string | undefined;
}

/** Parses `-machine help` output. Lines that are not machine entries are skipped. */
export function parseMachineHelp(text: string): MachineTypeInfo[] {
  const machines: MachineTypeInfo[] = [];
  for (const line of text.split('\n')) {
    const match = /^(\S+)\s{2,}(.+?)\s*$/.exec(line);
    if (match === null || line.startsWith('Supported machines')) continue;
    let description = match[2] ?? '';
    const isDefault = description.includes('(default)');
    const alias = /\(alias of ([^)]+)\)/.exec(description)?.[1];
    description = description.replace(/\s*\((?:default|alias of [^)]+)\)/g, '').trim();
    machines.push({ name: match[1] ?? '', description, aliasOf: alias, isDefault });
  }
  return machines;
}

/** Parses the "Network devices:" section of `-device help` output. */
export function parseNicModels(text: string): NicModelInfo[] {
  const models: NicModelInfo[] = [];
  let inSection = false;
  for (const line of text.split('\n')) {
    if (/^\S.*:\s*$/.test(line)) {
      inSection = line.startsWith('Network devices:');
      continue;
    }
    if (!inSection) continue;
    const name = /^name "([^"]+)"/.exec(line)?.[1];
    if (name === undefined) continue;
    models.push({
      name,
      bus: /, bus ([^,]+)/.exec(line)?.[1]?.trim() ?? '',
      alias: /, alias "([^"]+)"/.exec(line)?.[1],
      description: /, desc "([^"]*)"/.exec(line)?.[1],
    });
  }
  return models;
}
