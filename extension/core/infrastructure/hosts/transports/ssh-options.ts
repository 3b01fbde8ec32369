/** The options of an SSH transport and what its host-key prompt is told: the public surface of `ssh-transport.ts`. */
import type { HostTransport } from '../host';
import type { HostGate } from '../host-gate';
import type { PresentedHostKey } from '../host-errors';
import type { AskSecret } from './ssh-auth';
import type { SshJump } from './ssh-config';

/** What {@link SshTransportOptions.onUnknownHostKey} is told about a key not in known_hosts. */
export interface HostKeyInfo extends PresentedHostKey {
  readonly host: string;
  readonly port: number;
  /** Where the key is added when accepted. */
  readonly knownHostsPath: string;
  /** Key types known_hosts has for this host already (then the server chose another type). */
  readonly otherKeyTypes: readonly string[];
}

/** Options of an `SshTransport` (and of a `HostPool`, for all its hosts). */
export interface SshTransportOptions {
  /** Passphrases, passwords, keyboard-interactive answers. Without it only agent and unencrypted keys work. */
  readonly askSecret?: AskSecret;
  /**
   * Called for a host key that is not in known_hosts, with its SHA256 fingerprint; resolve
   * true to trust it (it is appended to known_hosts). Without it such hosts are refused with
   * UnknownHostKeyError. Never called for a changed key: that is always refused.
   */
  readonly onUnknownHostKey?: (fingerprint: string, info: HostKeyInfo) => Promise<boolean>;
  /** known_hosts read and appended to. Default: UserKnownHostsFile of ~/.ssh/config, else ~/.ssh/known_hosts. */
  readonly knownHostsPath?: string;
  /** Read-only known_hosts files. Default `/etc/ssh/ssh_known_hosts`. */
  readonly globalKnownHostsPaths?: readonly string[];
  /** Append accepted keys with a hashed host name (as HashKnownHosts yes). Default false. */
  readonly hashKnownHosts?: boolean;
  /** ssh config file; default ~/.ssh/config; null = none. */
  readonly sshConfigPath?: string | null;
  /** Home directory for `~` (default os.homedir()). */
  readonly home?: string;
  /** ssh-agent socket; default `SSH_AUTH_SOCK`; null = do not use an agent. */
  readonly agentSocket?: string | null;
  /** Time for TCP connect, handshake and auth (not counting time spent asking a person). Default 20 s. */
  readonly connectTimeoutMs?: number;
  /** SSH keepalive interval; a dead connection is noticed after interval × (countMax + 1). Default 10 s. */
  readonly keepaliveIntervalMs?: number;
  /** Unanswered keepalives before the connection counts as dropped. Default 2. */
  readonly keepaliveCountMax?: number;
  /** Connection attempts per use before giving up (network errors only). Default 3. */
  readonly connectAttempts?: number;
  /** Delay before the second attempt; doubles each time, at most 8 s. Default 500 ms. */
  readonly retryDelayMs?: number;
  /** After a cancelled run's SIGKILL, wait this long for the channel to close before closing it ourselves. Default 2 s. */
  readonly killGraceMs?: number;
  /** Exec channels open at once on the connection (sshd's MaxSessions is 10). Default 8. */
  readonly maxSessions?: number;
  /** The transport of a ProxyJump host (a HostPool passes its own, so the jump connection is shared). */
  readonly jumpTransport?: (jump: SshJump) => HostTransport;
  /** ssh2's debug output. */
  readonly debug?: (line: string) => void;
  /**
   * Asked before every connection attempt; a closed gate refuses with HostAccessRefusedError
   * and nothing is sent to the host (not even a TCP SYN). Default: always open.
   */
  readonly gate?: HostGate;
}
