/**
 * The argv that runs this very CLI as `internal relay SOCKET` (OpenSSH's ProxyCommand for a
 * guest on a remote host): the same Node binary, its flags (e.g. a TypeScript loader when run
 * from source) and the same script.
 */
export function relayArgvOfThisCli(socketPath: string): string[] {
  const script = process.argv[1];
  if (script === undefined) throw new Error('The CLI script path is unknown (process.argv[1] is missing).');
  return [process.execPath, ...process.execArgv, script, 'internal', 'relay', socketPath];
}
