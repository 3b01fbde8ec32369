import { relayStdio } from '../../core/machines/guest-access/guest-relay';
import { UsageError, type CliCommand } from '../io';

/**
 * `qemu-lab internal relay SOCKET`: copies stdin/stdout to a UNIX socket until it closes. Not
 * for people: `qemu-lab ssh` and the editor's "Open SSH Terminal" give it to OpenSSH as the
 * ProxyCommand that reaches a guest on a remote host (see core/machines/guest-access/guest-relay.ts).
 */
export const internalRelayCommand: CliCommand = {
  name: 'internal relay',
  usage: 'internal relay SOCKET',
  summary: "(used by ssh: OpenSSH's ProxyCommand for a guest on a remote host)",
  async run(args, _global, io) {
    const [socketPath, ...extra] = args;
    if (socketPath === undefined || extra.length > 0) throw new UsageError('internal relay needs exactly one socket path.');
    return relayStdio(socketPath, process.stdin, process.stdout, io.err);
  },
};
