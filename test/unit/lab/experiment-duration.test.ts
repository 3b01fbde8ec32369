import { describe, expect, it } from 'vitest';
import { parseLabText } from '../../../extension/core/lab/parse';

const lab = (duration: string) => `vms:\n  vm1: {}\nexperiments:\n  e: { vm: vm1, duration: ${duration} }\n`;

describe('experiment duration', () => {
  it('reads seconds and milliseconds', () => {
    expect(parseLabText(lab('3s'), 'l.yaml').lab?.experiments.get('e')?.durationSeconds).toBe(3);
    expect(parseLabText(lab('1500ms'), 'l.yaml').lab?.experiments.get('e')?.durationSeconds).toBe(1.5);
  });
  it('rejects runs shorter than a second or longer than ten minutes, at the value', () => {
    const { diagnostics } = parseLabText(lab('200ms'), 'l.yaml');
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'out-of-range', span: { line: 4, column: 27 } });
    expect(parseLabText(lab('11m'), 'l.yaml').diagnostics[0]?.code).toBe('bad-duration');
  });
});
