/**
 * The one error tree of QEMU Lab. Every error a user can see is a {@link QemuLabError}: its
 * `message` says what went wrong and its `hint` says what to do about it.
 *
 * Every error class under extension/core is drawn here, under the class it extends, with the
 * file it is in (relative to extension/core/); `test/unit/errors/error-tree.test.ts` checks both ways.
 *
 * ```
 * QemuLabError                           one root: a message, and a hint on what to do                        errors.ts
 * ├── LabFileError                       the lab file cannot be read or is invalid                            errors.ts
 * ├── HostError                          a host cannot do what was asked                                      errors.ts
 * │   ├── CommandFailedError             a program on a host exited non-zero                                  errors.ts
 * │   ├── NetworkError                   a bridge, TAP or network namespace cannot be set up                  errors.ts
 * │   ├── CommandCancelledError          a run was aborted or timed out; its process group killed             infrastructure/hosts/host-errors.ts
 * │   ├── ProgramNotFoundError           the program is not installed there                                   infrastructure/hosts/host-errors.ts
 * │   ├── HostUnreachableError           no SSH connection could be made                                      infrastructure/hosts/host-errors.ts
 * │   ├── HostConnectionLostError        an established connection dropped                                    infrastructure/hosts/host-errors.ts
 * │   ├── HostChannelError               a channel (socket, TCP, SFTP, exec) could not be opened              infrastructure/hosts/host-errors.ts
 * │   ├── HostKeyError                   the host key cannot be trusted                                       infrastructure/hosts/host-errors.ts
 * │   │   ├── UnknownHostKeyError        not in known_hosts, and nobody accepted it                           infrastructure/hosts/host-errors.ts
 * │   │   ├── ChangedHostKeyError        known_hosts has another key: maybe an attack                         infrastructure/hosts/host-errors.ts
 * │   │   └── RevokedHostKeyError        known_hosts marks it @revoked                                        infrastructure/hosts/host-errors.ts
 * │   ├── HostAuthError                  logging in failed                                                    infrastructure/hosts/host-errors.ts
 * │   │   └── SecretNeededError          a passphrase/password is needed and nothing may ask for it           infrastructure/hosts/host-errors.ts
 * │   ├── SecretPromptUnavailableError   no terminal to ask on (the CLI)                                      infrastructure/hosts/host-errors.ts
 * │   ├── SshConfigError                 ~/.ssh/config asks for what cannot be done                           infrastructure/hosts/host-errors.ts
 * │   ├── HostAccessRefusedError         Restricted Mode: nothing may connect or start a process              infrastructure/hosts/host-errors.ts
 * │   ├── QemuInstallError               a private QEMU cannot be installed there                             infrastructure/qemu/install/errors.ts
 * │   └── LibvirtError                   libvirt refused (virsh failed), or a plan part has no domain XML     infrastructure/libvirt/libvirt-errors.ts
 * ├── StateTrustError                    a state dir or record is not the user's own, or breaks its schema    infrastructure/files/private-state.ts
 * ├── UnsafePathError                    a name from data would leave its folder                              infrastructure/files/safe-name.ts
 * ├── GuestBuildError                    the built-in lab guest could not be built                            errors.ts
 * ├── VmError                            a VM cannot be booted, found, or controlled                          errors.ts
 * │   ├── VmTimeoutError                 a VM did not reach a state in time                                   errors.ts
 * │   ├── DiskImageError                 a disk image is missing, corrupt, of another format, locked; qemu-img  machines/disk-guest/errors.ts
 * │   └── SnapshotError                  a whole-VM snapshot cannot be saved, loaded, deleted, listed         snapshots/errors.ts
 * │       ├── SnapshotNotFoundError      no snapshot of that name: lists the ones there are                   snapshots/errors.ts
 * │       ├── SnapshotExistsError        that name is taken; saving never replaces a snapshot                 snapshots/errors.ts
 * │       ├── SnapshotDiskFormatError    a writable disk is raw, not qcow2: says why, how to convert          snapshots/errors.ts
 * │       ├── SnapshotBusyError          refused while the VM migrates or is in a COLO pair                   snapshots/errors.ts
 * │       ├── SnapshotJobError           QEMU's snapshot job failed: its own words                            snapshots/errors.ts
 * │       └── SnapshotUnsupportedError   libvirt host, QEMU before 6.0, or no disk for the memory             snapshots/errors.ts
 * ├── BenchmarkError                     a benchmark failed or its output is unreadable                       measuring/workloads/errors.ts
 * ├── ResultStoreError                   a store (results.jsonl, migrations.jsonl) cannot be read or written  measuring/results/errors.ts
 * ├── MigrationError                     a migration failed; it says what was rolled back                     migration/errors.ts
 * │   └── MigrationCancelledError        cancelled and rolled back                                            migration/errors.ts
 * ├── DuringBenchmarkError               a --during benchmark failed                                          migration/errors.ts
 * ├── ColoError                          COLO set-up, failover or checkpoints                                 colo/errors.ts
 * │   ├── ColoCheckpointHungError        the primary's QMP stopped answering: a checkpoint hung               colo/errors.ts
 * │   ├── ColoNotReplicatingError        the primary finished migrating but never entered COLO                colo/errors.ts
 * │   └── ColoUpFailedError              colo up failed; says what it left running                            colo/errors.ts
 * └── QmpError                           the QMP client                                                       infrastructure/qmp/errors.ts
 *     ├── QmpConnectError                the socket cannot be opened, or failed                               infrastructure/qmp/errors.ts
 *     ├── QmpNegotiationError            no QMP greeting, or qmp_capabilities refused                         infrastructure/qmp/errors.ts
 *     ├── QmpStateError                  a call in a run state that does not allow it                         infrastructure/qmp/errors.ts
 *     ├── QmpExecuteError                QEMU answered the command with an error                              infrastructure/qmp/errors.ts
 *     ├── QmpTimeoutError                no reply or event in time (the connection stays)                     infrastructure/qmp/errors.ts
 *     ├── QmpInterruptedError            the connection ended (or the call was aborted) first                 infrastructure/qmp/errors.ts
 *     └── QmpProtocolError               the peer does not speak QMP as QEMU does                             infrastructure/qmp/errors.ts
 *         ├── QmpDeserializationError    a line is not UTF-8 JSON                                             infrastructure/qmp/errors.ts
 *         ├── QmpUnexpectedMessageError  JSON of a shape QMP does not send there                              infrastructure/qmp/errors.ts
 *         └── QmpOversizedMessageError   a line over the client's limit                                       infrastructure/qmp/errors.ts
 *
 * SyntaxError                            (JavaScript's; not shown to a user as is)
 * └── JsonNumberRangeError               a JSON number beyond the double range; a store skips its line        infrastructure/support/finite-json.ts
 * ```
 */
