/**
 * `virsh -c URI` on the machine a libvirt host's URI points at (see libvirt-uri.ts): through that
 * machine's {@link HostSystem}, so the lab's gate (Restricted Mode) and its SSH rules cover every
 * call, and arguments travel as an argv, never a shell line.
 */
import type { HostSystem } from '../hosts/system/host-system';
import { LibvirtError } from './libvirt-errors';
import { virshFailureHint } from './virsh-hints';

const VIRSH_TIMEOUT_MS = 60_000;

/** virsh's words when a domain does not exist. */
const NO_DOMAIN = /failed to get domain|Domain not found|no domain with matching name/i;

/** One libvirt connection's virsh. */
export class Virsh {
  /**
   * @param system the machine virsh runs on.
   * @param uri the URI virsh is given there.
   * @param hostName the lab's name of the host, for messages.
   */
  constructor(
    readonly system: HostSystem,
    readonly uri: string,
    private readonly hostName: string,
  ) {}

  /** Runs `virsh -c URI --quiet ARGS…` and returns its output; a non-zero exit is a {@link LibvirtError}. */
  async run(args: readonly string[], options: { readonly timeoutMs?: number; readonly signal?: AbortSignal } = {}): Promise<string> {
    const result = await this.system.run('virsh', ['-c', this.uri, '--quiet', ...args], {
      timeoutMs: options.timeoutMs ?? VIRSH_TIMEOUT_MS,
      signal: options.signal,
      check: false,
      missingHint: 'Install libvirt-clients on that machine (it has virsh).',
    });
    if (result.exitCode !== 0) {
      const said = result.stderr.trim().replace(/^error: /gm, '').split('\n').filter(Boolean).join(' ');
      throw new LibvirtError(`virsh ${args[0] ?? ''} on host "${this.hostName}" (${this.uri}) failed: ${said || `exit ${String(result.exitCode)}`}`, {
        hint: virshFailureHint(said),
      });
    }
    return result.stdout;
  }

  /**
   * Runs `virsh -c URI ARGS…` until it ends or `signal` aborts it (which kills it), its output
   * passed to `onStdout` piece by piece and not kept: for `event --loop`, which runs for as long
   * as it is followed. Resolves when virsh ended by itself with exit 0; a non-zero exit is a
   * {@link LibvirtError} with virsh's last words, an abort a CommandCancelledError.
   */
  async follow(args: readonly string[], options: { readonly signal: AbortSignal; readonly onStdout: (text: string) => void }): Promise<void> {
    const result = await this.system.run('virsh', ['-c', this.uri, ...args], {
      signal: options.signal,
      check: false,
      onStdout: options.onStdout,
      keepStdout: 'tail',
      missingHint: 'Install libvirt-clients on that machine (it has virsh).',
    });
    if (result.exitCode !== 0) {
      const said = result.stderr.trim().replace(/^error: /gm, '').split('\n').filter(Boolean).slice(-3).join(' ');
      throw new LibvirtError(`virsh ${args[0] ?? ''} on host "${this.hostName}" (${this.uri}) ended: ${said || `exit ${String(result.exitCode)}`}`, {
        hint: virshFailureHint(said),
      });
    }
  }

  /** As {@link run}, but undefined when the domain does not exist. */
  async runOnDomain(args: readonly string[], options: { readonly timeoutMs?: number; readonly signal?: AbortSignal } = {}): Promise<string | undefined> {
    try {
      return await this.run(args, options);
    } catch (error) {
      if (error instanceof LibvirtError && NO_DOMAIN.test(error.message)) return undefined;
      throw error;
    }
  }
}
