import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QmpError } from '../../../extension/core/infrastructure/qmp/errors';
import { QmpFramer } from '../../../extension/core/infrastructure/qmp/framer';
import { expectFiniteNumbers, hostileJsonValue, jsonTextOf } from '../../support/fuzz';

// What a QMP socket sends is outside input (a guest can make QEMU say odd things; the socket may
// not even be QEMU's). The framer returns frames or a QmpError, never throws, and the messages it
// returns hold no NaN or infinite number, however the bytes are split into chunks.
const greeting = '{"QMP": {"version": {"qemu": {"micro": 0, "minor": 2, "major": 8}, "package": ""}, "capabilities": ["oob"]}}\r\n';
const lines = fc.oneof(
  fc.constant(greeting),
  hostileJsonValue.map((value) => `${jsonTextOf({ return: value })}\r\n`),
  hostileJsonValue.map((value) => `${jsonTextOf(value)}\n`),
  fc.string({ maxLength: 80 }).map((text) => `${text}\n`),
  fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
);
const stream = fc.tuple(fc.array(lines, { minLength: 1, maxLength: 8 }), fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 10 }));

describe('QMP framer on hostile streams', () => {
  it('frames or fails with a QmpError, never throws, and passes on no NaN or Infinity', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(stream, fc.integer({ min: 16, max: 4096 }), ([parts, cuts], maxMessageBytes) => {
        const bytes = Buffer.from(parts.join(''), 'latin1');
        const framer = new QmpFramer({ maxMessageBytes });
        let at = 0;
        let cut = 0;
        const results = [];
        while (at < bytes.length) {
          const size = cuts[cut++ % cuts.length] ?? 1;
          results.push(framer.push(bytes.subarray(at, at + size)));
          at += size;
        }
        results.push(framer.end());
        for (const result of results) {
          if (result.error !== undefined) expect(result.error).toBeInstanceOf(QmpError);
          for (const frame of result.frames) {
            expect(typeof frame.message).toBe('object');
            expectFiniteNumbers(frame.message);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});
