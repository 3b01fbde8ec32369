/**
 * How the words a user gives for a guest command become the argv run there. `shell` is what
 * OpenSSH does with `ssh host WORDS…`: the words joined with spaces form one shell line, so
 * `qemu-lab ssh vm1 -- 'echo hi > /root/x'` redirects and `cmd | grep x` pipes. `argv` keeps each
 * word one argument, quoted on the way, for scripts that need exact quoting.
 */
export type GuestCommandMode = 'shell' | 'argv';

/** The argv to run in the guest for `words` in `mode`; the shell line goes to `/bin/sh -c`, whatever the user's login shell. */
export function guestCommandArgv(words: readonly string[], mode: GuestCommandMode): string[] {
  return mode === 'argv' ? [...words] : ['/bin/sh', '-c', words.join(' ')];
}
