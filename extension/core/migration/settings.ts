/**
 * The tuning of one migration (capabilities and parameters), from the lab file's `migrations:`
 * entry or the CLI, and the QMP arguments that apply it.
 */
import type { MigrationCapability, MigrationSpec } from '../lab/model';
import { isQmpObject, type QmpValue } from '../infrastructure/qmp/messages';

/** What a migration is asked to use. Undefined parameters keep QEMU's defaults. */
export interface MigrationSettings {
  readonly capabilities: readonly MigrationCapability[];
  /** `max-bandwidth`, bytes per second (QEMU 7.2's default is 128 MiB/s). */
  readonly maxBandwidthBytesPerSecond?: number;
  /** `downtime-limit`, milliseconds (default 300). */
  readonly downtimeLimitMs?: number;
  /** `xbzrle-cache-size`, bytes, with xbzrle (default 64 MiB; it must hold the guest's hot pages to help). */
  readonly xbzrleCacheBytes?: number;
  /** `multifd-channels`, with multifd (default 2). */
  readonly multifdChannels?: number;
}

/** The settings a lab file's `migrations:` entry asks for. */
export function settingsFromSpec(spec: MigrationSpec): MigrationSettings {
  return {
    capabilities: spec.capabilities,
    ...(spec.maxBandwidthBytesPerSecond === undefined ? {} : { maxBandwidthBytesPerSecond: spec.maxBandwidthBytesPerSecond }),
    ...(spec.downtimeLimitMs === undefined ? {} : { downtimeLimitMs: spec.downtimeLimitMs }),
  };
}

/** The parameters this tool may set, by QEMU name. */
export const MANAGED_PARAMETERS: readonly string[] = ['max-bandwidth', 'downtime-limit', 'xbzrle-cache-size', 'multifd-channels'];

/**
 * `migrate-set-parameters` arguments for the source (only what was asked), or undefined when
 * nothing was. xbzrle's cache and multifd's channels are set only with their capability.
 */
export function sourceParameterArguments(settings: MigrationSettings): Record<string, QmpValue> | undefined {
  const args: Record<string, QmpValue> = {};
  if (settings.maxBandwidthBytesPerSecond !== undefined) args['max-bandwidth'] = settings.maxBandwidthBytesPerSecond;
  if (settings.downtimeLimitMs !== undefined) args['downtime-limit'] = settings.downtimeLimitMs;
  if (settings.xbzrleCacheBytes !== undefined && settings.capabilities.includes('xbzrle')) args['xbzrle-cache-size'] = settings.xbzrleCacheBytes;
  if (settings.multifdChannels !== undefined && settings.capabilities.includes('multifd')) args['multifd-channels'] = settings.multifdChannels;
  return Object.keys(args).length === 0 ? undefined : args;
}

/** The destination's `migrate-set-parameters` arguments: multifd's channel count must match. */
export function destinationParameterArguments(settings: MigrationSettings): Record<string, QmpValue> | undefined {
  if (settings.multifdChannels === undefined || !settings.capabilities.includes('multifd')) return undefined;
  return { 'multifd-channels': settings.multifdChannels };
}

/** The managed parameters of a `query-migrate-parameters` reply, to put back after a rollback. */
export function managedParameters(reply: QmpValue): Record<string, QmpValue> {
  const kept: Record<string, QmpValue> = {};
  if (!isQmpObject(reply)) return kept;
  for (const name of MANAGED_PARAMETERS) {
    const value = reply[name];
    if (typeof value === 'number') kept[name] = value;
  }
  return kept;
}

/** The settings in effect, as the source's `query-migrate-parameters` says after they were set. */
export interface SettingsInEffect {
  readonly capabilities: readonly MigrationCapability[];
  readonly maxBandwidthBytesPerSecond: number | undefined;
  readonly downtimeLimitMs: number | undefined;
  /** Only with xbzrle. */
  readonly xbzrleCacheBytes: number | undefined;
  /** Only with multifd. */
  readonly multifdChannels: number | undefined;
}

/** Reads the settings in effect from `query-migrate-parameters`, for the summary. */
export function settingsInEffect(asked: MigrationSettings, parametersReply: QmpValue): SettingsInEffect {
  const p = isQmpObject(parametersReply) ? parametersReply : {};
  const number = (name: string): number | undefined => (typeof p[name] === 'number' ? (p[name] as number) : undefined);
  return {
    capabilities: asked.capabilities,
    maxBandwidthBytesPerSecond: number('max-bandwidth'),
    downtimeLimitMs: number('downtime-limit'),
    xbzrleCacheBytes: asked.capabilities.includes('xbzrle') ? number('xbzrle-cache-size') : undefined,
    multifdChannels: asked.capabilities.includes('multifd') ? number('multifd-channels') : undefined,
  };
}
