import { describe, expect, it } from 'vitest';
import { SshConfigError } from '../../../extension/core/infrastructure/hosts/host-errors';
import { parseAddress, resolveSshTarget } from '../../../extension/core/infrastructure/hosts/transports/ssh-config';

const sample = `
# A sample ~/.ssh/config
Host lab-a
  HostName 10.20.30.40
  User alice
  Port 2222
  IdentityFile ~/.ssh/lab_a
  IdentityFile %d/.ssh/%r_at_%h

Host lab-b lab-b-alias
  HostName lab-b.internal
  ProxyJump bastion
  IdentitiesOnly yes

Host bastion
  HostName bastion.example
  User jump
  Port 2200

Host lab-c
  ProxyJump a@j1:2201,j2

Host lab-d
  ProxyCommand nc %h %p

Host lab-e
  HostKeyAlias lab-e-key
  UserKnownHostsFile ~/.ssh/lab_known_hosts

Host *.example
  User wildcard

Host *
  User fallback
  ForwardAgent yes
`;

const base = { configText: sample, home: '/home/me', localUser: 'me' };

describe('resolveSshTarget', () => {
  it('resolves an alias: HostName, User, Port, IdentityFile with ~ and % tokens', async () => {
    const t = await resolveSshTarget({ address: 'lab-a' }, base);
    expect(t).toMatchObject({
      alias: 'lab-a',
      hostname: '10.20.30.40',
      user: 'alice',
      port: 2222,
      identityFiles: ['/home/me/.ssh/lab_a', '/home/me/.ssh/alice_at_10.20.30.40'],
      identitiesOnly: false,
      jump: undefined,
    });
  });

  it('lets the lab file override user, port and identity', async () => {
    const t = await resolveSshTarget({ address: 'lab-a', user: 'bob', port: 22, identity: '~/.ssh/other' }, base);
    expect(t.user).toBe('bob');
    expect(t.port).toBe(22);
    expect(t.identityFiles[0]).toBe('/home/me/.ssh/other');
  });

  it('takes user@ and :port from the address', async () => {
    const t = await resolveSshTarget({ address: 'carol@lab-a:2300' }, base);
    expect(t).toMatchObject({ user: 'carol', port: 2300, hostname: '10.20.30.40' });
  });

  it('matches a second alias of a Host line and reads one ProxyJump hop', async () => {
    const t = await resolveSshTarget({ address: 'lab-b-alias' }, base);
    expect(t).toMatchObject({ hostname: 'lab-b.internal', user: 'fallback', port: 22, identitiesOnly: true });
    expect(t.jump).toEqual({ address: 'bastion', user: undefined, port: undefined });
    // The jump host resolves through the config in turn.
    expect(await resolveSshTarget({ address: 'bastion' }, base)).toMatchObject({ hostname: 'bastion.example', user: 'jump', port: 2200 });
  });

  it('falls back to wildcard sections, then defaults', async () => {
    expect(await resolveSshTarget({ address: 'x.example' }, base)).toMatchObject({ hostname: 'x.example', user: 'wildcard', port: 22 });
    const plain = await resolveSshTarget({ address: '192.0.2.9' }, { home: '/home/me', localUser: 'me', configPath: null });
    expect(plain).toMatchObject({ hostname: '192.0.2.9', user: 'me', port: 22 });
    expect(plain.identityFiles).toEqual(['/home/me/.ssh/id_ed25519', '/home/me/.ssh/id_ecdsa', '/home/me/.ssh/id_rsa']);
  });

  it('reads HostKeyAlias and UserKnownHostsFile', async () => {
    const t = await resolveSshTarget({ address: 'lab-e' }, base);
    expect(t.hostKeyAlias).toBe('lab-e-key');
    expect(t.userKnownHostsFiles).toEqual(['/home/me/.ssh/lab_known_hosts']);
  });

  it('says clearly what is not supported yet', async () => {
    await expect(resolveSshTarget({ address: 'lab-c' }, base)).rejects.toThrow(/more than one hop is not supported yet/);
    await expect(resolveSshTarget({ address: 'lab-d' }, base)).rejects.toBeInstanceOf(SshConfigError);
  });

  it('parses addresses', () => {
    expect(parseAddress('u@h:22')).toEqual({ address: 'h', user: 'u', port: 22 });
    expect(parseAddress('[fe80::1]:2222')).toEqual({ address: 'fe80::1', user: undefined, port: 2222 });
    expect(parseAddress('fe80::1')).toEqual({ address: 'fe80::1', user: undefined, port: undefined });
    expect(() => parseAddress('h:70000')).toThrow(SshConfigError);
  });
});
