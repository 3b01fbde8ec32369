import { describe, expect, it } from 'vitest';
import { QmpNegotiationError, QmpUnexpectedMessageError } from '../../../extension/core/infrastructure/qmp/errors';
import { negotiationStep, readGreeting } from '../../../extension/core/infrastructure/qmp/handshake';
import { classifyMessage, type QmpObject } from '../../../extension/core/infrastructure/qmp/messages';

const greeting: QmpObject = {
  QMP: { version: { qemu: { micro: 0, minor: 2, major: 8 }, package: '' }, capabilities: ['oob'] },
};

/** The step a message as received means, with `1` as the negotiation's id. */
function step(message: QmpObject): ReturnType<typeof negotiationStep> {
  return negotiationStep('vm1.qmp', classifyMessage(message), message, 1);
}

describe('readGreeting', () => {
  it('reads a QMP greeting', () => {
    const read = readGreeting('vm1.qmp', greeting);
    expect(read.kind).toBe('greeting');
    expect(read.kind === 'greeting' ? read.greeting : undefined).toMatchObject({
      version: { qemu: { major: 8, minor: 2, micro: 0 } },
      capabilities: ['oob'],
    });
  });

  it('an event ahead of the greeting (QEMU 7.2 right after an earlier client) is delivered, not fatal', () => {
    // As captured in a CI run: a new connection to a COLO primary got this before its greeting.
    const read = readGreeting('vm1.qmp', {
      timestamp: { seconds: 1796233397, microseconds: 386643 },
      event: 'BLOCK_JOB_READY',
      data: { device: 'colo-resync', len: 67108864, offset: 67108864, speed: 0, type: 'mirror' },
    });
    expect(read.kind).toBe('event');
    expect(read.kind === 'event' ? read.event : undefined).toMatchObject({
      event: 'BLOCK_JOB_READY',
      data: { device: 'colo-resync' },
      timestamp: { seconds: 1796233397, microseconds: 386643 },
    });
  });

  it('refuses a message that is no greeting, naming the peer and what it sent', () => {
    const read = readGreeting('vm1.qmp', { return: {} });
    expect(read.kind).toBe('failed');
    const error = read.kind === 'failed' ? read.error : undefined;
    expect(error).toBeInstanceOf(QmpNegotiationError);
    expect(error?.message).toMatch(/^vm1\.qmp sent .*return.* where the QMP greeting was expected$/);
    expect(error?.cause).toBeInstanceOf(QmpUnexpectedMessageError);
  });

  it('refuses a malformed event ahead of the greeting as no greeting', () => {
    const read = readGreeting('vm1.qmp', { event: 42 });
    expect(read.kind).toBe('failed');
    expect(read.kind === 'failed' ? read.error.message : '').toMatch(/where the QMP greeting was expected/);
  });

  it('refuses a malformed greeting with the parser\'s error', () => {
    const read = readGreeting('vm1.qmp', { QMP: { capabilities: [] } });
    expect(read.kind).toBe('failed');
    const error = read.kind === 'failed' ? read.error : undefined;
    expect(error).toBeInstanceOf(QmpNegotiationError);
    expect(error?.message).toMatch(/QMP\.version/);
  });
});

describe('negotiationStep', () => {
  it('an event meanwhile is delivered, the negotiation goes on', () => {
    const s = step({ event: 'RESUME', timestamp: { seconds: 1, microseconds: 2 } });
    expect(s.kind).toBe('event');
    expect(s.kind === 'event' ? s.event.event : undefined).toBe('RESUME');
  });

  it('the reply with the negotiation id ends it', () => {
    expect(step({ return: {}, id: 1 })).toEqual({ kind: 'negotiated' });
  });

  it('a refusal fails with QEMU\'s error class', () => {
    const s = step({ error: { class: 'CommandNotFound', desc: 'nope' }, id: 1 });
    expect(s.kind).toBe('failed');
    const error = s.kind === 'failed' ? s.error : undefined;
    expect(error).toBeInstanceOf(QmpNegotiationError);
    expect(error?.message).toBe('QEMU at vm1.qmp refused qmp_capabilities (CommandNotFound): nope');
  });

  it('a reply to another id, or a second greeting, fails the negotiation', () => {
    for (const message of [{ return: {}, id: 'other' }, greeting]) {
      const s = step(message);
      expect(s.kind).toBe('failed');
      expect(s.kind === 'failed' ? s.error.message : '').toMatch(/^vm1\.qmp sent .* while negotiating capabilities$/);
    }
  });
});
