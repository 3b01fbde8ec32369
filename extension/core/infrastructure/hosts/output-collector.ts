/** How a run's output is gathered: all of it as text, or (a long-lived, streamed run) only its end. */
import { StringDecoder } from 'node:string_decoder';

/**
 * What a run keeps of a stream: `all` of it (the result's text), or only its last
 * {@link OUTPUT_TAIL_CHARS} characters — for a program that streams for hours (`virsh event
 * --loop`), whose every piece went to a listener already and whose end is all an error message needs.
 */
export type KeepOutput = 'all' | 'tail';

/** How much of a stream `tail` keeps. */
export const OUTPUT_TAIL_CHARS = 4096;

/** Collects one output stream as text (UTF-8, never split inside a character), passing pieces on as they come. */
export class OutputCollector {
  private readonly decoder = new StringDecoder('utf8');
  private readonly parts: string[] = [];
  private tail = '';

  constructor(
    private readonly onChunk: ((chunk: string) => void) | undefined,
    private readonly keep: KeepOutput = 'all',
  ) {}

  push(chunk: Buffer): void {
    this.emit(this.decoder.write(chunk));
  }

  end(): void {
    this.emit(this.decoder.end());
  }

  /** All of it, or its end (`tail`). */
  get text(): string {
    return this.keep === 'tail' ? this.tail : this.parts.join('');
  }

  private emit(text: string): void {
    if (text === '') return;
    if (this.keep === 'tail') {
      const joined = text.length >= OUTPUT_TAIL_CHARS ? text : this.tail + text;
      this.tail = joined.length > OUTPUT_TAIL_CHARS ? joined.slice(-OUTPUT_TAIL_CHARS) : joined;
    } else {
      this.parts.push(text);
    }
    try {
      this.onChunk?.(text);
    } catch {
      // A listener's exception must not break the run.
    }
  }
}
