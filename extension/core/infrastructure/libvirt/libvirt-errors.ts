import { HostError } from '../../errors';

/** libvirt refused what was asked (virsh exited non-zero), or cannot express it (a plan part with no domain XML). */
export class LibvirtError extends HostError {}
