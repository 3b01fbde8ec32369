/**
 * Redraws a panel when VS Code changes the theme: it updates the colour variables on <html> and
 * the theme class on <body>, and charts drawn on a canvas do not follow CSS by themselves.
 */

/** Calls `draw` once per animation frame after the theme changed; returns what stops watching. */
export function redrawOnThemeChange(draw: () => void): () => void {
  let pending: number | undefined;
  const observer = new MutationObserver(() => {
    if (pending !== undefined) cancelAnimationFrame(pending);
    pending = requestAnimationFrame(() => {
      pending = undefined;
      draw();
    });
  });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  return () => observer.disconnect();
}
