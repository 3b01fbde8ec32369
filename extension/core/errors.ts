/**
 * The one error tree of QEMU Lab. Every error a user can see is a {@link QemuLabError}: its
 * `message` says what went wrong and its `hint` says what to do about it.
 *
 * ```
 * QemuLabError
 * ├── LabFileError            the lab file cannot be read or is invalid
 * ├── HostError               a host cannot do what was asked (QEMU missing, KVM unusable, …)
 * │   ├── CommandFailedError  a program on a host exited non-zero
 * │   └── NetworkError        a bridge, TAP or network namespace cannot be set up
 * ├── GuestBuildError         the built-in lab guest could not be built
 * ├── VmError                 a VM cannot be booted, found, or controlled
 * │   └── VmTimeoutError      a VM did not reach a state in time
 * └── QmpError                (extension/core/qmp/errors.ts) QMP connect/negotiate/execute/…
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
