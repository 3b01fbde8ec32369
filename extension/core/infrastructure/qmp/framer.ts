/**
 * Turns the bytes of a QMP stream into messages. Pure and incremental: feed it chunks as they
 * arrive, in any sizes, and it returns the complete messages so far. No sockets here.
 */
import {
  QmpDeserializationError,
  QmpOversizedMessageError,
  type QmpProtocolError,
  QmpUnexpectedMessageError,
} from './errors';
import { parseFiniteJson } from '../support/finite-json';
import type { QmpObject, QmpValue } from './messages';

/** Default cap on one message, in bytes: 16 MiB. A longer line is a protocol error, never buffered. */
export const DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/** One received message, with its line as text (no line terminator) for tracing. */
export interface QmpFrame {
  readonly text: string;
  readonly message: QmpObject;
}

/**
 * What one {@link QmpFramer.push} produced: the messages completed by the chunk, in order, and
 * the protocol error that stopped the framer, if any. Messages before the bad line are still
 * returned, so a reply that arrived just before garbage is not lost.
 */
export interface QmpFramerResult {
  readonly frames: readonly QmpFrame[];
  readonly error: QmpProtocolError | undefined;
}

const NEWLINE = 0x0a;
const EXCERPT_CHARS = 200;

/**
 * Incremental decoder for newline-delimited JSON as QMP sends it (QEMU ends lines with `\r\n`).
 *
 * - Partial lines are kept until their newline arrives; several lines in one chunk all come out.
 * - Lines are split on the newline *byte* and decoded only when complete. In UTF-8 the byte
 *   0x0A never occurs inside a multi-byte character, so this is safe, and a character split
 *   across chunks is simply decoded whole later (the job `StringDecoder` would do, without its
 *   silent U+FFFD substitution: invalid UTF-8 is reported as a {@link QmpDeserializationError}).
 * - The line being assembled is capped at `maxMessageBytes`: when a line would grow past it the
 *   framer fails with a {@link QmpOversizedMessageError} instead of buffering more.
 * - A line that is not JSON (or holds a number out of range, `1e999`) is a
 *   {@link QmpDeserializationError}; JSON that is not an object is
 *   a {@link QmpUnexpectedMessageError}. Blank lines are ignored.
 *
 * After an error the framer stays failed: every later call returns the same error and no
 * frames, since nothing after a framing error can be trusted.
 */
export class QmpFramer {
  /** The largest line accepted, in bytes, not counting the newline. */
  readonly maxMessageBytes: number;
  private pieces: Buffer[] = [];
  private pendingBytes = 0;
  private failure: QmpProtocolError | undefined;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  constructor(options?: { maxMessageBytes?: number }) {
    this.maxMessageBytes = options?.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    if (!(this.maxMessageBytes > 0)) throw new RangeError('maxMessageBytes must be positive');
  }

  /** Bytes held for the line not yet complete. */
  get bufferedBytes(): number {
    return this.pendingBytes;
  }

  /** The error that stopped this framer, if one did. */
  get error(): QmpProtocolError | undefined {
    return this.failure;
  }

  /** Feeds one chunk. Strings are taken as UTF-8 text. */
  push(chunk: Uint8Array | string): QmpFramerResult {
    if (this.failure !== undefined) return { frames: [], error: this.failure };
    const bytes =
      typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const frames: QmpFrame[] = [];
    let start = 0;
    for (;;) {
      const newline = bytes.indexOf(NEWLINE, start);
      if (newline === -1) break;
      const lineBytes = this.pendingBytes + (newline - start);
      if (lineBytes > this.maxMessageBytes) return this.fail(new QmpOversizedMessageError(this.maxMessageBytes), frames);
      let line: Buffer;
      if (this.pieces.length === 0) {
        line = bytes.subarray(start, newline);
      } else {
        this.pieces.push(bytes.subarray(start, newline));
        line = Buffer.concat(this.pieces, lineBytes);
        this.pieces = [];
        this.pendingBytes = 0;
      }
      start = newline + 1;
      const decoded = this.decodeLine(line);
      if (decoded instanceof Error) return this.fail(decoded, frames);
      if (decoded !== undefined) frames.push(decoded);
    }
    const rest = bytes.length - start;
    if (rest > 0) {
      if (this.pendingBytes + rest > this.maxMessageBytes) {
        return this.fail(new QmpOversizedMessageError(this.maxMessageBytes), frames);
      }
      // Copy: the caller may reuse its chunk's memory once we return.
      this.pieces.push(Buffer.from(bytes.subarray(start)));
      this.pendingBytes += rest;
    }
    return { frames, error: undefined };
  }

  /**
   * The stream has ended. A last line without its newline is decoded if it is whole JSON; a
   * truncated one is a {@link QmpDeserializationError}. The framer is empty afterwards.
   */
  end(): QmpFramerResult {
    if (this.failure !== undefined) return { frames: [], error: this.failure };
    if (this.pendingBytes === 0) return { frames: [], error: undefined };
    const line = Buffer.concat(this.pieces, this.pendingBytes);
    this.pieces = [];
    this.pendingBytes = 0;
    const decoded = this.decodeLine(line);
    if (decoded instanceof QmpDeserializationError) {
      const cut = new QmpDeserializationError('The QMP connection ended in the middle of a message', {
        excerpt: decoded.excerpt,
        cause: decoded,
      });
      return this.fail(cut, []);
    }
    if (decoded instanceof Error) return this.fail(decoded, []);
    return { frames: decoded === undefined ? [] : [decoded], error: undefined };
  }

  private fail(error: QmpProtocolError, frames: QmpFrame[]): QmpFramerResult {
    this.failure = error;
    this.pieces = [];
    this.pendingBytes = 0;
    return { frames, error };
  }

  /** One complete line: a frame, undefined for a blank line, or the error it is. */
  private decodeLine(line: Buffer): QmpFrame | QmpProtocolError | undefined {
    let text: string;
    try {
      text = this.decoder.decode(line);
    } catch (cause) {
      return new QmpDeserializationError('A QMP message is not valid UTF-8', {
        excerpt: line.subarray(0, EXCERPT_CHARS).toString('latin1'),
        cause,
        hint: 'The peer is probably not QEMU (or the stream is corrupted).',
      });
    }
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text.trim() === '') return undefined;
    let value: unknown;
    try {
      value = parseFiniteJson(text);
    } catch (cause) {
      return new QmpDeserializationError(`A QMP message is not valid JSON: ${excerpt(text)}`, {
        excerpt: excerpt(text),
        cause,
        hint: 'The peer is probably not QEMU (or the stream is corrupted).',
      });
    }
    if (!isJsonObject(value)) {
      return new QmpUnexpectedMessageError(`A QMP message is not a JSON object: ${excerpt(text)}`, {
        received: value as QmpValue,
        hint: 'QMP only sends JSON objects; the peer is probably not QEMU.',
      });
    }
    return { text, message: value };
  }
}

/** A value that came out of JSON.parse and is an object (so a QMP object). */
function isJsonObject(value: unknown): value is QmpObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function excerpt(text: string): string {
  return text.length <= EXCERPT_CHARS ? text : `${text.slice(0, EXCERPT_CHARS)}…`;
}
