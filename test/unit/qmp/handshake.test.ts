import { describe, expect, it } from 'vitest';
import { QmpNegotiationError, QmpUnexpectedMessageError } from '../../../extension/core/infrastructure/qmp/errors';
import { negotiationStep, readGreeting } from '../../../extension/core/infrastructure/qmp/handshake';
import { classifyMessage, type QmpObject } from '../../../extension/core/infrastructure/qmp/messages';

const greeting: QmpObject = {
  QMP: { version: { qemu: { micro: 0, minor: 2, major: 8 }, package: '' }, capabilities: ['oob'] },
};

/** The step a message as received means, with `qemu-lab#1` as the negotiation's id. */
function step(message: QmpObject): ReturnType<typeof negotiationStep> {
  return negotiationStep('vm1.qmp', classifyMessage(message), message, 'qemu-lab#1');
}

describe('readGreeting', () => {
  it('reads a QMP greeting', () => {
    const read = readGreeting('vm1.qmp', greeting);
    expect(read).not.toBeInstanceOf(Error);
    expect(read).toMatchObject({ version: { qemu: { major: 8, minor: 2, micro: 0 } }, capabilities: ['oob'] });
  });

  it('refuses a message that is no greeting, naming the peer and what it sent', () => {
    const read = readGreeting('vm1.qmp', { return: {} });
    expect(read).toBeInstanceOf(QmpNegotiationError);
    expect((read as QmpNegotiationError).message).toMatch(/^vm1\.qmp sent .*return.* where the QMP greeting was expected$/);
    expect((read as QmpNegotiationError).cause).toBeInstanceOf(QmpUnexpectedMessageError);
  });

  it('refuses a malformed greeting with the parser\'s error', () => {
    const read = readGreeting('vm1.qmp', { QMP: { capabilities: [] } });
    expect(read).toBeInstanceOf(QmpNegotiationError);
    expect((read as QmpNegotiationError).message).toMatch(/QMP\.version/);
  });
});

describe('negotiationStep', () => {
  it('an event meanwhile is delivered, the negotiation goes on', () => {
    const s = step({ event: 'RESUME', timestamp: { seconds: 1, microseconds: 2 } });
    expect(s.kind).toBe('event');
    expect(s.kind === 'event' ? s.event.event : undefined).toBe('RESUME');
  });

  it('the reply with the negotiation id ends it', () => {
    expect(step({ return: {}, id: 'qemu-lab#1' })).toEqual({ kind: 'negotiated' });
  });

  it('a refusal fails with QEMU\'s error class', () => {
    const s = step({ error: { class: 'CommandNotFound', desc: 'nope' }, id: 'qemu-lab#1' });
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
