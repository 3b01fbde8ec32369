/** The COLO panel's few styles beyond the shared PANEL_CSS (theme variables only). */
export const COLO_CSS = `
.health-alive { color: var(--vscode-testing-iconPassed, inherit); }
.health-silent { color: var(--vscode-editorWarning-foreground, inherit); font-weight: 600; }
.health-gone { color: var(--vscode-descriptionForeground); }
.state-line { font-size: 1.05em; margin: 4px 0 8px; }
.sides th[scope="row"] { font-weight: 600; }
`;
