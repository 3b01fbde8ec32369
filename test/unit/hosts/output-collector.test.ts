import { describe, expect, it } from 'vitest';
import { OUTPUT_TAIL_CHARS, OutputCollector } from '../../../extension/core/infrastructure/hosts/output-collector';
import { runProgram } from '../../../extension/core/infrastructure/hosts/system/run-program';
import { LocalHostSystem } from '../../../extension/core/infrastructure/hosts/system/host-system';
import { LocalTransport } from '../../../extension/core/infrastructure/hosts/transports/local-transport';

// `seq 1 300000` prints 1.9 MB: a stand-in for hours of `virsh event --loop`.
const LINES = 300_000;
const expectedLength = Array.from({ length: LINES }, (_, i) => String(i + 1).length + 1).reduce((a, b) => a + b, 0);

describe('OutputCollector', () => {
  it('keeps all of a stream by default, whole characters only', () => {
    const pieces: string[] = [];
    const all = new OutputCollector((piece) => pieces.push(piece));
    const bytes = Buffer.from('a✓b');
    all.push(bytes.subarray(0, 2)); // Ends inside ✓ (3 bytes).
    all.push(bytes.subarray(2));
    all.end();
    expect(all.text).toBe('a✓b');
    expect(pieces).toEqual(['a', '✓b']);
  });

  it('in tail mode keeps only the last characters, and passes every piece on', () => {
    let passed = 0;
    const tail = new OutputCollector((piece) => (passed += piece.length), 'tail');
    for (let i = 0; i < 1000; i += 1) tail.push(Buffer.from(`line ${i}\n`));
    tail.push(Buffer.from('x'.repeat(OUTPUT_TAIL_CHARS * 3)));
    tail.push(Buffer.from('\nthe end\n'));
    tail.end();
    expect(passed).toBeGreaterThan(OUTPUT_TAIL_CHARS * 3);
    expect(tail.text).toHaveLength(OUTPUT_TAIL_CHARS);
    expect(tail.text.endsWith('x\nthe end\n')).toBe(true);
    // Short output is kept whole.
    const short = new OutputCollector(undefined, 'tail');
    short.push(Buffer.from('error: oops\n'));
    expect(short.text).toBe('error: oops\n');
  });
});

describe('a streamed run keeps no stdout (real processes)', () => {
  it('runProgram (this machine\'s HostSystem): every piece to onStdout, only the end in the result', async () => {
    let streamed = 0;
    const result = await new LocalHostSystem().run('seq', ['1', String(LINES)], { onStdout: (text) => (streamed += text.length), keepStdout: 'tail' });
    expect(streamed).toBe(expectedLength);
    expect(result.stdout.length).toBeLessThanOrEqual(OUTPUT_TAIL_CHARS);
    expect(result.stdout.endsWith(`${LINES - 1}\n${LINES}\n`)).toBe(true);
    // Without the option all of it is kept, as before.
    expect((await runProgram('seq', ['1', String(LINES)])).stdout).toHaveLength(expectedLength);
  });

  it('LocalTransport (the transports\' collector, as over SSH): the same', async () => {
    const transport = new LocalTransport();
    let streamed = 0;
    const result = await transport.run('seq', ['1', String(LINES)], { onStdout: (text) => (streamed += text.length), keepStdout: 'tail' });
    expect(streamed).toBe(expectedLength);
    expect(result.stdout.length).toBeLessThanOrEqual(OUTPUT_TAIL_CHARS);
    expect(result.stdout.endsWith(`${LINES}\n`)).toBe(true);
    expect((await transport.run('seq', ['1', String(LINES)])).stdout).toHaveLength(expectedLength);
  });
});
