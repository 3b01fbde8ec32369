/** The host-key decision of one SSH connection attempt: trusted, refused (revoked, changed, unknown), or accepted by a person. */
import { ChangedHostKeyError, type HostKeyError, type PresentedHostKey, RevokedHostKeyError, UnknownHostKeyError } from '../host-errors';
import { appendKnownHost, checkHostKey, type KnownHostEntry, keyTypeOfBlob, sha256Fingerprint } from './known-hosts';
import type { SshTarget } from './ssh-config';
import type { HostKeyInfo, SshTransportOptions } from './ssh-options';

/** What {@link checkPresentedHostKey} decides with. */
export interface HostKeyContext {
  /** known_hosts entries of every file read. */
  readonly entries: readonly KnownHostEntry[];
  /** The name looked up in known_hosts (`[host]:port`, or the HostKeyAlias). */
  readonly lookupName: string;
  readonly target: SshTarget;
  /** Where an accepted key is appended. */
  readonly knownHostsPath: string;
  readonly options: Pick<SshTransportOptions, 'onUnknownHostKey' | 'hashKnownHosts'>;
  /** Stops the connect timeout while a person is asked, and starts it again. */
  readonly pause: () => void;
  readonly resume: () => void;
}

/** The key a server presented, as its errors and the prompt show it. */
export function presentedHostKey(lookupName: string, key: Buffer): PresentedHostKey {
  return { knownHostsName: lookupName, keyType: keyTypeOfBlob(key), fingerprint: sha256Fingerprint(key) };
}

/**
 * Checks the key a server presented against known_hosts. An unknown key is offered to
 * `onUnknownHostKey` (with the connect timeout paused) and appended to known_hosts when accepted;
 * a changed or revoked key is always refused.
 *
 * @returns true when the key is trusted, else the error that says why not.
 */
export async function checkPresentedHostKey(context: HostKeyContext, key: Buffer): Promise<true | HostKeyError> {
  const { entries, lookupName, target, knownHostsPath, options } = context;
  const presented = presentedHostKey(lookupName, key);
  const verdict = checkHostKey(entries, lookupName, key);
  switch (verdict.kind) {
    case 'trusted':
      return true;
    case 'revoked':
      return new RevokedHostKeyError(presented, verdict.entry.file, verdict.entry.line);
    case 'changed':
      return new ChangedHostKeyError(
        presented,
        verdict.known.map((e) => ({ fingerprint: sha256Fingerprint(e.key), file: e.file, line: e.line })),
      );
    case 'unknown': {
      const info: HostKeyInfo = {
        ...presented,
        host: target.hostname,
        port: target.port,
        knownHostsPath,
        otherKeyTypes: verdict.otherKeyTypes,
      };
      let accepted = false;
      if (options.onUnknownHostKey !== undefined) {
        context.pause();
        try {
          accepted = await options.onUnknownHostKey(presented.fingerprint, info);
        } finally {
          context.resume();
        }
      }
      if (!accepted) return new UnknownHostKeyError(presented, knownHostsPath, { otherKeyTypes: verdict.otherKeyTypes });
      await appendKnownHost(knownHostsPath, lookupName, key, { hash: options.hashKnownHosts ?? false });
      return true;
    }
  }
}
