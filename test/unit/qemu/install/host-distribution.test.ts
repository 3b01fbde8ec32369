import { describe, expect, it } from 'vitest';
import { familyOf, mainMirror, parseDeb822Sources, parseOneLineSources, parseOsRelease } from '../../../../extension/core/infrastructure/qemu/install/host-distribution';

// The texts below are the shapes Debian and Ubuntu ship; the mirror names are placeholders
// (the project never names a package registry host itself).
const DEBIAN_12_OS_RELEASE = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
`;
const UBUNTU_OS_RELEASE = `PRETTY_NAME="Ubuntu 24.04.1 LTS"
ID=ubuntu
ID_LIKE=debian
VERSION_CODENAME=noble
`;

describe('parseOsRelease / familyOf', () => {
  it('reads Debian 12', () => {
    const os = parseOsRelease(DEBIAN_12_OS_RELEASE);
    expect(os).toEqual({ id: 'debian', idLike: [], codename: 'bookworm', prettyName: 'Debian GNU/Linux 12 (bookworm)' });
    expect(familyOf(os)).toBe('debian');
  });
  it('tells Ubuntu (ID_LIKE=debian) from Debian, and derivatives by ID_LIKE', () => {
    expect(familyOf(parseOsRelease(UBUNTU_OS_RELEASE))).toBe('ubuntu');
    expect(familyOf(parseOsRelease('ID=linuxmint\nID_LIKE="ubuntu debian"\n'))).toBe('ubuntu');
    expect(familyOf(parseOsRelease("ID='devuan'\nID_LIKE=debian\n"))).toBe('debian');
  });
  it('knows nothing else', () => {
    expect(familyOf(parseOsRelease('ID=fedora\nPRETTY_NAME="Fedora Linux 41"\n'))).toBeUndefined();
    expect(familyOf(parseOsRelease(''))).toBeUndefined();
  });
});

describe('apt sources', () => {
  it('reads deb822 stanzas, skipping disabled ones and comments', () => {
    const text = [
      'Types: deb',
      '# http://snapshot.example/archive/debian/20250520T000000Z',
      'URIs: http://mirror.example/debian',
      'Suites: bookworm bookworm-updates',
      'Components: main',
      'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg',
      '',
      'Types: deb',
      'URIs: http://mirror.example/debian-security',
      'Suites: bookworm-security',
      'Components: main',
      '',
      'Types: deb deb-src',
      'Enabled: no',
      'URIs: http://other.example/debian',
      'Suites: bookworm',
      'Components: main',
      '',
    ].join('\n');
    expect(parseDeb822Sources(text)).toEqual([
      { uris: ['http://mirror.example/debian'], suites: ['bookworm', 'bookworm-updates'], components: ['main'] },
      { uris: ['http://mirror.example/debian-security'], suites: ['bookworm-security'], components: ['main'] },
    ]);
  });
  it('reads one-line sources, with options, skipping deb-src and comments', () => {
    const text = '# deb http://old.example/debian bookworm main\ndeb-src http://mirror.example/debian bookworm main\ndeb [arch=amd64 signed-by=/k.gpg] https://mirror.example/debian bookworm main contrib # x\n';
    expect(parseOneLineSources(text)).toEqual([{ uris: ['https://mirror.example/debian'], suites: ['bookworm'], components: ['main', 'contrib'] }]);
  });
  it("picks the host's main archive, not security or a third party's suite", () => {
    const sources = [
      { uris: ['https://vendor.example/apt'], suites: ['cloud-sdk-bookworm'], components: ['main'] },
      { uris: ['http://mirror.example/debian-security'], suites: ['bookworm-security'], components: ['main'] },
      { uris: ['http://mirror.example/debian'], suites: ['bookworm', 'bookworm-updates'], components: ['main'] },
    ];
    expect(mainMirror(sources, 'bookworm')).toBe('http://mirror.example/debian');
    expect(mainMirror(sources.slice(0, 2), 'bookworm')).toBeUndefined();
    expect(mainMirror([{ uris: ['http://m.example/debian'], suites: ['bookworm-updates'], components: ['main'] }], 'bookworm')).toBe('http://m.example/debian');
  });
  it('never takes a URI that would break the sources line it goes into', () => {
    const hostile = [{ uris: ['http://m.example/debian trixie main\ndeb http://evil'], suites: ['bookworm'], components: ['main'] }, { uris: ['mirror+file:/etc/apt/mirrors.txt'], suites: ['bookworm'], components: ['main'] }];
    expect(mainMirror(hostile, 'bookworm')).toBeUndefined();
  });
});
