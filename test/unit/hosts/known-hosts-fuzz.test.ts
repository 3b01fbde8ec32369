import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkHostKey, hostFieldMatches, knownHostsName, knownKeyTypesFor, parseKnownHosts } from '../../../extension/core/infrastructure/hosts/transports/known-hosts';
import { mutated } from '../../support/fuzz';

// known_hosts files can be shared or written by others (/etc/ssh/ssh_known_hosts, a copied
// ~/.ssh). Parsing skips what it cannot read; matching a host against any entry returns.
const KEY = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from([0, 0, 0, 32]), Buffer.alloc(32, 7)]);
const LINE = `lab-b,10.0.0.2 ssh-ed25519 ${KEY.toString('base64')}`;
const SEEDS = [
  LINE,
  `[10.0.0.2]:2222 ssh-ed25519 ${KEY.toString('base64')} comment`,
  `@revoked * ssh-ed25519 ${KEY.toString('base64')}`,
  `@cert-authority *.lab ssh-ed25519 ${KEY.toString('base64')}`,
  `|1|c2FsdHNhbHRzYWx0c2FsdHNhbHQ=|aGFzaGhhc2hoYXNoaGFzaGhhc2g= ssh-ed25519 ${KEY.toString('base64')}`,
  `!bad,*.lab,lab-? ssh-ed25519 ${KEY.toString('base64')}\n# comment\n\n`,
];
const patterns = fc.array(fc.constantFrom('*', '?', 'a', '!', ',', '.', '[', ']', '|1|', '\\', '(', '+'), { maxLength: 40 }).map((parts) => parts.join(''));
const names = fc.oneof(fc.constant('a'.repeat(60)), fc.string({ maxLength: 60 }), fc.constantFrom('lab-b', '10.0.0.2', '[10.0.0.2]:2222'));

/** The glob as a regular expression: the reference, safe only for patterns with few stars. */
function referenceMatch(pattern: string, name: string): boolean {
  const source = [...pattern].map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`, 'iu').test(name);
}

describe('known_hosts on hostile files', () => {
  it('parses any text without throwing, into entries with a key, a line number and a host field', { timeout: 60_000 }, () => {
    const texts = fc.oneof(mutated(SEEDS, 10), fc.string({ maxLength: 300 }), fc.array(mutated(SEEDS), { maxLength: 5 }).map((lines) => lines.join('\n')));
    fc.assert(
      fc.property(texts, names, (text, name) => {
        const entries = parseKnownHosts(text, 'known_hosts');
        for (const entry of entries) {
          expect(entry.key.length).toBeGreaterThan(0);
          expect(Number.isSafeInteger(entry.line) && entry.line >= 1).toBe(true);
          expect(entry.hosts).not.toBe('');
        }
        checkHostKey(entries, knownHostsName(name, 22), KEY);
        knownKeyTypesFor(entries, name);
      }),
      { numRuns: 1500 },
    );
  });

  it('matches any host pattern against any name in linear time (no regex backtracking)', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(patterns, names, (pattern, name) => {
        expect(typeof hostFieldMatches(pattern, name)).toBe('boolean');
      }),
      { numRuns: 1000 },
    );
    // Same answers as the regular expression, on patterns short enough for it.
    const shortPatterns = fc.array(fc.constantFrom('*', '?', 'a', 'b', '.', '-', 'A'), { minLength: 1, maxLength: 8 }).map((parts) => parts.join(''));
    const shortNames = fc.array(fc.constantFrom('a', 'b', '.', '-', 'A', 'é'), { maxLength: 10 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(shortPatterns, shortNames, (pattern, name) => {
        expect(hostFieldMatches(pattern, name)).toBe(referenceMatch(pattern, name));
      }),
      { numRuns: 1000 },
    );
    // The pattern that made the regex matcher backtrack for minutes: many stars, no match.
    expect(hostFieldMatches(`${'*a'.repeat(30)}*b`, 'a'.repeat(60))).toBe(false);
  });
});
