/**
 * The panel's stylesheet. Applied as a constructed stylesheet (`document.adoptedStyleSheets`),
 * so the Content-Security-Policy needs no 'unsafe-inline' for styles and no extra file ships.
 * Every colour is a VS Code theme variable.
 */
export const PANEL_CSS = `
body {
  padding: 0 20px 24px;
  color: var(--vscode-foreground);
  background: var(--vscode-editor-background);
  font-family: var(--vscode-font-family);
  font-size: var(--vscode-font-size);
}
h1 { font-size: 1.4em; font-weight: 600; margin: 16px 0 8px; }
h2 { font-size: 1.15em; font-weight: 600; margin: 24px 0 8px; }
.toolbar { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: flex-end; margin-bottom: 12px; }
.toolbar label { display: flex; flex-direction: column; gap: 4px; color: var(--vscode-descriptionForeground); }
.toolbar vscode-single-select { min-width: 220px; }
.toolbar .buttons { display: flex; flex-wrap: wrap; gap: 6px; }
.hint { color: var(--vscode-descriptionForeground); }
.network { margin: 4px 0; }
.warning {
  border-left: 3px solid var(--vscode-editorWarning-foreground, #cca700);
  padding: 4px 10px;
  margin: 8px 0;
  color: var(--vscode-foreground);
}
.progress {
  border: 1px solid var(--vscode-panel-border, rgba(128, 128, 128, 0.35));
  padding: 8px 12px;
  margin: 8px 0 12px;
}
.progress progress { width: 100%; accent-color: var(--vscode-progressBar-background); }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(440px, 1fr)); gap: 16px; }
.chart-card {
  margin: 0;
  padding: 12px;
  border: 1px solid var(--vscode-panel-border, rgba(128, 128, 128, 0.35));
  border-radius: 4px;
}
.chart-box { position: relative; height: 320px; }
.ratios, .host-ratios { margin: 8px 0 4px; padding-left: 18px; }
.ratio { color: var(--vscode-charts-orange, #d18616); font-weight: 600; }
.host-ratios li { color: var(--vscode-descriptionForeground); }
.chart-actions { display: flex; justify-content: flex-end; }
table { border-collapse: collapse; margin: 8px 0; }
th, td {
  border: 1px solid var(--vscode-panel-border, rgba(128, 128, 128, 0.35));
  padding: 4px 8px;
  text-align: left;
  vertical-align: top;
}
th { background: var(--vscode-editorWidget-background, transparent); font-weight: 600; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
code { font-family: var(--vscode-editor-font-family, monospace); }
.not-done li { margin: 2px 0; }
.status-failed { color: var(--vscode-errorForeground); font-weight: 600; }
.status-skipped { color: var(--vscode-descriptionForeground); font-weight: 600; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; }
dl.facts dt { color: var(--vscode-descriptionForeground); }
dl.facts dd { margin: 0; }
.problems li { color: var(--vscode-errorForeground); }
`;
