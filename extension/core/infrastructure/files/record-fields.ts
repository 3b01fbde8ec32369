/**
 * Checks of the fields of a state record (`vm.json`, a COLO pair record), read back from a
 * state directory or fetched from a remote host: the schema those records are held to. Each
 * check returns the value with its type, or throws a {@link StateTrustError} naming the record,
 * the field and what is wrong, so a record someone edited is refused rather than acted on.
 */
import { isIP } from 'node:net';
import { dirname, isAbsolute } from 'node:path';
import { hostAddressProblem, userNameProblem } from '../hosts/host-address';
import { NAME_MAX_LENGTH, NAME_PATTERN } from '../../lab/vocabulary';
import { StateTrustError } from './private-state';
import { isJsonObject } from '../support/json-object';

/** A JSON object, its fields read one by one with the record's name for messages. */
export class RecordFields {
  constructor(
    private readonly value: Readonly<Record<string, unknown>>,
    /** Where the record is, for messages (a path, with the host when remote). */
    readonly where: string,
    /** The field path of `value` inside the record (`ssh`, `files`), empty at the top. */
    private readonly prefix = '',
  ) {}

  /** The fields of a parsed JSON value, or undefined when it is not an object. */
  static of(value: unknown, where: string): RecordFields | undefined {
    return isJsonObject(value) ? new RecordFields(value, where) : undefined;
  }

  /** Throws the refusal for `key`. */
  fail(key: string, problem: string): never {
    throw new StateTrustError(`The state record ${this.where} is not valid: ${this.prefix}${key} ${problem}.`, {
      hint: 'QEMU Lab never writes that: someone or something changed the record. Look at it, then remove it (a QEMU still running from it must be ended by hand; its pid is in qemu.pid beside it).',
    });
  }

  /** The keys of the object. */
  keys(): string[] {
    return Object.keys(this.value);
  }

  has(key: string): boolean {
    return this.value[key] !== undefined;
  }

  /** The fields of the object at `key`. */
  object(key: string): RecordFields {
    const value = this.value[key];
    if (!isJsonObject(value)) this.fail(key, 'is not an object');
    return new RecordFields(value, this.where, `${this.prefix}${key}.`);
  }

  string(key: string): string {
    const value = this.value[key];
    if (typeof value !== 'string') this.fail(key, 'is not text');
    if (/[\0\n\r]/.test(value)) this.fail(key, 'holds a control character');
    return value;
  }

  optionalString(key: string): string | undefined {
    return this.has(key) ? this.string(key) : undefined;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T {
    const value = this.string(key);
    if (!(allowed as readonly string[]).includes(value)) this.fail(key, `is ${JSON.stringify(value)}, not one of ${allowed.join(', ')}`);
    return value as T;
  }

  integer(key: string, min: number, max: number): number {
    const value = this.value[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) this.fail(key, `is not a whole number from ${min} to ${max}`);
    return value;
  }

  port(key: string): number {
    return this.integer(key, 1, 65_535);
  }

  /** A name as the lab file allows it (VM, host, network, slot). */
  name(key: string): string {
    const value = this.string(key);
    if (value.length > NAME_MAX_LENGTH + 16 || !NAME_PATTERN.test(value)) this.fail(key, `${JSON.stringify(value)} is not a name (letters, digits, ".", "_", "-"; not starting with "-" or ".")`);
    return value;
  }

  user(key: string): string {
    const value = this.string(key);
    const problem = userNameProblem(value);
    if (problem !== undefined) this.fail(key, `${JSON.stringify(value)} is not a user name: ${problem}`);
    return value;
  }

  /** A host name, IPv4/IPv6 address or ssh_config alias (see host-address.ts). */
  host(key: string): string {
    const value = this.string(key);
    const problem = hostAddressProblem(value);
    if (problem !== undefined) this.fail(key, `${JSON.stringify(value)} is not a host address: ${problem}`);
    return value;
  }

  ipAddress(key: string): string {
    const value = this.string(key);
    if (isIP(value) === 0) this.fail(key, `${JSON.stringify(value)} is not an IP address`);
    return value;
  }

  absolutePath(key: string): string {
    const value = this.string(key);
    if (!isAbsolute(value)) this.fail(key, `${JSON.stringify(value)} is not an absolute path`);
    return value;
  }

  /** A path of a file directly inside `directory` (the record's own run directory). */
  pathIn(key: string, directory: string): string {
    const value = this.absolutePath(key);
    if (dirname(value) !== directory || /(^|\/)\.\.?$/.test(value)) this.fail(key, `${JSON.stringify(value)} is not a file of its run directory ${directory}`);
    return value;
  }

  stringList(key: string): string[] {
    const value = this.value[key];
    if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) this.fail(key, 'is not a list of text');
    return value;
  }
}

