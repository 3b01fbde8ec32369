import { describe, expect, it } from 'vitest';
import { QemuLabError } from '../../../extension/core/errors';
import {
  QmpConnectError,
  QmpDeserializationError,
  QmpError,
  QmpExecuteError,
  QmpInterruptedError,
  QmpNegotiationError,
  QmpOversizedMessageError,
  QmpProtocolError,
  QmpStateError,
  QmpTimeoutError,
  QmpUnexpectedMessageError,
} from '../../../extension/core/infrastructure/qmp/errors';
import {
  buildCommand,
  classifyMessage,
  parseGreeting,
  type QmpObject,
  serializeCommand,
} from '../../../extension/core/infrastructure/qmp/messages';
import { requireRunState } from '../../../extension/core/infrastructure/qmp/run-state';

const greeting: QmpObject = {
  QMP: { version: { qemu: { micro: 22, minor: 2, major: 7 }, package: 'Debian 1:7.2' }, capabilities: ['oob'] },
};

describe('buildCommand / serializeCommand', () => {
  it('builds a command with id, omitting absent arguments', () => {
    expect(buildCommand(1, 'query-status')).toEqual({ execute: 'query-status', id: 1 });
    expect('arguments' in buildCommand(1, 'query-status')).toBe(false);
    expect(buildCommand(2, 'migrate', { uri: 'tcp:0:4444', detach: true })).toEqual({
      execute: 'migrate',
      arguments: { uri: 'tcp:0:4444', detach: true },
      id: 2,
    });
  });

  it('serializes to exactly one line, even with newlines in strings', () => {
    const line = serializeCommand(buildCommand(3, 'human-monitor-command', { 'command-line': 'info\nstatus' }));
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(JSON.parse(line)).toEqual({ execute: 'human-monitor-command', arguments: { 'command-line': 'info\nstatus' }, id: 3 });
  });
});

describe('parseGreeting', () => {
  it('reads version and capabilities', () => {
    expect(parseGreeting(greeting)).toEqual({
      version: { qemu: { major: 7, minor: 2, micro: 22 }, package: 'Debian 1:7.2' },
      capabilities: ['oob'],
    });
  });

  it.each([
    ['no QMP', { hello: 1 }],
    ['no version', { QMP: { capabilities: [] } }],
    ['no qemu', { QMP: { version: { package: '' }, capabilities: [] } }],
    ['string major', { QMP: { version: { qemu: { major: '7', minor: 2, micro: 0 } }, capabilities: [] } }],
    ['fractional minor', { QMP: { version: { qemu: { major: 7, minor: 2.5, micro: 0 } }, capabilities: [] } }],
    ['capabilities not a list', { QMP: { version: { qemu: { major: 7, minor: 2, micro: 0 } }, capabilities: 'oob' } }],
    ['capability not a string', { QMP: { version: { qemu: { major: 7, minor: 2, micro: 0 } }, capabilities: [1] } }],
  ] as const)('rejects a greeting with %s', (_what, message) => {
    expect(() => parseGreeting(message)).toThrow(QmpNegotiationError);
  });

  it('defaults a missing package to empty', () => {
    const parsed = parseGreeting({ QMP: { version: { qemu: { major: 8, minor: 0, micro: 0 } }, capabilities: [] } });
    expect(parsed.version.package).toBe('');
  });
});

describe('classifyMessage', () => {
  it('sorts events, returns, errors and greetings', () => {
    expect(classifyMessage({ event: 'STOP', timestamp: { seconds: 1, microseconds: 2 } })).toEqual({
      kind: 'event',
      event: { event: 'STOP', data: {}, timestamp: { seconds: 1, microseconds: 2 } },
    });
    expect(classifyMessage({ return: { status: 'running' }, id: 'i' })).toEqual({
      kind: 'return',
      id: 'i',
      value: { status: 'running' },
    });
    expect(classifyMessage({ id: 'i', error: { class: 'CommandNotFound', desc: 'nope' } })).toEqual({
      kind: 'error',
      id: 'i',
      errorClass: 'CommandNotFound',
      desc: 'nope',
    });
    expect(classifyMessage(greeting).kind).toBe('greeting');
  });

  it.each([
    ['an unknown shape', { hello: 'world' }],
    ['a non-string event', { event: 5 }],
    ['event data that is not an object', { event: 'X', data: [1] }],
    ['a bad timestamp', { event: 'X', timestamp: { seconds: 'a' } }],
    ['an error that is not an object', { error: 'bad', id: 'i' }],
    ['an error without class', { error: { desc: 'd' }, id: 'i' }],
    ['an error without desc', { error: { class: 'c' }, id: 'i' }],
  ] as const)('rejects %s', (_what, message) => {
    expect(() => classifyMessage(message)).toThrow(QmpUnexpectedMessageError);
  });
});

describe('error tree', () => {
  it('roots every QMP error in QmpError and QemuLabError', () => {
    const errors: QmpError[] = [
      new QmpConnectError('c', { target: '/x' }),
      new QmpNegotiationError('n'),
      new QmpStateError('execute', 'idle', ['running']),
      new QmpExecuteError('nope', undefined, 'CommandNotFound', 'The command nope has not been found'),
      new QmpTimeoutError('t', { timeoutMs: 1 }),
      new QmpInterruptedError('i', { reason: 'disconnected' }),
      new QmpDeserializationError('d', { excerpt: '' }),
      new QmpUnexpectedMessageError('u', { received: null }),
      new QmpOversizedMessageError(10),
    ];
    for (const error of errors) {
      expect(error).toBeInstanceOf(QmpError);
      expect(error).toBeInstanceOf(QemuLabError);
      expect(error.name).toBe(error.constructor.name);
    }
    for (const error of errors.slice(-3)) expect(error).toBeInstanceOf(QmpProtocolError);
  });

  it('keeps what an execute error needs, with a hint for CommandNotFound', () => {
    const error = new QmpExecuteError('frob', { a: 1 }, 'CommandNotFound', 'The command frob has not been found');
    expect(error.errorClass).toBe('CommandNotFound');
    expect(error.desc).toBe('The command frob has not been found');
    expect(error.command).toBe('frob');
    expect(error.args).toEqual({ a: 1 });
    expect(error.message).toContain('frob');
    expect(error.hint).toContain('query-commands');
  });

  it('requireRunState throws a QmpStateError naming the action and states', () => {
    expect(() => requireRunState('running', ['running'], 'execute')).not.toThrow();
    try {
      requireRunState('idle', ['running'], "execute 'stop'");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(QmpStateError);
      const state = error as QmpStateError;
      expect(state.state).toBe('idle');
      expect(state.allowed).toEqual(['running']);
      expect(state.message).toContain("execute 'stop'");
      expect(state.hint).toBeDefined();
    }
  });
});
