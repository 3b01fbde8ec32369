import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseLabText } from '../../../extension/core/lab/parse';
import { readLabStage, validateLabStage } from '../../../extension/core/lab/staged-parse';
import { anyText, SEED_LABS } from './arbitraries';

describe('the staged parse the editor uses', () => {
  it('gives exactly what parseLabText gives, for the seed labs', () => {
    for (const text of SEED_LABS) expect(validateLabStage(readLabStage(text, 'lab.yaml'))).toEqual(parseLabText(text, 'lab.yaml'));
  });

  it('gives exactly what parseLabText gives, for any text (property)', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(validateLabStage(readLabStage(text, 'lab.yaml'))).toEqual(parseLabText(text, 'lab.yaml'));
      }),
      { numRuns: 1000 },
    );
  });

  it('recovers a tree from YAML syntax errors, and refuses what is unsafe', () => {
    const broken = readLabStage('vms:\n  vm1: { memory: 1G\n  vm2:\n    nic: virtio\n    ni\n', 'lab.yaml');
    expect(broken.usable).toBe(false);
    expect(broken.tree?.kind).toBe('map');
    expect(readLabStage('\u0000', 'lab.yaml').tree).toBeUndefined();
    expect(readLabStage('['.repeat(5000), 'lab.yaml').tree).toBeUndefined();
    expect(readLabStage('vms:\n  vm1: *nowhere\n', 'lab.yaml').tree).toBeUndefined();
  });

  it('validating the same stage twice gives the same result', () => {
    const stage = readLabStage('vms:\n  vm1: { memroy: 1G }\n', 'lab.yaml');
    expect(validateLabStage(stage)).toEqual(validateLabStage(stage));
  });
});
