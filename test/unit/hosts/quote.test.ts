import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellJoin, shellQuote } from '../../../extension/core/infrastructure/hosts/transports/quote';
import { HOSTILE_STRINGS } from '../../support/hostile-strings';

const hostile = HOSTILE_STRINGS;

describe('shellQuote', () => {
  it('leaves safe words alone', () => {
    expect(shellQuote('vm-1.log')).toBe('vm-1.log');
  });

  // The real proof: a real shell must hand back every argument exactly, as one word each.
  it('round-trips hostile strings through a real /bin/sh', () => {
    const script = `for a in ${shellJoin(hostile)}; do printf '%s\\0' "$a"; done`;
    const out = execFileSync('/bin/sh', ['-c', script], { encoding: 'utf8' });
    expect(out.split('\0').slice(0, -1)).toEqual(hostile);
  });

  it('round-trips through bash too', () => {
    const script = `printf '%s\\0' ${shellJoin(hostile)}`;
    const out = execFileSync('/bin/bash', ['-c', script], { encoding: 'utf8' });
    expect(out.split('\0').slice(0, -1)).toEqual(hostile);
  });
});
