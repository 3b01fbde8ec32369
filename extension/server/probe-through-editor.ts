import type { Connection } from 'vscode-languageserver';
import type { HostCapabilities } from '../core/infrastructure/hosts/probes/capabilities';
import { isJsonObject } from '../core/infrastructure/support/json-object';
import { PROBE_HOST_METHOD, type ProbeHostParams } from './protocol';

/**
 * Asks the editor for a host's capabilities: the editor probes each host once per session (its
 * tree shows the same probe), so the server starts no QEMU of its own.
 *
 * @throws Error with the editor's reason when it has none (Restricted Mode, QEMU missing, …).
 */
export async function probeThroughEditor(connection: Pick<Connection, 'sendRequest'>, host: string): Promise<HostCapabilities> {
  const params: ProbeHostParams = { host };
  const result: unknown = await connection.sendRequest(PROBE_HOST_METHOD, params);
  if (isJsonObject(result) && typeof result.error === 'string') throw new Error(result.error);
  const capabilities = isJsonObject(result) ? result.capabilities : undefined;
  if (!looksLikeCapabilities(capabilities)) throw new Error(`The editor answered ${PROBE_HOST_METHOD} for "${host}" with something that is not a host's capabilities.`);
  return capabilities;
}

/** The checks the server's providers rely on; the rest is the editor's own probe, passed through. */
function looksLikeCapabilities(value: unknown): value is HostCapabilities {
  if (!isJsonObject(value)) return false;
  const { qemu, machines, nicModels, kvm } = value;
  return isJsonObject(qemu) && isJsonObject(qemu.version) && Array.isArray(machines) && Array.isArray(nicModels) && isJsonObject(kvm) && isJsonObject(kvm.status);
}
