import { describe, expect, it } from 'vitest';
import { summarizeHeldSession, tickReader, type SessionLine } from '../../../extension/core/lab-run/held-session';
import { heldSessionLines, onUserNetworking } from '../../../extension/core/lab-run/report-migration';

const every200ms = (from: number, to: number, firstN: number): SessionLine[] => Array.from({ length: Math.floor((to - from) / 200) }, (_, i) => ({ atMs: from + i * 200, n: firstN + i }));

describe('held SSH session', () => {
  it('reads numbered lines split anywhere across output pieces, and ignores anything else', () => {
    const seen: number[] = [];
    const feed = tickReader((n) => seen.push(n));
    for (const piece of ['tick 1\nti', 'ck 2\n', 'motd text\ntick 3', '\ntick x\n']) feed(piece);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('counts lines before and after the migration and finds the silence at the switch-over', () => {
    // Lines until 10 s, a 1.4 s silence, then on from 11.4 s; the migration ran from 5 s to 12 s.
    const lines = [...every200ms(0, 10_000, 1), ...every200ms(11_400, 15_000, 51)];
    const result = summarizeHeldSession(lines, 5_000, 12_000, undefined);
    expect(result).toEqual({ linesBefore: 25, linesAfter: 14, longestSilenceMs: 1600, missingLines: 0, openAtEnd: true });
    expect(heldSessionLines(result, false)[0]).toContain('went on after it: 25 lines before, 14 after, none missing; its longest silence was 1.6 s');
  });

  it('says so when lines were lost, or the session ended at the switch-over', () => {
    const gap = summarizeHeldSession([...every200ms(0, 1_000, 1), ...every200ms(2_000, 3_000, 9)], 500, 1_500, undefined);
    expect(gap.missingLines).toBe(3);
    const broken = summarizeHeldSession(every200ms(0, 4_000, 1), 2_000, 9_000, 'ssh ended with status 255: Connection reset');
    // Silent from its last line (3.8 s) to the end of the migration (9 s).
    expect(broken).toMatchObject({ linesBefore: 10, linesAfter: 0, longestSilenceMs: 5_200, openAtEnd: false, ended: 'ssh ended with status 255: Connection reset' });
    expect(heldSessionLines(broken, true)[0]).toContain('did not go on: 10 lines before, 0 after');
    expect(heldSessionLines(broken, true)[0]).toContain('it ended: ssh ended with status 255');
    expect(heldSessionLines(undefined, true)).toEqual([]);
  });

  it('blames the forwarded port only on user networking, and the bridge otherwise', () => {
    const broken = summarizeHeldSession(every200ms(0, 4_000, 1), 2_000, 9_000, 'ssh ended with status 255: Connection reset');
    const userArgv = ['qemu-system-x86_64', '-netdev', 'user,id=net0,hostfwd=tcp:127.0.0.1:2222-:22', '-device', 'virtio-net-pci,netdev=net0'];
    const tapArgv = ['qemu-system-x86_64', '-netdev', 'tap,id=net0,ifname=qlab0,script=no,downscript=no', '-device', 'virtio-net-pci,netdev=net0'];
    expect(onUserNetworking(userArgv)).toBe(true);
    expect(onUserNetworking(tapArgv)).toBe(false);
    // A word "user," elsewhere in the argv is not the NIC's netdev.
    expect(onUserNetworking(['qemu-system-x86_64', '-name', 'user,x', '-netdev', 'tap,id=n'])).toBe(false);
    expect(heldSessionLines(broken, true)[0]).toContain('On user networking that is expected');
    expect(heldSessionLines(broken, false)[0]).not.toContain('user networking');
    expect(heldSessionLines(broken, false)[0]).toContain("destination's TAP is on the same bridge");
  });
});
