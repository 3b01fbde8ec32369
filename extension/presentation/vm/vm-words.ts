/**
 * How a running VM's facts are worded, the same in the CLI and the editor's tree.
 */

/** An SSH endpoint of a guest. */
export interface SshEndpointLike {
  readonly host: string;
  readonly port: number;
}

/** `ssh root@127.0.0.1 -p 2222`: the command that logs into the guest. */
export function sshCommandWords(ssh: SshEndpointLike): string {
  return `ssh root@${ssh.host} -p ${ssh.port}`;
}

/** `127.0.0.1:2222`. */
export function sshEndpointWords(ssh: SshEndpointLike): string {
  return `${ssh.host}:${ssh.port}`;
}
