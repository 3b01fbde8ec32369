/** SFTP on an SSH connection: one session per connection, and an atomic file upload over it. */
import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import type { SFTPWrapper } from 'ssh2';
import { HostChannelError } from '../host-errors';
import { reasonOf, type SshConnection, whileConnected } from './ssh-connection';

/** The connection's SFTP session, started on first use and forgotten when it closes. */
export function sftpOf(connection: SshConnection, hostName: string): Promise<SFTPWrapper> {
  connection.sftp ??= new Promise<SFTPWrapper>((resolve, reject) => {
    connection.client.sftp((error, sftp) => {
      if (error) {
        connection.sftp = undefined;
        reject(new HostChannelError(`Cannot start SFTP on ${hostName}: ${reasonOf(error)}`, { cause: error, hint: 'sshd needs an sftp Subsystem.' }));
        return;
      }
      sftp.on('close', () => {
        if (connection.sftp === current) connection.sftp = undefined;
      });
      resolve(sftp);
    });
  });
  const current = connection.sftp;
  return current;
}

/**
 * Copies `localPath` to `remotePath` with `mode`: into a temporary name beside it, then renamed
 * over it, so a reader never sees half a file. Cancelled by `signal`; fails at once if the
 * connection drops.
 *
 * @throws HostChannelError when the copy or the rename fails (the temporary file is removed).
 */
export async function sftpUpload(
  connection: SshConnection,
  hostName: string,
  localPath: string,
  remotePath: string,
  mode: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  const temp = posix.join(posix.dirname(remotePath), `.${posix.basename(remotePath)}.qemu-lab-${randomBytes(4).toString('hex')}`);
  await whileConnected(connection, hostName, `upload of ${localPath}`, signal, async () => {
    const sftp = await sftpOf(connection, hostName);
    const call = <T>(fn: (cb: (error: Error | null | undefined, value?: T) => void) => void): Promise<T> =>
      new Promise((resolve, reject) => fn((error, value) => (error ? reject(error) : resolve(value as T))));
    try {
      await call<void>((cb) => sftp.fastPut(localPath, temp, { mode }, (error) => cb(error)));
      await call<void>((cb) => sftp.chmod(temp, mode, (error) => cb(error)));
      try {
        // Atomic replace (posix-rename@openssh.com); plain SFTP rename refuses to overwrite.
        await call<void>((cb) => sftp.ext_openssh_rename(temp, remotePath, (error) => cb(error)));
      } catch (error) {
        if (!/not support/i.test(reasonOf(error))) throw error;
        await call<void>((cb) => sftp.unlink(remotePath, () => cb(null)));
        await call<void>((cb) => sftp.rename(temp, remotePath, (renameError) => cb(renameError)));
      }
    } catch (error) {
      await call<void>((cb) => sftp.unlink(temp, () => cb(null))).catch(() => undefined);
      throw new HostChannelError(`Cannot upload ${localPath} to ${hostName}:${remotePath}: ${reasonOf(error)}`, {
        cause: error,
        hint: 'Check that the directory exists and the SSH user may write there.',
      });
    }
  });
}
