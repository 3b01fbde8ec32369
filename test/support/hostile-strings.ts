/**
 * Arguments that break anything pasting them into a shell line: quotes, `$()`, backticks,
 * newlines, globs, redirections, non-ASCII. Every path that quotes argv is tested with these.
 */
export const HOSTILE_STRINGS: readonly string[] = [
  '',
  'plain',
  'with space',
  "it's",
  '"double"',
  '$(touch /tmp/qemu-lab-pwned)',
  '`touch /tmp/qemu-lab-pwned`',
  'a\nb',
  'tab\there',
  'ünïcødé ✓ 日本',
  '; rm -rf / #',
  '$HOME',
  '*',
  '-n',
  "'",
  "''\\'",
  '\\',
  '!history',
  '~',
  '{a,b}',
  '> /tmp/qemu-lab-redirected',
];
