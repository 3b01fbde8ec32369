import { describe, expect, it } from 'vitest';
import { GuestBuildError } from '../../../extension/core/errors';
import { buildGuest, findCachedGuest } from '../../../extension/core/machines/guest-image/build';

describe('buildGuest / findCachedGuest', () => {
  it('stop before running anything when the signal has already fired', async () => {
    const signal = AbortSignal.abort();
    await expect(buildGuest({ signal, cacheRoot: '/nonexistent/qemu-lab', env: process.env })).rejects.toThrow(GuestBuildError);
    await expect(buildGuest({ signal, cacheRoot: '/nonexistent/qemu-lab', env: process.env })).rejects.toThrow(/cancelled/);
    await expect(findCachedGuest({ signal, cacheRoot: '/nonexistent/qemu-lab', env: process.env })).rejects.toThrow(/cancelled/);
  });
});
