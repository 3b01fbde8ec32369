/**
 * What a running QEMU can do, from what it says about itself over QMP (`query-version`,
 * `query-migrate-capabilities`, `query-qmp-schema`, `query-machines`) rather than from a version
 * table: a typed set the features that differ between 7.2 and 11.x ask. Pure: the replies are
 * fetched elsewhere (and captured for the tests under test/fixtures/qemu/).
 */
import { isQmpObject, type QmpValue } from '../qmp/messages';

/** `query-version`: QEMU's version and its package string (e.g. `Debian 1:11.1.3+ds-2~bpo13+1`). */
export interface QmpQemuVersion {
  readonly major: number;
  readonly minor: number;
  readonly micro: number;
  readonly package: string;
}

/** The typed capability set of one QEMU. */
export interface QemuCapabilities {
  readonly version: QmpQemuVersion;
  /** Every name `query-migrate-capabilities` lists. */
  readonly migrationCapabilities: ReadonlySet<string>;
  readonly colo: {
    /**
     * QEMU lists `x-colo`. Whether it also wants `return-path` beside it (11.1 does, 7.2 does
     * not) is asked of QEMU itself when COLO starts (core/colo/capabilities.ts), not guessed from
     * the version here: the first release with that check is not known.
     */
    readonly available: boolean;
  };
  /** The reconnect option of a socket chardev: `reconnect` (seconds, gone in 10.0) or `reconnect-ms` (9.2 on); from the schema when given. */
  readonly chardevReconnect: 'reconnect' | 'reconnect-ms';
  readonly multifd: boolean;
  readonly postcopy: boolean;
  /** Machine types, when `query-machines` was asked: names, and what the `pc`/`q35` aliases stand for. */
  readonly machines?: { readonly names: ReadonlySet<string>; readonly aliases: ReadonlyMap<string, string> };
}

/** The raw replies {@link qemuCapabilities} reads (`return` values of each command). */
export interface CapabilityReplies {
  readonly queryVersion: QmpValue;
  readonly queryMigrateCapabilities: QmpValue;
  readonly queryQmpSchema?: QmpValue;
  readonly queryMachines?: QmpValue;
}

/** `query-version`'s reply, or undefined when it is not one. */
export function parseQueryVersion(reply: QmpValue): QmpQemuVersion | undefined {
  if (!isQmpObject(reply) || !isQmpObject(reply.qemu)) return undefined;
  const { major, minor, micro } = reply.qemu;
  if (![major, minor, micro].every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0)) return undefined;
  return { major: major as number, minor: minor as number, micro: micro as number, package: typeof reply.package === 'string' ? reply.package : '' };
}

/** `11.1.3`. */
export function formatQmpVersion(version: QmpQemuVersion): string {
  return `${version.major}.${version.minor}.${version.micro}`;
}

function objects(reply: QmpValue | undefined): Extract<QmpValue, { readonly [key: string]: QmpValue }>[] {
  return Array.isArray(reply) ? (reply as readonly QmpValue[]).filter(isQmpObject) : [];
}

/**
 * The reconnect member of the socket chardev's schema object (the one with `addr`, `server` and a
 * reconnect member; the schema hides type names behind numbers), or undefined when the schema
 * does not say.
 */
export function chardevReconnectFromSchema(schema: QmpValue): 'reconnect' | 'reconnect-ms' | undefined {
  let found: 'reconnect' | 'reconnect-ms' | undefined;
  for (const entry of objects(schema)) {
    if (entry['meta-type'] !== 'object') continue;
    const members = new Set(objects(entry.members).map((m) => m.name).filter((n): n is string => typeof n === 'string'));
    if (!members.has('addr') || !members.has('server')) continue;
    if (members.has('reconnect-ms')) return 'reconnect-ms';
    if (members.has('reconnect')) found = 'reconnect';
  }
  return found;
}

/** The machine types in a `query-machines` reply, and the aliases (`pc` → `pc-i440fx-11.1`). */
export function machinesFrom(reply: QmpValue): { names: Set<string>; aliases: Map<string, string> } {
  const names = new Set<string>();
  const aliases = new Map<string, string>();
  for (const m of objects(reply)) {
    if (typeof m.name !== 'string') continue;
    names.add(m.name);
    if (typeof m.alias === 'string') aliases.set(m.alias, m.name);
  }
  return { names, aliases };
}

/**
 * The socket chardev's reconnect option by version alone, when no schema was asked: `reconnect`
 * (seconds) before 9.2, which has no `reconnect-ms`; `reconnect-ms` from 10.0, where `reconnect`
 * is deprecated (and later gone: 11.1's schema has only `reconnect-ms`).
 */
export function chardevReconnectForVersion(version: { readonly major: number; readonly minor: number }): 'reconnect' | 'reconnect-ms' {
  return version.major >= 10 ? 'reconnect-ms' : 'reconnect';
}

/** The capability set of a QEMU from its replies; undefined when `query-version`'s reply is not one. */
export function qemuCapabilities(replies: CapabilityReplies): QemuCapabilities | undefined {
  const version = parseQueryVersion(replies.queryVersion);
  if (version === undefined) return undefined;
  const names = new Set(objects(replies.queryMigrateCapabilities).map((c) => c.capability).filter((n): n is string => typeof n === 'string'));
  const fromSchema = replies.queryQmpSchema === undefined ? undefined : chardevReconnectFromSchema(replies.queryQmpSchema);
  return {
    version,
    migrationCapabilities: names,
    colo: { available: names.has('x-colo') },
    chardevReconnect: fromSchema ?? chardevReconnectForVersion(version),
    multifd: names.has('multifd'),
    postcopy: names.has('postcopy-ram'),
    ...(replies.queryMachines === undefined ? {} : { machines: machinesFrom(replies.queryMachines) }),
  };
}
