import { describe, expect, it } from 'vitest';
import { summary } from '../lab/helpers';
import { parseLabText } from '../../../extension/core/lab/parse';

const vm = (body: string) => `vms:\n  vm1: { ${body} }\n`;
const model = (body: string) => parseLabText(vm(body), 'lab.yaml').lab?.vms.get('vm1');

describe('disk-guest keys of a VM', () => {
  it('a disk image logs in through cloud-init as "lab" unless user: says otherwise', () => {
    expect(model('image: /srv/d.qcow2')).toMatchObject({ login: { kind: 'cloud-init', user: 'lab' } });
    expect(model('image: /srv/d.qcow2, user: debian')).toMatchObject({ login: { kind: 'cloud-init', user: 'debian' } });
    expect(model('image: /srv/d.qcow2')?.diskBytes).toBeUndefined();
  });

  it('disk: is a size, at least 64 MiB', () => {
    expect(model('image: /srv/d.qcow2, disk: 10G')?.diskBytes).toBe(10 * 1024 ** 3);
    expect(summary(vm('image: /srv/d.qcow2, disk: 1M'))).toEqual(['2:37 error out-of-range']);
    expect(summary(vm('image: /srv/d.qcow2, disk: lots'))).toEqual(['2:37 error bad-size']);
  });

  it('without cloud-init, user and identity name the login; either missing is a warning saying what to add', () => {
    expect(model('image: /srv/d.qcow2, cloudInit: false, user: debian, identity: ~/.ssh/id_ed25519')).toMatchObject({
      login: { kind: 'manual', user: 'debian', identity: '~/.ssh/id_ed25519' },
    });
    const result = parseLabText(vm('image: /srv/d.qcow2, cloudInit: false, user: debian'), 'lab.yaml');
    expect(result.diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual(['warning missing-key']);
    expect(result.diagnostics[0]?.message).toContain('add identity');
    expect(result.lab?.vms.get('vm1')?.login).toBeUndefined();
  });

  it('a user name that is not a Linux user name is an error; cloud-init then uses the default', () => {
    expect(summary(vm('image: /srv/d.qcow2, user: "-oProxyCommand=x"'))).toEqual(['2:37 error invalid-user']);
    expect(model('image: /srv/d.qcow2, user: "Root Me"')).toMatchObject({ login: { kind: 'cloud-init', user: 'lab' } });
  });

  it('identity with cloud-init, and every disk key on the built-in guest, are reported as ignored', () => {
    expect(summary(vm('image: /srv/d.qcow2, identity: /k'))).toEqual(['2:31 warning ignored-key']);
    expect(summary(vm('disk: 10G, user: x'))).toEqual(['2:10 warning ignored-key', '2:21 warning ignored-key']);
    expect(model('disk: 10G')?.login).toBeUndefined();
  });
});
