import { describe, expect, it } from 'vitest';
import {
  debFilePrefix,
  parseAptPolicyCandidate,
  parseDpkgQuery,
  parseMetaPackageDepends,
} from '../../../extension/core/machines/guest-image/debs';
import { guestFixture } from './fixtures';

describe('apt output parsers', () => {
  it('finds the kernel package linux-image-amd64 depends on, with its pinned version', () => {
    expect(parseMetaPackageDepends(guestFixture('apt-cache-show-linux-image-amd64.txt'))).toEqual({
      name: 'linux-image-6.1.0-56-amd64',
      version: '6.1.192-2',
    });
    expect(parseMetaPackageDepends('Package: x\nDepends: initramfs-tools, linux-image-6.1.0-9-amd64 (>= 6.1)\n')).toEqual({
      name: 'linux-image-6.1.0-9-amd64',
      version: undefined,
    });
    expect(parseMetaPackageDepends('Depends: linux-image-6.12.9-amd64 | linux-image-6.12.8-amd64\n')).toEqual({
      name: 'linux-image-6.12.9-amd64',
      version: undefined,
    });
    expect(parseMetaPackageDepends('Package: linux-image-amd64\nRecommends: firmware\n')).toBeUndefined();
  });

  it('reads the candidate version', () => {
    expect(parseAptPolicyCandidate(guestFixture('apt-cache-policy-linux-image.txt'))).toBe('6.1.192-2');
    expect(parseAptPolicyCandidate('x:\n  Installed: (none)\n  Candidate: (none)\n')).toBeUndefined();
  });

  it('names downloaded files as apt does', () => {
    expect(debFilePrefix({ name: 'linux-image-6.1.0-56-amd64', version: '6.1.192-2' })).toBe(
      'linux-image-6.1.0-56-amd64_6.1.192-2_',
    );
    expect(debFilePrefix({ name: 'busybox-static', version: '1:1.35.0-4' })).toBe('busybox-static_1%3a1.35.0-4_');
  });

  it('reads dpkg-query lines and tells installed from removed packages', () => {
    const found = parseDpkgQuery('busybox-static\t1:1.35.0-4+deb12u1+b1\tii \niperf\t2.1.8\trc \n');
    expect(found.get('busybox-static')).toEqual({ version: '1:1.35.0-4+deb12u1+b1', installed: true });
    expect(found.get('iperf')).toEqual({ version: '2.1.8', installed: false });
    expect(found.has('sysbench')).toBe(false);
  });
});
