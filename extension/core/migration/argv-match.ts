/**
 * The destination must have the same devices as the source — the same argv apart from what
 * is local to its host: the run directory (sockets, pidfile, logs), the forwarded ports, the TAP, where
 * the guest's kernel and initramfs were placed, and `-incoming`. Comparing argvs with those
 * masked finds a lab file edited since the VM booted before QEMU fails half-way.
 */

/** Options that take a path of the guest's files, compared by file name only. */
const PLACED_FILE_OPTIONS: ReadonlySet<string> = new Set(['-kernel', '-initrd']);

/**
 * An argv with host-local parts masked: `runDir` becomes `<run>`, ports `<port>`, placed files
 * their name, and `disk` (a disk guest's overlay, when it has another path on each host: a disk
 * copied with the migration) `<disk>`.
 */
export function maskHostLocal(argv: readonly string[], runDir: string, disk?: string): string[] {
  const masked: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    const previous = i > 0 ? argv[i - 1] : undefined;
    if (arg === '-incoming') {
      i += 1; // and its value
      continue;
    }
    if (previous !== undefined && PLACED_FILE_OPTIONS.has(previous)) {
      masked.push(`<placed>/${arg.slice(arg.lastIndexOf('/') + 1)}`);
      continue;
    }
    // The run directory appears inside option values with commas doubled (qemuOptionValue).
    let value = arg.split(runDir.replaceAll(',', ',,')).join('<run>').split(runDir).join('<run>');
    if (disk !== undefined) value = value.split(`file=${disk.replaceAll(',', ',,')},`).join('file=<disk>,');
    value = value.replace(/hostfwd=tcp:([^:,]*):\d+-/g, 'hostfwd=tcp:$1:<port>-');
    // Each QEMU of a VM has a TAP of its own (both run at once during a same-host migration).
    value = value.replace(/ifname=qlt[0-9a-f]{8}/g, 'ifname=<tap>');
    masked.push(value);
  }
  return masked;
}

/** The first difference between two masked argvs, in words; undefined when they match. */
export function argvDifference(source: readonly string[], destination: readonly string[]): string | undefined {
  const length = Math.max(source.length, destination.length);
  for (let i = 0; i < length; i += 1) {
    if (source[i] !== destination[i]) {
      const context = source[i - 1] ?? destination[i - 1];
      const where = context !== undefined && context.startsWith('-') ? ` (after ${context})` : '';
      return `argument ${i + 1}${where}: the running VM has ${JSON.stringify(source[i] ?? '(nothing)')}, the destination would get ${JSON.stringify(destination[i] ?? '(nothing)')}`;
    }
  }
  return undefined;
}
