/**
 * The `networks:` section: Linux bridges VMs can be attached to, besides QEMU's user-mode network.
 */
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
  reader.oneOf('kind', NETWORK_KINDS, 'network kind');
  const bridge = reader.requiredString(
    'bridge',
    'the name of a Linux bridge, like br0',
    'a bridge network needs the host\'s bridge: add "bridge: br0"',
    span,
  );
  if (name === USER_NETWORK) {
    diagnostics.error('reserved-name', span, `"${USER_NETWORK}" means QEMU's user-mode network; give the bridge network another name`);
    return undefined;
  }
  if (bridge === undefined) return undefined;
  if (!BRIDGE_PATTERN.test(bridge.value)) {
    diagnostics.error(
      'invalid-bridge',
      bridge.span,
      `${owner}: ${quote(bridge.value)} is not a Linux interface name (up to 15 letters, digits, ".", "_" or "-")`,
    );
    return undefined;
  }
  return { name, kind: NETWORK_DEFAULTS.kind, bridge: bridge.value, span };
}
