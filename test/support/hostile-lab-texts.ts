/** Lab texts built to cost the YAML parser time and memory, each just under the 1 MiB size limit. */
const SIZE = 1024 * 1024 - 16;

/** Hostile texts by name; each is refused by a limit of the guarded reader. */
export const hostileLabTexts: Readonly<Record<string, () => string>> = {
  'flow lists': () => '['.repeat(SIZE),
  'flow mappings': () => '{'.repeat(SIZE),
  'flow lists hidden behind quoted closers': () => '[ "]" , '.repeat(Math.floor(SIZE / 8)),
  'compact block lists': () => '- '.repeat(Math.floor(SIZE / 2)),
  'block mappings': () => Array.from({ length: 1400 }, (_, i) => `${' '.repeat(i)}a:`).join('\n'),
  'aliases': () => `a: &x 1\nb:\n${'  - *x\n'.repeat(Math.floor((SIZE - 20) / 7))}`,
};
