import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { QmpValue } from '../../../extension/core/infrastructure/qmp/messages';
import { chardevReconnectFromSchema, qemuCapabilities, type CapabilityReplies } from '../../../extension/core/infrastructure/qemu/qemu-capabilities';

// Replies captured from the real QEMUs on this machine (-M none -qmp stdio): Debian 12's 7.2.22
// and 11.1.3 from trixie-backports as qemu-lab qemu install makes it.
const fixtures = join(__dirname, '../../fixtures/qemu');
function reply(tag: string, command: string): QmpValue {
  return (JSON.parse(readFileSync(join(fixtures, `qemu-${tag}-${command}.json`), 'utf8')) as { return: QmpValue }).return;
}
function replies(tag: string): CapabilityReplies {
  return {
    queryVersion: reply(tag, 'query-version'),
    queryMigrateCapabilities: reply(tag, 'query-migrate-capabilities'),
    queryQmpSchema: reply(tag, 'query-qmp-schema'),
    queryMachines: reply(tag, 'query-machines'),
  };
}

describe('qemuCapabilities from captured replies', () => {
  it('7.2: COLO without return-path, the old reconnect option, pc is i440fx 7.2', () => {
    const caps = qemuCapabilities(replies('7.2'));
    expect(caps?.version).toMatchObject({ major: 7, minor: 2 });
    expect(caps?.version.package).toMatch(/^Debian 1:7\.2/);
    expect(caps?.colo).toEqual({ available: true });
    expect(caps?.chardevReconnect).toBe('reconnect');
    expect(caps).toMatchObject({ multifd: true, postcopy: true });
    expect(caps?.migrationCapabilities.has('compress')).toBe(true);
    expect(caps?.machines?.aliases.get('pc')).toBe('pc-i440fx-7.2');
    expect(caps?.machines?.aliases.get('q35')).toBe('pc-q35-7.2');
  });

  it('11.1: COLO needs return-path, reconnect-ms only, compress gone, pc-i440fx-7.2 still there', () => {
    const caps = qemuCapabilities(replies('11.1'));
    expect(caps?.version).toMatchObject({ major: 11, minor: 1, micro: 3 });
    expect(caps?.colo).toEqual({ available: true });
    expect(caps?.migrationCapabilities.has('return-path')).toBe(true);
    expect(caps?.chardevReconnect).toBe('reconnect-ms');
    expect(caps?.migrationCapabilities.has('compress')).toBe(false);
    expect(caps?.migrationCapabilities.has('mapped-ram')).toBe(true);
    expect(caps?.machines?.aliases.get('pc')).toBe('pc-i440fx-11.1');
    expect(caps?.machines?.names.has('pc-i440fx-7.2')).toBe(true);
  });

  it('the schema decides reconnect where given; the version alone otherwise', () => {
    expect(chardevReconnectFromSchema(reply('7.2', 'query-qmp-schema'))).toBe('reconnect');
    expect(chardevReconnectFromSchema(reply('11.1', 'query-qmp-schema'))).toBe('reconnect-ms');
    const { queryQmpSchema: _omitted, ...withoutSchema } = replies('11.1');
    expect(qemuCapabilities(withoutSchema)?.chardevReconnect).toBe('reconnect-ms');
    expect(qemuCapabilities(withoutSchema)?.machines).toBeDefined();
  });

  it('is undefined for a reply that is not query-version', () => {
    expect(qemuCapabilities({ queryVersion: { qemu: { major: '11' } }, queryMigrateCapabilities: [] })).toBeUndefined();
    expect(qemuCapabilities({ queryVersion: null, queryMigrateCapabilities: [] })).toBeUndefined();
  });
});
