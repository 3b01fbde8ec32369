import { describe, expect, it } from 'vitest';
import {
  QmpDeserializationError,
  QmpOversizedMessageError,
  QmpProtocolError,
  QmpUnexpectedMessageError,
} from '../../../extension/core/infrastructure/qmp/errors';
import { DEFAULT_MAX_MESSAGE_BYTES, type QmpFrame, QmpFramer } from '../../../extension/core/infrastructure/qmp/framer';

const GREETING =
  '{"QMP": {"version": {"qemu": {"micro": 22, "minor": 2, "major": 7}, "package": "Debian"}, "capabilities": ["oob"]}}\r\n';
const STOP = '{"timestamp": {"seconds": 1, "microseconds": 2}, "event": "STOP"}\r\n';
const RETURN = '{"return": {}, "id": "qemu-lab#1"}\r\n';

/** Pushes every chunk, failing the test on any error; returns all frames. */
function feed(framer: QmpFramer, chunks: readonly (string | Uint8Array)[]): QmpFrame[] {
  const frames: QmpFrame[] = [];
  for (const chunk of chunks) {
    const result = framer.push(chunk);
    expect(result.error).toBeUndefined();
    frames.push(...result.frames);
  }
  return frames;
}

function bytesOf(text: string): Uint8Array[] {
  return [...Buffer.from(text, 'utf8')].map((byte) => Uint8Array.of(byte));
}

