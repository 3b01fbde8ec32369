/**
 * Chart colours from the VS Code theme: the webview's document carries the theme's colours as
 * CSS variables (`--vscode-charts-blue`, `--vscode-foreground`, …) and updates them when the
 * theme changes. The fallbacks apply outside VS Code (a test page).
 */

/** The colours a chart is drawn with. */
export interface Palette {
  readonly foreground: string;
  /** Secondary text (axis titles). */
  readonly muted: string;
  /** Grid lines. */
  readonly grid: string;
  /** The canvas background (also in exported PNGs). */
  readonly background: string;
  /** The ratio notes ("KVM 9.6× faster than TCG"). */
  readonly accent: string;
  /** One colour per series, in order. */
  readonly series: readonly string[];
  readonly fontFamily: string;
}

/** The theme variables read, with what to use when one is not set. */
export const THEME_VARIABLES = {
  foreground: ['--vscode-foreground', '#cccccc'],
  muted: ['--vscode-descriptionForeground', '#9d9d9d'],
  grid: ['--vscode-charts-lines', 'rgba(128, 128, 128, 0.35)'],
  background: ['--vscode-editor-background', '#1e1e1e'],
  accent: ['--vscode-charts-orange', '#d18616'],
  fontFamily: ['--vscode-font-family', 'sans-serif'],
} as const;

/** The series colours, in order. */
export const SERIES_VARIABLES: readonly (readonly [string, string])[] = [
  ['--vscode-charts-blue', '#3794ff'],
  ['--vscode-charts-green', '#89d185'],
  ['--vscode-charts-purple', '#b180d7'],
  ['--vscode-charts-yellow', '#cca700'],
  ['--vscode-charts-red', '#f14c4c'],
  ['--vscode-charts-orange', '#d18616'],
];

/**
 * The palette, from a lookup of CSS variables (`name → value`, empty when unset) — in the
 * webview `(name) => getComputedStyle(document.documentElement).getPropertyValue(name)`.
 */
export function readPalette(lookup: (name: string) => string): Palette {
  const get = ([name, fallback]: readonly [string, string]) => lookup(name).trim() || fallback;
  return {
    foreground: get(THEME_VARIABLES.foreground),
    muted: get(THEME_VARIABLES.muted),
    grid: get(THEME_VARIABLES.grid),
    background: get(THEME_VARIABLES.background),
    accent: get(THEME_VARIABLES.accent),
    fontFamily: get(THEME_VARIABLES.fontFamily),
    series: SERIES_VARIABLES.map(get),
  };
}
