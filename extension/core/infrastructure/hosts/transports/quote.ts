/**
 * Quotes one argument for a POSIX shell: the result is a single word whose value is exactly
 * `arg`, whatever it holds (quotes, `$()`, backticks, newlines, non-ASCII). The only place a
 * command line for a remote shell (ssh) is made; nothing user-supplied is pasted in unquoted.
 */
export function shellQuote(arg: string): string {
  if (arg.length > 0 && /^[A-Za-z0-9_./:=@%+,-]+$/.test(arg)) return arg;
  // Inside single quotes nothing is special but the single quote itself: close, escape, reopen.
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** Quotes an argv for a POSIX shell, one word per argument. */
export function shellJoin(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}
