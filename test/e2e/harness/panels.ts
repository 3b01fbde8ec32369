// Helpers scenarios share to look into the workbench: a webview's charts, and quick inputs.
import type { FrameLocator } from 'playwright-core';
import { waitFor, type Workbench } from './workbench';

/** Pixels of the `index`th canvas that differ from its corner (the background the chart fills first). */
export async function paintedPixels(frame: FrameLocator, index = 0): Promise<number> {
  return frame
    .locator('canvas')
    .nth(index)
    .evaluate((canvas: HTMLCanvasElement) => {
      const context = canvas.getContext('2d');
      if (context === null || canvas.width === 0 || canvas.height === 0) return 0;
      const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) painted += 1;
      }
      return painted;
    });
}

/** Waits for the quick input whose title contains `title`. */
export async function quickInput(workbench: Workbench, title: string): Promise<void> {
  await waitFor(`the "${title}" quick input`, async () => ((await workbench.page.locator('.quick-input-widget .quick-input-title').innerText().catch(() => '')).includes(title) ? true : undefined), {
    timeoutMs: 15_000,
  });
}
