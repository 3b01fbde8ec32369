import { describe, expect, it } from 'vitest';
import { HOST_KEY_ALIAS, knownHostsLine, parsePublicKeyLine } from '../../../extension/core/machines/guest-image/keys';
import { guestFixture } from './fixtures';

describe('parsePublicKeyLine', () => {
  it('finds the OpenSSH public key in dropbearkey -y output', () => {
    const key = parsePublicKeyLine(guestFixture('dropbearkey-y.txt'));
    expect(key).toEqual({ type: 'ssh-ed25519', base64: 'AAAAC3NzaC1lZDI1NTE5AAAAIMeBKhS/HX2bN2eMI2xBpdiX5M9uGMT1cZfZgCjA7xwC' });
  });

  it('reads ssh-keygen .pub lines and ignores other text', () => {
    expect(parsePublicKeyLine('ecdsa-sha2-nistp256 AAAAE2Vj= c')?.type).toBe('ecdsa-sha2-nistp256');
    expect(parsePublicKeyLine('Fingerprint: SHA256:abc\n')).toBeUndefined();
  });
});

describe('knownHostsLine', () => {
  it('puts the key under the fixed alias', () => {
    const key = { type: 'ssh-ed25519', base64: 'AAAAxyz' };
    expect(knownHostsLine(HOST_KEY_ALIAS, key)).toBe('qemu-lab-guest ssh-ed25519 AAAAxyz');
  });
});
