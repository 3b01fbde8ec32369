/**
 * The libvirt URIs a lab host may name, and where each is reached from. Pure.
 *
 * - `qemu:///system`, `qemu:///session`, `qemu+unix:///system?socket=/path`: a libvirtd on this
 *   machine; `virsh -c URI` runs here.
 * - `qemu+ssh://[user@]host[:port]/system[?socket=/path]`: a libvirtd on another machine. The lab
 *   reaches that machine over its own SSH connection (the same pooled one an SSH host gets, with
 *   the lab's host-key rules and `~/.ssh/config`) and runs `virsh -c qemu:///system` *there*, so
 *   virsh never opens an SSH connection of its own whose host key nobody checked.
 * - `test:///default`: libvirt's in-memory test driver (for trying the tree without a daemon).
 *
 * Everything else is refused: `qemu+tcp` (no authentication), `qemu+tls`, `qemu+libssh2` and
 * query parameters that change how libvirt connects (`no_verify`, `command`, `netcat`, `keyfile`,
 * `known_hosts`, …) — they would bypass the lab's SSH rules.
 */
import { hostAddressProblem, userNameProblem } from '../hosts/host-address';

/** Where `virsh` runs for a libvirt host, and the URI it is given there. */
export type LibvirtPlace =
  /** On this machine. */
  | { readonly kind: 'local'; readonly uri: string }
  /** On another machine reached over the lab's SSH, with a URI local to it. */
  | { readonly kind: 'ssh'; readonly address: string; readonly user: string | undefined; readonly port: number | undefined; readonly uri: string };

const SCHEMES = ['qemu', 'qemu+unix', 'qemu+ssh', 'test'] as const;
const QEMU_PATHS = ['/system', '/session'];
/** The longest URI accepted (a socket path fits easily). */
const MAX_URI_LENGTH = 1024;

/** A libvirt URI, read; or why it is not one the lab accepts. */
export type LibvirtUriReading = { readonly ok: true; readonly place: LibvirtPlace } | { readonly ok: false; readonly problem: string };

function socketQuery(query: string): { socket: string | undefined } | { problem: string } {
  if (query === '') return { socket: undefined };
  const params = new URLSearchParams(query);
  const keys = [...params.keys()];
  const other = keys.find((key) => key !== 'socket');
  if (other !== undefined) {
    return { problem: `the parameter "${other}" is not accepted (only "socket=" is: others change how libvirt connects, around the lab's SSH and host-key rules)` };
  }
  if (params.getAll('socket').length > 1) return { problem: 'it gives "socket=" twice' };
  const socket = params.get('socket') ?? '';
  if (!socket.startsWith('/')) return { problem: 'its "socket=" is not an absolute path' };
  return { socket };
}

/**
 * Reads a libvirt URI from a lab file (see the file comment for what is accepted and why).
 * A socket path is kept as given; nothing here touches the filesystem.
 */
export function readLibvirtUri(uri: string): LibvirtUriReading {
  const fail = (problem: string): LibvirtUriReading => ({ ok: false, problem });
  if (uri.length > MAX_URI_LENGTH) return fail(`it is longer than ${MAX_URI_LENGTH} characters`);
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\s\u0000-\u001f\u007f]/.test(uri)) return fail('it contains whitespace or a control character');
  const match = /^([a-z0-9+]+):\/\/([^/?#]*)(\/[^?#]*)?(?:\?([^#]*))?$/.exec(uri);
  if (match === null) return fail('it is not of the form scheme://[user@host]/path, e.g. qemu:///system or qemu+ssh://root@host/system');
  const [, scheme = '', authority = '', path = '', query = ''] = match;
  if (!(SCHEMES as readonly string[]).includes(scheme)) {
    return fail(`the scheme "${scheme}" is not one of ${SCHEMES.join(', ')} (qemu+tcp has no authentication; reach remote hosts with qemu+ssh)`);
  }
  if (scheme === 'test') {
    if (authority !== '' || query !== '' || path !== '/default') return fail('the test driver is written test:///default');
    return { ok: true, place: { kind: 'local', uri } };
  }
  if (!QEMU_PATHS.includes(path)) return fail(`its path "${path}" is not /system or /session`);
  const read = socketQuery(query);
  if ('problem' in read) return fail(read.problem);
  // The query as written: only socket= passed the check, and re-encoding could change the path.
  const localUri = read.socket === undefined ? `qemu://${path}` : `qemu+unix://${path}?${query}`;
  if (scheme !== 'qemu+ssh') {
    if (authority !== '') return fail(`a ${scheme} URI names no host (write qemu+ssh://host/system for another machine)`);
    if (scheme === 'qemu' && read.socket !== undefined) return fail('"socket=" goes with qemu+unix:// (or qemu+ssh://)');
    return { ok: true, place: { kind: 'local', uri: localUri } };
  }
  const at = authority.lastIndexOf('@');
  const user = at < 0 ? undefined : decodeURIComponent(authority.slice(0, at));
  const hostPort = at < 0 ? authority : authority.slice(at + 1);
  const portMatch = /^(\[[^\]]+\]|[^:]*)(?::(\d{1,5}))?$/.exec(hostPort);
  const address = (portMatch?.[1] ?? '').replace(/^\[(.*)\]$/, '$1');
  const port = portMatch?.[2] === undefined ? undefined : Number(portMatch[2]);
  if (address === '') return fail('a qemu+ssh URI needs a host: qemu+ssh://[user@]host/system');
  const addressProblem = hostAddressProblem(address);
  if (addressProblem !== undefined) return fail(`its host "${address}" is not a host name, an IP address or an ~/.ssh/config alias: ${addressProblem}`);
  const userProblem = user === undefined ? undefined : userNameProblem(user);
  if (userProblem !== undefined) return fail(`its user "${user ?? ''}" is not a user name: ${userProblem}`);
  if (port !== undefined && (port < 1 || port > 65535)) return fail(`its port ${port} is not between 1 and 65535`);
  return { ok: true, place: { kind: 'ssh', address, user, port, uri: localUri } };
}
