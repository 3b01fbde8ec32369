/**
 * How a lab host's machine is reached, whatever its kind: this machine, or over SSH. A libvirt
 * host is reached where its URI points (`qemu:///system` here, `qemu+ssh://user@host/system`
 * over the lab's own SSH connection to that host). Pure.
 */
import { HostError } from '../../errors';
import type { HostSpec } from '../../lab/model';
import { readLibvirtUri } from '../libvirt/libvirt-uri';
import type { SshHostSpec } from './transports/ssh-config';

/** The libvirt URI virsh gets on the machine a host is reached at; undefined unless it is a libvirt host. */
export function libvirtUriOf(spec: HostSpec | undefined): string | undefined {
  if (spec?.kind !== 'libvirt') return undefined;
  const reading = readLibvirtUri(spec.uri);
  return reading.ok ? reading.place.uri : undefined;
}

/** `'local'` for this machine, else the SSH host to connect to. */
export function hostReach(spec: HostSpec): SshHostSpec | 'local' {
  switch (spec.kind) {
    case 'local':
      return 'local';
    case 'ssh':
      return { address: spec.address, user: spec.user, port: spec.port, identity: spec.identity };
    case 'libvirt': {
      const reading = readLibvirtUri(spec.uri);
      // The validator refused a bad URI already; a model built another way gets the same words.
      if (!reading.ok) throw new HostError(`Host "${spec.name}": uri "${spec.uri}" is not a libvirt URI QEMU Lab accepts: ${reading.problem}.`, { hint: 'Fix uri: in the lab file.' });
      const { place } = reading;
      return place.kind === 'local' ? 'local' : { address: place.address, user: place.user, port: place.port };
    }
  }
}

/** Whether a host is this machine (a local host, or a libvirt host with a local URI). */
export function isThisMachine(spec: HostSpec | undefined): boolean {
  return spec === undefined || hostReach(spec) === 'local';
}
