import { describe, expect, it, vi } from 'vitest';
import { parseLabText } from '../../../extension/core/lab/parse';

// A bug anywhere below parseLabText must still come out as a diagnostic, never as a throw.
vi.mock('../../../extension/core/lab/read-yaml', () => ({
  readYamlTree: () => {
    throw new RangeError('simulated bug');
  },
}));

describe('parseLabText when something inside breaks', () => {
  it('turns the exception into an internal-error diagnostic', () => {
    const result = parseLabText('vms: {}\n', 'lab.yaml');
    expect(result.lab).toBeUndefined();
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({ code: 'internal-error', severity: 'error', span: { line: 1, column: 1 } });
    expect(result.diagnostics[0]?.message).toContain('simulated bug');
  });
});
