import { HostError } from '../../../errors';

/** A private QEMU could not be installed on a host (no mmdebstrap, not Debian, mirror unreachable, version not offered). */
export class QemuInstallError extends HostError {}
