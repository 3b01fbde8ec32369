import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DomainEventLines, MAX_PENDING_LINE, parseDomainEventLine, parseDomainEvents, type DomainEvent } from '../../../extension/core/infrastructure/libvirt/domain-events';
import { HOSTILE_STRINGS } from '../../support/hostile-strings';

// Captured from Debian 12's virsh 9.0 (`virsh event --loop --all --timestamp`) against a real
// libvirtd while plain virsh ran define, start, suspend, resume, shutdown + destroy, start, a
// QEMU that quit under libvirt, desc, start --paused, reset, destroy, undefine — then SIGINT.
const fixture = readFileSync(join(__dirname, '../../fixtures/libvirt/virsh/event-loop-all-timestamp.txt'), 'utf8');

const brief = (events: readonly DomainEvent[]): string[] => events.map((e) => `${e.type} ${e.domain}${e.lifecycle === undefined ? '' : ` ${e.lifecycle.event}/${e.lifecycle.reason}`}`);

describe('virsh event output (real virsh 9.0 output)', () => {
  it('reads every event of a real session, in order, and skips virsh\'s own lines', () => {
    const events = parseDomainEvents(fixture);
    expect(brief(events)).toEqual([
      'lifecycle cap-vm Defined/Added',
      'lifecycle cap-vm Resumed/Unpaused',
      'lifecycle cap-vm Started/Booted',
      'lifecycle cap-vm Suspended/Paused',
      'lifecycle cap-vm Resumed/Unpaused',
      'lifecycle cap-vm Shutdown/Finished after host request',
      'lifecycle cap-vm Stopped/Destroyed',
      'lifecycle cap-vm Resumed/Unpaused',
      'lifecycle cap-vm Started/Booted',
      'control-error cap-vm',
      'lifecycle cap-vm Stopped/Failed',
      'metadata-change cap-vm',
      'lifecycle cap-vm Started/Booted',
      'lifecycle cap-vm Suspended/Paused',
      'reboot cap-vm',
      'lifecycle cap-vm Shutdown/Finished after host request',
      'lifecycle cap-vm Stopped/Destroyed',
      'lifecycle cap-vm Undefined/Removed',
    ]);
    // virsh counted them itself when interrupted: the same number.
    expect(fixture).toContain(`events received: ${events.length}`);
    expect(events[0]?.at.toISOString()).toBe('2026-12-03T14:05:29.523Z');
    expect(events[11]?.detail).toBe('type description, uri <null>');
    expect(events[9]?.detail).toBeUndefined();
  });

  it('reads time zones, names with quotes and colons, and a multi-line event\'s header', () => {
    expect(parseDomainEventLine("2026-01-02 03:04:05.678+0130: event 'lifecycle' for domain 'a': Crashed Panicked")).toMatchObject({
      at: new Date('2026-01-02T01:34:05.678Z'),
      lifecycle: { event: 'Crashed', reason: 'Panicked' },
    });
    expect(parseDomainEventLine("2026-01-02 03:04:05.678+0000: event 'lifecycle' for domain 'it's: odd': Stopped Shutdown")).toMatchObject({
      domain: "it's: odd",
      lifecycle: { event: 'Stopped', reason: 'Shutdown' },
    });
    // libvirt's `tunable` and `job-completed` events put their values on tab-indented lines after this one.
    const tunable = parseDomainEventLine("2026-01-02 03:04:05.678+0000: event 'tunable' for domain 'a':");
    expect([tunable?.type, tunable?.domain, tunable?.detail]).toEqual(['tunable', 'a', undefined]);
    const unknown = parseDomainEventLine("2026-01-02 03:04:05.678+0000: event 'lifecycle' for domain 'a': Exploded Badly");
    expect([unknown?.lifecycle, unknown?.detail]).toEqual([undefined, 'Exploded Badly']);
  });

  it('skips every line that is not an event, never throws', () => {
    for (const line of ['', 'event loop interrupted', 'events received: 18', '\tcputune.vcpu_period: 1000', "event 'lifecycle' for domain 'a': Started Booted", "2026-13-45 99:99:99.000+0000: event 'lifecycle' for domain 'a': Started Booted", "2026-01-02 03:04:05.678+0000: event 'lifecycle' for domain '': Started Booted", "2026-01-02 03:04:05.678+0000: event 'lifecycle' for domain 'a/b': Started Booted", "2026-01-02 03:04:05.678+0000: event 'lifecycle' for domain 'a\u0007': Started Booted", `2026-01-02 03:04:05.678+0000: event 'lifecycle' for domain '${'x'.repeat(300)}': Started Booted`]) {
      expect(parseDomainEventLine(line), line).toBeUndefined();
    }
    for (const hostile of HOSTILE_STRINGS) {
      expect(() => parseDomainEventLine(hostile)).not.toThrow();
      expect(() => parseDomainEventLine(`2026-01-02 03:04:05.678+0000: event 'lifecycle' for domain '${hostile}': ${hostile}`)).not.toThrow();
    }
  });

  it('cuts streamed pieces into events, whatever the piece boundaries', () => {
    const whole = parseDomainEvents(fixture);
    for (const size of [1, 7, 64, 4096]) {
      const seen: DomainEvent[] = [];
      const lines = new DomainEventLines((event) => seen.push(event));
      for (let at = 0; at < fixture.length; at += size) lines.push(fixture.slice(at, at + size));
      expect(seen, `pieces of ${size}`).toEqual(whole);
    }
  });

  it('drops an overlong line instead of keeping it, and reads the next one whole', () => {
    const seen: DomainEvent[] = [];
    const lines = new DomainEventLines((event) => seen.push(event));
    const good = "2026-01-02 03:04:05.678+0000: event 'lifecycle' for domain 'a': Started Booted\n";
    // A line that starts like an event but never ends within the bound: not kept, not taken.
    lines.push(good.slice(0, 40));
    for (let i = 0; i < 3; i += 1) lines.push('x'.repeat(MAX_PENDING_LINE / 2));
    lines.push(`${good.slice(40)}${good}`);
    expect(brief(seen)).toEqual(['lifecycle a Started/Booted']);
  });
});