describe('QmpFramer', () => {
  it('decodes one message per line and strips the \\r\\n', () => {
    const frames = feed(new QmpFramer(), [GREETING]);
    expect(frames).toHaveLength(1);
    expect(frames[0]?.text).toBe(GREETING.slice(0, -2));
    expect(frames[0]?.message).toEqual(JSON.parse(GREETING));
  });

  it('survives input fed byte by byte', () => {
    const framer = new QmpFramer();
    const text = GREETING + RETURN + STOP;
    const frames = feed(framer, bytesOf(text));
    expect(frames.map((frame) => frame.message)).toEqual([JSON.parse(GREETING), JSON.parse(RETURN), JSON.parse(STOP)]);
    expect(framer.bufferedBytes).toBe(0);
  });

  it('returns every message of a chunk holding several, keeping a trailing partial line', () => {
    const framer = new QmpFramer();
    const text = GREETING + RETURN + STOP;
    const cut = text.length - 10;
    const first = framer.push(text.slice(0, cut));
    expect(first.frames.map((frame) => frame.message)).toEqual([JSON.parse(GREETING), JSON.parse(RETURN)]);
    expect(framer.bufferedBytes).toBeGreaterThan(0);
    const second = framer.push(text.slice(cut));
    expect(second.frames.map((frame) => frame.message)).toEqual([JSON.parse(STOP)]);
  });

  it('accepts \\n alone, and skips blank lines', () => {
    const frames = feed(new QmpFramer(), ['\r\n\n{"return": 1}\n   \r\n{"return": 2}\n']);
    expect(frames.map((frame) => frame.message)).toEqual([{ return: 1 }, { return: 2 }]);
  });

  it('reassembles multi-byte UTF-8 split across chunks, at every split point', () => {
    const desc = 'naïve — 日本語 😀 ünïcödé';
    const line = `${JSON.stringify({ error: { class: 'GenericError', desc }, id: 'x' })}\r\n`;
    const bytes = Buffer.from(line, 'utf8');
    for (let split = 1; split < bytes.length; split += 1) {
      const frames = feed(new QmpFramer(), [bytes.subarray(0, split), bytes.subarray(split)]);
      expect(frames).toHaveLength(1);
      expect(frames[0]?.message).toEqual({ error: { class: 'GenericError', desc }, id: 'x' });
    }
    // And a 4-byte character fed one byte at a time.
    const emoji = feed(new QmpFramer(), bytesOf('{"return": "😀"}\n'));
    expect(emoji[0]?.message).toEqual({ return: '😀' });
  });

  it('does not keep a reference to the caller’s chunk', () => {
    const framer = new QmpFramer();
    const chunk = Buffer.from('{"return": "abc"', 'utf8');
    framer.push(chunk);
    chunk.fill(0x20);
    const frames = feed(framer, ['}\n']);
    expect(frames[0]?.message).toEqual({ return: 'abc' });
  });

  it('reports garbage as a deserialization error, after the messages before it', () => {
    const framer = new QmpFramer();
    const result = framer.push(`${RETURN}\x00\x01garbage!\r\n${STOP}`);
    expect(result.frames.map((frame) => frame.message)).toEqual([JSON.parse(RETURN)]);
    expect(result.error).toBeInstanceOf(QmpDeserializationError);
    expect(result.error).toBeInstanceOf(QmpProtocolError);
    expect((result.error as QmpDeserializationError).excerpt).toContain('garbage!');
    // The framer stays failed.
    const after = framer.push(STOP);
    expect(after.frames).toEqual([]);
    expect(after.error).toBe(result.error);
    expect(framer.error).toBe(result.error);
  });

  it('reports invalid UTF-8 instead of substituting U+FFFD', () => {
    const result = new QmpFramer().push(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d, 0x0a]));
    expect(result.error).toBeInstanceOf(QmpDeserializationError);
    expect(result.error?.message).toMatch(/UTF-8/);
  });

  it('reports JSON that is not an object as an unexpected message', () => {
    for (const line of ['[1, 2]\n', '42\n', 'null\n', '"text"\n']) {
      const result = new QmpFramer().push(line);
      expect(result.error).toBeInstanceOf(QmpUnexpectedMessageError);
    }
  });

  it('fails on a partial line that grows past the cap, without buffering it', () => {
    const framer = new QmpFramer({ maxMessageBytes: 1024 });
    const first = framer.push(`{"return": "${'a'.repeat(1000)}`);
    expect(first.error).toBeUndefined();
    const second = framer.push('a'.repeat(100));
    expect(second.error).toBeInstanceOf(QmpOversizedMessageError);
    expect((second.error as QmpOversizedMessageError).limitBytes).toBe(1024);
    expect(framer.bufferedBytes).toBe(0);
  });

  it('fails on a complete line longer than the cap, and accepts one exactly at it', () => {
    const body = (length: number): string => {
      const prefix = '{"return": "';
      const suffix = '"}';
      return prefix + 'x'.repeat(length - prefix.length - suffix.length) + suffix;
    };
    expect(new QmpFramer({ maxMessageBytes: 100 }).push(`${body(100)}\n`).error).toBeUndefined();
    expect(new QmpFramer({ maxMessageBytes: 100 }).push(`${body(101)}\n`).error).toBeInstanceOf(QmpOversizedMessageError);
  });

  it('caps at 16 MiB by default', () => {
    expect(DEFAULT_MAX_MESSAGE_BYTES).toBe(16 * 1024 * 1024);
    const framer = new QmpFramer();
    const big = Buffer.alloc(DEFAULT_MAX_MESSAGE_BYTES, 0x61);
    expect(framer.push(big).error).toBeUndefined();
    expect(framer.bufferedBytes).toBe(DEFAULT_MAX_MESSAGE_BYTES);
    expect(framer.push('a').error).toBeInstanceOf(QmpOversizedMessageError);
  });

  it('on end, decodes a whole last line without newline and rejects a truncated one', () => {
    const whole = new QmpFramer();
    feed(whole, ['{"return": {}}']);
    expect(whole.end().frames.map((frame) => frame.message)).toEqual([{ return: {} }]);

    const cut = new QmpFramer();
    feed(cut, ['{"return": {']);
    const ended = cut.end();
    expect(ended.error).toBeInstanceOf(QmpDeserializationError);
    expect(ended.error?.message).toMatch(/ended in the middle/);

    expect(new QmpFramer().end()).toEqual({ frames: [], error: undefined });
  });

  it('rejects a non-positive cap', () => {
    expect(() => new QmpFramer({ maxMessageBytes: 0 })).toThrow(RangeError);
  });
});
