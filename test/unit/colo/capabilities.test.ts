import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { capabilityArgs, coloCapabilityAttempts, listedCapabilities, setColoCapabilities, type AskQmp } from '../../../extension/core/colo/capabilities';
import { ColoError } from '../../../extension/core/colo/errors';
import { QmpExecuteError } from '../../../extension/core/infrastructure/qmp/errors';
import type { QmpValue } from '../../../extension/core/infrastructure/qmp/messages';

// Replies of real QEMUs, captured here (a QEMU started with -incoming defer, asked over QMP):
// Debian 12's 7.2.22 and trixie-backports' 11.1.3 — what each lists, and how each answered
// `x-colo` alone and `x-colo` with `return-path`.
type Reply = { return: QmpValue } | { error: { class: string; desc: string } };
const captured = JSON.parse(readFileSync(join(__dirname, '../../fixtures/colo/migrate-capabilities.json'), 'utf8')) as Record<
  string,
  { 'query-migrate-capabilities': QmpValue; 'x-colo alone': Reply; 'x-colo + return-path': Reply }
>;

/** A side that answers as the captured QEMU did, and records what it was asked. */
function replay(version: string): { ask: AskQmp; asked: string[] } {
  const qemu = captured[version];
  if (qemu === undefined) throw new Error(`no capture of ${version}`);
  const asked: string[] = [];
  const ask: AskQmp = (name, args) => {
    const names = (args?.capabilities as { capability: string }[] | undefined)?.map((c) => c.capability) ?? [];
    asked.push(`${name}${names.length > 0 ? ` ${names.join('+')}` : ''}`);
    if (name === 'query-migrate-capabilities') return Promise.resolve(qemu['query-migrate-capabilities']);
    const reply = names.join('+') === 'x-colo' ? qemu['x-colo alone'] : names.join('+') === 'x-colo+return-path' ? qemu['x-colo + return-path'] : undefined;
    if (reply === undefined) throw new Error(`not captured: ${name} ${names.join('+')}`);
    if ('error' in reply) return Promise.reject(new QmpExecuteError(name, args, reply.error.class, reply.error.desc));
    return Promise.resolve(reply.return);
  };
  return { ask, asked };
}

describe('COLO migration capabilities, by what QEMU says', () => {
  it('reads the names of a query-migrate-capabilities reply, and nothing from a malformed one', () => {
    expect(listedCapabilities(captured['qemu-11.1.3']?.['query-migrate-capabilities'] ?? null)).toContain('return-path');
    expect(listedCapabilities({ capability: 'x-colo' })).toEqual([]);
    expect(listedCapabilities([{ capability: 3 }, 'x-colo', { capability: 'x-colo', state: true }])).toEqual(['x-colo']);
  });

  it('tries x-colo alone first, then with return-path when this QEMU has it; a QEMU without x-colo has no COLO', () => {
    expect(coloCapabilityAttempts(['x-colo', 'return-path'], 'q')).toEqual([['x-colo'], ['x-colo', 'return-path']]);
    expect(coloCapabilityAttempts(['x-colo'], 'q')).toEqual([['x-colo']]);
    expect(() => coloCapabilityAttempts(['return-path'], 'QEMU 9.9')).toThrow(/QEMU 9\.9\) has no migration capability "x-colo": it was built without COLO/);
  });

  it('7.2 takes x-colo alone: return-path stays off, as before', async () => {
    const side = replay('qemu-7.2.22');
    expect(await setColoCapabilities(side.ask, 'the COLO secondary of VM "vm1"', '7.2.22')).toEqual(['x-colo']);
    expect(side.asked).toEqual(['query-migrate-capabilities', 'migrate-set-capabilities x-colo']);
  });

  it('11.1 refuses x-colo alone and takes it with return-path', async () => {
    const side = replay('qemu-11.1.3');
    expect(await setColoCapabilities(side.ask, 'the COLO secondary of VM "vm1"', '11.1.3')).toEqual(['x-colo', 'return-path']);
    expect(side.asked).toEqual(['query-migrate-capabilities', 'migrate-set-capabilities x-colo', 'migrate-set-capabilities x-colo+return-path']);
  });

  it('the other side gets the set the first took, in one command', async () => {
    const side = replay('qemu-11.1.3');
    expect(await setColoCapabilities(side.ask, 'the COLO primary of VM "vm1"', '11.1.3', ['x-colo', 'return-path'])).toEqual(['x-colo', 'return-path']);
    expect(side.asked).toEqual(['migrate-set-capabilities x-colo+return-path']);
    expect(capabilityArgs(['x-colo', 'return-path'], true)).toEqual({ capabilities: [{ capability: 'x-colo', state: true }, { capability: 'return-path', state: true }] });
  });

  it('a refusal of every set names the side, each set and QEMU’s own words', async () => {
    const side = replay('qemu-11.1.3');
    const error = await setColoCapabilities(side.ask, 'the COLO primary of VM "vm1"', '11.1.3', ['x-colo']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ColoError);
    expect((error as ColoError).message).toBe(
      `The COLO primary of VM "vm1" (11.1.3) refused every set of COLO capabilities — x-colo: QMP command 'migrate-set-capabilities' failed (GenericError): Capability 'x-colo' requires capability 'return-path'`,
    );
  });
});
