import { describe, expect, it } from 'vitest';
import { parseGuestFacts } from '../../../extension/core/machines/guest-access/guest-facts';

describe("the guest's own view of itself", () => {
  it('reads the kernel and the CPU model a guest prints', () => {
    // What the built-in guest printed under TCG here (Debian 12 kernel, QEMU 7.2's default CPU model).
    expect(parseGuestFacts('kernel=6.1.0-57-amd64\ncpu= QEMU TCG CPU version 2.5+\n')).toEqual({ kernel: '6.1.0-57-amd64', cpu: 'QEMU TCG CPU version 2.5+' });
  });

  it('leaves out what the guest did not say, without shifting the other fact', () => {
    expect(parseGuestFacts('kernel=6.1.0-28-amd64\ncpu=\n')).toEqual({ kernel: '6.1.0-28-amd64' });
    expect(parseGuestFacts('cpu= Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz\n')).toEqual({ cpu: 'Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz' });
    expect(parseGuestFacts('')).toEqual({});
  });

  it('keeps a hostile answer from breaking a report table or running on for pages', () => {
    const facts = parseGuestFacts(`kernel=6.1 | injected | \`code\` **bold** <script>\ncpu=${'A'.repeat(5000)}\n`);
    expect(facts.kernel).toBe('6.1 injected code bold script');
    expect(facts.cpu).toHaveLength(120);
  });
});
