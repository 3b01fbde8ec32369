import { describe, expect, it } from 'vitest';
import { closestMatch, didYouMean, editDistance } from '../../../extension/core/lab/suggest';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['kvm', 'kvm', 0],
    ['accl', 'accel', 1],
    ['memroy', 'memory', 1],
    ['kvm', 'tcg', 3],
    ['sysbench-cpuu', 'sysbench-cpu', 1],
  ])('%s / %s = %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

describe('closestMatch', () => {
  const keys = ['host', 'image', 'cpus', 'memory', 'accel', 'sshPort'];
  it('finds likely typos', () => {
    expect(closestMatch('accl', keys)).toBe('accel');
    expect(closestMatch('memroy', keys)).toBe('memory');
    expect(closestMatch('sshport', keys)).toBe('sshPort');
    expect(closestMatch('ssh-port', keys)).toBe('sshPort');
    expect(closestMatch('cpu', keys)).toBe('cpus');
  });

  it('stays quiet when nothing is close, or the word is known', () => {
    expect(closestMatch('network', keys)).toBeUndefined();
    expect(closestMatch('x', keys)).toBeUndefined();
    expect(closestMatch('host', keys)).toBeUndefined();
    expect(closestMatch('', keys)).toBeUndefined();
    expect(closestMatch('a'.repeat(100_000), keys)).toBeUndefined();
  });

  it('phrases the suggestion', () => {
    expect(didYouMean('accel')).toBe(' (did you mean "accel"?)');
    expect(didYouMean(undefined)).toBe('');
  });
});
