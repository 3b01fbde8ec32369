import { describe, expect, it } from 'vitest';
import { describeLocation, destinationLocation, sameLocation } from '../../../extension/core/migration/location';

describe('where the destination QEMU lives', () => {
  it("is the destination host's usual directory on a first move to another host", () => {
    expect(destinationLocation({ host: 'local' }, { host: 'local' }, 'lab-b')).toEqual({ host: 'lab-b' });
  });

  it('is a slot of its own on the same host', () => {
    expect(destinationLocation({ host: 'local' }, { host: 'local' }, 'local')).toEqual({ host: 'local', slot: 'b' });
  });

  it('never takes over the home while it points at the VM, nor the source', () => {
    // Moved to local (slot b) before; moving again on the same host: neither home nor b.
    expect(destinationLocation({ host: 'local' }, { host: 'local', slot: 'b' }, 'local')).toEqual({ host: 'local', slot: 'c' });
    // Moved to lab-b before; coming home: the home holds the pointer, so slot b.
    expect(destinationLocation({ host: 'local' }, { host: 'lab-b' }, 'local')).toEqual({ host: 'local', slot: 'b' });
    // Moved to lab-b, then on to lab-c, then back to lab-b: its usual directory is free again.
    expect(destinationLocation({ host: 'local' }, { host: 'lab-c' }, 'lab-b')).toEqual({ host: 'lab-b' });
  });

  it('is compared and described', () => {
    expect(sameLocation({ host: 'a' }, { host: 'a', slot: undefined })).toBe(true);
    expect(sameLocation({ host: 'a' }, { host: 'a', slot: 'b' })).toBe(false);
    expect(describeLocation({ host: 'local', slot: 'b' })).toBe('local (slot b)');
    expect(describeLocation({ host: 'lab-b' })).toBe('lab-b');
  });
});
