/**
 * How the source's libvirtd reaches the destination in a migration between two libvirt hosts,
 * and the domain XML the destination gets. Pure.
 *
 * The migration is peer-to-peer (`virsh migrate --p2p`): virsh runs on the source's machine (as
 * every virsh call of a libvirt host does) and the source's libvirtd connects to the destination's
 * libvirtd itself, with the destination host's URI from the lab file — a `qemu+ssh://` URI, so the
 * source host's own SSH set-up (root's key and known_hosts there) logs it in, as for any libvirt
 * migration between hypervisors. The guest's memory goes straight from QEMU to QEMU over TCP, to the
 * address in that URI (or `--address`): libvirt would otherwise use the destination's host name,
 * which names another machine from inside a lab of namespaces or behind NAT.
 */
import { xmlText } from '../../infrastructure/libvirt/xml-text';
import { readLibvirtUri } from '../../infrastructure/libvirt/libvirt-uri';
import { hostAddressProblem } from '../../infrastructure/hosts/host-address';

/** Where the source's libvirtd sends the domain, or why it cannot. */
export type LibvirtPeer =
  | { readonly ok: true; readonly peerUri: string; readonly migrateUri: string }
  | { readonly ok: false; readonly problem: string; readonly hint: string };

/** `tcp://ADDRESS` (IPv6 in brackets): QEMU's stream, on a port the destination's libvirtd picks. */
export function tcpMigrateUri(address: string): string {
  return address.includes(':') ? `tcp://[${address}]` : `tcp://${address}`;
}

/**
 * The destination's URI as the source's libvirtd uses it, and the address QEMU's stream goes to.
 *
 * @param source the source host's name and `uri:` in the lab file.
 * @param destination the destination host's.
 * @param address `--address`: the destination's address as the source reaches it.
 */
export function libvirtPeer(source: { readonly name: string; readonly uri: string }, destination: { readonly name: string; readonly uri: string }, address: string | undefined): LibvirtPeer {
  const from = readLibvirtUri(source.uri);
  const to = readLibvirtUri(destination.uri);
  if (!from.ok || !to.ok) return { ok: false, problem: `the lab file's uri of host "${from.ok ? destination.name : source.name}" is not valid`, hint: 'Fix it (qemu-lab check says why).' };
  if (source.uri.startsWith('test:') || destination.uri.startsWith('test:')) {
    return { ok: false, problem: "libvirt's test driver (test:///default) does not migrate", hint: 'Migrate between two hosts with a real libvirtd.' };
  }
  if (address !== undefined) {
    const problem = hostAddressProblem(address);
    if (problem !== undefined) return { ok: false, problem: `the address "${address}" is not a host name or IP address: ${problem}`, hint: 'Give the destination\'s address as the source reaches it with --address.' };
  }
  if (to.place.kind === 'ssh') {
    return { ok: true, peerUri: destination.uri, migrateUri: tcpMigrateUri(address ?? to.place.address) };
  }
  if (from.place.kind === 'local') {
    // Both daemons run on this machine.
    return { ok: true, peerUri: to.place.uri, migrateUri: tcpMigrateUri(address ?? '127.0.0.1') };
  }
  return {
    ok: false,
    problem: `host "${destination.name}" is this machine's libvirtd (${destination.uri}), which the libvirtd of host "${source.name}" cannot reach by that URI`,
    hint: `Write host "${destination.name}" as qemu+ssh://user@address/system, the way "${source.name}" reaches it.`,
  };
}

/** What changes in a domain's XML on its way to the destination. */
export interface DestinationXmlChanges {
  /** Exact paths of the source's machine (its run directory, the guest's kernel and initrd) and what they are on the destination's. */
  readonly paths: readonly { readonly from: string; readonly to: string }[];
  /** The destination's metadata element (see `metadataXml`), lines. */
  readonly metadata: readonly string[];
}

/**
 * The destination's domain XML (`virsh migrate --xml`) from the source's migratable XML
 * (`dumpxml --migratable`): the paths of the source's machine and the metadata replaced;
 * everything that makes the guest's hardware (addresses, MACs, models) kept as it is, since
 * libvirt checks that the destination's ABI is the source's. The name stays the source's: libvirt
 * refuses an XML whose name differs, and renames with `--dname` (lab domains are named after
 * their host).
 *
 * @throws Error when the XML has no metadata element, or a source path is left.
 */
export function destinationDomainXml(xml: string, changes: DestinationXmlChanges): string {
  let out = xml;
  const metadata = /^[ \t]*<metadata>[\s\S]*?<\/metadata>[ \t]*$/m;
  if (!metadata.test(out)) throw new Error('The domain XML has no QEMU Lab metadata.');
  out = out.replace(metadata, () => changes.metadata.join('\n'));
  // Longest first: a run directory's file paths are inside the run directory's.
  const paths = [...changes.paths].filter((p) => p.from !== p.to).sort((a, b) => b.from.length - a.from.length);
  for (const { from, to } of paths) out = out.replaceAll(xmlText(from, 'path'), xmlText(to, 'path'));
  for (const { from } of paths) {
    if (out.includes(xmlText(from, 'path'))) throw new Error(`The domain XML still names ${from} of the source's machine.`);
  }
  return out;
}
