import { relayStdio } from '../../core/machines/guest-access/guest-relay';
import { defineCommand } from '../command-spec';

/**
 * `qemu-lab internal relay SOCKET`: copies stdin/stdout to a UNIX socket until it closes. Not
 * for people: `qemu-lab ssh` and the editor's "Open SSH Terminal" give it to OpenSSH as the
 * ProxyCommand that reaches a guest on a remote host (see core/machines/guest-access/guest-relay.ts).
 */
export const internalRelayCommand = defineCommand({
  name: 'relay',
  operands: { synopsis: 'SOCKET', count: 1, what: 'socket path' },
  summary: "(used by ssh: OpenSSH's ProxyCommand for a guest on a remote host)",
  async run({ positionals: [socketPath = ''] }, _global, io) {
    return relayStdio(socketPath, process.stdin, process.stdout, io.err);
  },
});

