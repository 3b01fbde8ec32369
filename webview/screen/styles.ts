/** The screen panel's styles beyond the shared PANEL_CSS (theme variables only): the screen fills the panel under its toolbar. */
export const SCREEN_CSS = `
html, body { height: 100%; }
body { padding: 0; display: flex; flex-direction: column; overflow: hidden; }
.screen-bar { display: flex; flex-wrap: wrap; gap: 6px 12px; align-items: center; padding: 6px 12px; border-bottom: 1px solid var(--vscode-panel-border, rgba(128, 128, 128, 0.35)); }
.screen-bar .title { font-weight: 600; }
.screen-bar .status { color: var(--vscode-descriptionForeground); flex: 1 1 auto; }
.screen-bar .status.failed { color: var(--vscode-errorForeground); }
.screen-bar input { background: var(--vscode-input-background); color: var(--vscode-input-foreground); border: 1px solid var(--vscode-input-border, transparent); padding: 2px 6px; min-width: 16em; }
.screen { flex: 1 1 auto; min-height: 0; position: relative; background: #000; }
`;
