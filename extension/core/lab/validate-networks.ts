/**
 * The `networks:` section: bridges VMs can be attached to, besides QEMU's user-mode network —
 * a bridge the user made on the host, or an isolated one the tool makes in a namespace it owns.
 */
import { checkCidr } from './addresses';
import type { DiagnosticCollector } from './diagnostic';
import { MapReader } from './fields';
import type { NetworkSpec } from './model';
import { buildEntries, type NamedEntry } from './section';
import { BRIDGE_PATTERN, NETWORK_DEFAULTS, NETWORK_KEYS, NETWORK_KINDS, USER_NETWORK } from './vocabulary';
import { quote } from './wording';

/** Builds the networks of a lab file; entries too broken to build are left out (and reported). */
export function readNetworks(entries: readonly NamedEntry[], diagnostics: DiagnosticCollector): Map<string, NetworkSpec> {
  return buildEntries(entries, (entry) => readNetwork(entry, diagnostics));
}

function readNetwork({ name, span, body }: NamedEntry, diagnostics: DiagnosticCollector): NetworkSpec | undefined {
  const owner = `network ${quote(name)}`;
  const reader = new MapReader(body, owner, NETWORK_KEYS, diagnostics);
  const kind = reader.oneOf('kind', NETWORK_KINDS, 'network kind')?.value ?? NETWORK_DEFAULTS.kind;
  if (name === USER_NETWORK) {
    diagnostics.error('reserved-name', span, `"${USER_NETWORK}" means QEMU's user-mode network; give the bridge network another name`);
    return undefined;
  }
  return kind === 'isolated' ? readIsolated(reader, name, span) : readBridge(reader, name, span);
}

function readBridge(reader: MapReader, name: string, span: NamedEntry['span']): NetworkSpec | undefined {
  const bridge = reader.requiredString(
    'bridge',
    'the name of a Linux bridge, like br0',
    'a bridge network needs the host\'s bridge: add "bridge: br0" (or "kind: isolated" for a private one the tool makes)',
    span,
  );
  const address = reader.string('address');
  if (address !== undefined) {
    reader.diagnostics.warning(
      'ignored-key',
      reader.keySpan('address') ?? address.span,
      `${reader.owner}: address is for isolated networks; the host's own bridge keeps the address it has`,
    );
  }
  if (bridge === undefined) return undefined;
  if (!BRIDGE_PATTERN.test(bridge.value)) {
    reader.diagnostics.error(
      'invalid-bridge',
      bridge.span,
      `${reader.owner}: ${quote(bridge.value)} is not a Linux interface name (up to 15 letters, digits, ".", "_" or "-")`,
    );
    return undefined;
  }
  return { name, kind: 'bridge', bridge: bridge.value, span };
}

function readIsolated(reader: MapReader, name: string, span: NamedEntry['span']): NetworkSpec | undefined {
  const bridge = reader.string('bridge');
  if (bridge !== undefined) {
    reader.diagnostics.warning(
      'ignored-key',
      reader.keySpan('bridge') ?? bridge.span,
      `${reader.owner}: an isolated network's bridge lives in the tool's own namespace; remove bridge`,
    );
  }
  const address = reader.string('address', 'the host side\'s address with prefix, like 10.77.0.1/24');
  if (address === undefined) return { name, kind: 'isolated', address: NETWORK_DEFAULTS.isolatedAddress, span };
  const check = checkCidr(address.value);
  if (!check.ok) {
    reader.diagnostics.error('bad-address', address.span, `${reader.owner}: address ${check.message}`, check.suggestion);
    return undefined;
  }
  return { name, kind: 'isolated', address: address.value, span };
}
