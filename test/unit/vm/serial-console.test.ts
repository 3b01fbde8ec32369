import { describe, expect, it } from 'vitest';
import { toTerminalText } from '../../../extension/core/machines/vm/serial-console';

describe('toTerminalText', () => {
  it('turns lone LF into CRLF and leaves CRLF alone', () => {
    expect(toTerminalText('a\nb\r\nc\n')).toBe('a\r\nb\r\nc\r\n');
  });
});
