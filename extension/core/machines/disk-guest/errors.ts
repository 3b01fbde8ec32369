import { VmError } from '../../errors';

/**
 * A VM's disk image cannot be used: missing, corrupt, not in the format its name says, locked by
 * another QEMU, or a `disk:` size it cannot take. Says which file and what to do; the base image
 * is never touched to find out.
 */
export class DiskImageError extends VmError {}