export class QemuLabError extends Error {
  /** What the user can do about it, as one sentence. */
  readonly hint: string | undefined;

  constructor(message: string, options?: { hint?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options?.hint;
  }

  /** The message and the hint, as shown to a person. */
  describe(): string {
    return this.hint === undefined ? this.message : `${this.message}\n  ${this.hint}`;
  }
}

/** The lab file cannot be read, parsed, or fails validation. */
export class LabFileError extends QemuLabError {}

/** A host cannot do what was asked of it. */
export class HostError extends QemuLabError {}

/** A program run on a host failed; keeps what a person needs to see why. */
export class CommandFailedError extends HostError {
  constructor(
    readonly program: string,
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly signal: string | null,
    readonly stderr: string,
    options?: { hint?: string },
  ) {
    const how = exitCode !== null ? `exited with code ${exitCode}` : `was killed by ${signal ?? 'a signal'}`;
    const tail = stderr.trim().split('\n').slice(-5).join('\n');
    super(`${program} ${how}${tail ? `:\n${tail}` : ''}`, options);
  }
}

/** A VM's bridge network cannot be set up on its host (bridge missing, no CAP_NET_ADMIN, …). */
export class NetworkError extends HostError {}

/** The built-in lab guest could not be built. */
export class GuestBuildError extends QemuLabError {}

/** A VM cannot be booted, found, or controlled. */
export class VmError extends QemuLabError {}

/** A VM did not reach the expected state in time. */
export class VmTimeoutError extends VmError {}

/** Turns anything thrown into text for a person, keeping the hint of our own errors. */
export function describeError(error: unknown): string {
  if (error instanceof QemuLabError) return error.describe();
  if (error instanceof Error) return error.message;
  return String(error);
}
