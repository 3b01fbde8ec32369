/**
 * What every panel's webview script does first: adopt its style sheet, and report problems both
 * to the browser console and to the extension's log channel; and the theme's chart colours.
 */
import type { LogMessage } from './protocol';
import { readPalette, type Palette } from './theme';

/** Adopts `css` as a constructed style sheet (the CSP allows no inline styles). */
export function adoptPanelStyles(css: string): void {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

/** A logger for panel `name` that also posts what it logs (shortened) to the extension. */
export function panelLogger(name: string, post: (message: LogMessage) => void): (level: 'warn' | 'error', message: string) => void {
  return (level, message) => {
    console[level](`QEMU Lab ${name}: ${message}`);
    post({ type: 'log', level, message: message.slice(0, 2000) });
  };
}

/** The chart colours of the theme in effect now. */
export function currentPalette(): Palette {
  const style = getComputedStyle(document.documentElement);
  return readPalette((name) => style.getPropertyValue(name));
}
