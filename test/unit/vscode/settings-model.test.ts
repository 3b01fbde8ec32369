import { describe, expect, it } from 'vitest';
import { hostQemuFromEnv } from '../../../extension/core/infrastructure/hosts/probes/qemu-setting';
import { describeLabSettings, readLabSettings, sameLabSettings, type LabSettings, type RawLabSettings } from '../../../extension/vscode/settings/settings-model';

const unset: RawLabSettings = { stateDirectory: '', cacheDirectory: '', remoteStateDirectory: '', hostQemu: {} };
/** The QEMU findQemu takes for `host` from the settings' environment. */
const qemuOf = (settings: LabSettings, host: string) => hostQemuFromEnv(settings.env, host);
const base: NodeJS.ProcessEnv = { HOME: '/home/ada', PATH: '/usr/bin', QEMU_LAB_STATE_DIR: '/from/env/state' };

describe('readLabSettings', () => {
  it('leaves the environment as it is when nothing is set', () => {
    const settings = readLabSettings(unset, base);
    expect(settings.env).toEqual(base);
    expect(settings.env).not.toBe(base);
    expect(settings.remoteStateRoot).toBeUndefined();
    expect(qemuOf(settings, 'local')).toBeUndefined();
    expect(settings.problems).toEqual([]);
  });

  it('a folder that is set wins over the variable; ~/ is the user\'s home', () => {
    const settings = readLabSettings({ ...unset, stateDirectory: '~/lab-state', cacheDirectory: '/var/cache/ql/', remoteStateDirectory: '/srv/ql' }, base);
    expect(settings.env).toMatchObject({ QEMU_LAB_STATE_DIR: '/home/ada/lab-state', QEMU_LAB_CACHE_DIR: '/var/cache/ql/', QEMU_LAB_REMOTE_STATE_DIR: '/srv/ql', PATH: '/usr/bin' });
    expect(settings.remoteStateRoot).toBe('/srv/ql');
  });

  it('the remote folder falls back to QEMU_LAB_REMOTE_STATE_DIR', () => {
    expect(readLabSettings(unset, { ...base, QEMU_LAB_REMOTE_STATE_DIR: '/env/remote' }).remoteStateRoot).toBe('/env/remote');
  });

  it('ignores a relative folder, a remote ~ and a remote .., each with a problem that says what to write', () => {
    const settings = readLabSettings({ ...unset, stateDirectory: 'state', cacheDirectory: 42, remoteStateDirectory: '~/state' }, base);
    expect(settings.env.QEMU_LAB_STATE_DIR).toBe('/from/env/state');
    expect(settings.env.QEMU_LAB_CACHE_DIR).toBeUndefined();
    expect(settings.remoteStateRoot).toBeUndefined();
    expect(settings.problems).toEqual([
      expect.stringMatching(/^qemuLab\.stateDirectory "state" is ignored: write an absolute folder/),
      expect.stringMatching(/^qemuLab\.cacheDirectory is ignored: write a folder path as a string/),
      expect.stringMatching(/^qemuLab\.remoteStateDirectory "~\/state" is ignored: write an absolute folder/),
    ]);
    expect(readLabSettings({ ...unset, remoteStateDirectory: '/srv/../etc' }, base).problems).toHaveLength(1);
  });

  it('ignores a folder with a control character in it', () => {
    const settings = readLabSettings({ ...unset, stateDirectory: '/tmp/a\nb' }, base);
    expect(settings.env.QEMU_LAB_STATE_DIR).toBe('/from/env/state');
    expect(settings.problems).toHaveLength(1);
  });

  it('reads the QEMU of each host as a version or a path, "*" for the others', () => {
    const settings = readLabSettings({ ...unset, hostQemu: { local: '11.1', 'rack-1': '/opt/qemu/bin/qemu-system-x86_64', '*': '10.0.2' } }, base);
    expect(qemuOf(settings, 'local')).toEqual({ kind: 'version', version: '11.1' });
    expect(qemuOf(settings, 'rack-1')).toEqual({ kind: 'path', path: '/opt/qemu/bin/qemu-system-x86_64' });
    expect(qemuOf(settings, 'rack-2')).toEqual({ kind: 'version', version: '10.0.2' });
    // How the CLI of a task gets it: one variable.
    expect(JSON.parse(settings.env.QEMU_LAB_HOST_QEMU ?? '')).toEqual({ local: '11.1', 'rack-1': '/opt/qemu/bin/qemu-system-x86_64', '*': '10.0.2' });
    expect(settings.problems).toEqual([]);
  });

  it('a hostQemu setting replaces a QEMU_LAB_HOST_QEMU of the environment; an empty one leaves it', () => {
    const env = { ...base, QEMU_LAB_HOST_QEMU: '{"local":"10.0"}' };
    expect(qemuOf(readLabSettings({ ...unset, hostQemu: { '*': '11.1' } }, env), 'local')).toEqual({ kind: 'version', version: '11.1' });
    expect(qemuOf(readLabSettings(unset, env), 'local')).toEqual({ kind: 'version', version: '10.0' });
  });

  it('ignores a QEMU that is no version and no absolute path, or an option in disguise', () => {
    const settings = readLabSettings({ ...unset, hostQemu: { local: 'qemu-system-x86_64', b: '-version', c: '/opt/../bin/sh', d: 7 } }, base);
    expect(['local', 'b', 'c', 'd'].map((host) => qemuOf(settings, host))).toEqual([undefined, undefined, undefined, undefined]);
    expect(settings.problems).toHaveLength(4);
    expect(settings.problems[0]).toMatch(/^qemuLab\.hostQemu\["local"\] is ignored: write a QEMU version/);
  });

  it('refuses a hostQemu that is not an object', () => {
    const settings = readLabSettings({ ...unset, hostQemu: ['11.1'] }, base);
    expect(qemuOf(settings, 'local')).toBeUndefined();
    expect(settings.problems).toEqual([expect.stringMatching(/^qemuLab\.hostQemu is ignored: write an object/)]);
  });
});

describe('sameLabSettings and describeLabSettings', () => {
  it('a reading that changes no QEMU and no folder is the same; an invalid value changes nothing', () => {
    const first = readLabSettings({ ...unset, hostQemu: { local: '11.1' } }, base);
    expect(sameLabSettings(first, readLabSettings({ ...unset, hostQemu: { local: ' 11.1 ' } }, base))).toBe(true);
    expect(sameLabSettings(readLabSettings(unset, base), readLabSettings({ ...unset, stateDirectory: 'relative' }, base))).toBe(true);
  });

  it('a QEMU, a folder or the remote folder that changes is not the same', () => {
    const first = readLabSettings(unset, base);
    expect(sameLabSettings(first, readLabSettings({ ...unset, hostQemu: { local: '11.1' } }, base))).toBe(false);
    expect(sameLabSettings(first, readLabSettings({ ...unset, cacheDirectory: '/c' }, base))).toBe(false);
    expect(sameLabSettings(first, readLabSettings({ ...unset, remoteStateDirectory: '/srv/qemu-lab' }, base))).toBe(false);
  });

  it('names each variable the settings feed, with its value or unset', () => {
    expect(describeLabSettings(readLabSettings({ ...unset, hostQemu: { local: '11.1' } }, base))).toBe(
      'QEMU_LAB_HOST_QEMU={"local":"11.1"}, QEMU_LAB_STATE_DIR=/from/env/state, QEMU_LAB_CACHE_DIR=unset, QEMU_LAB_REMOTE_STATE_DIR=unset',
    );
  });
});
