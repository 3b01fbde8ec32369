import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, makeNonce, panelHtml } from '../../../extension/presentation/panels/panel-html';

const cspSource = 'https://*.vscode-cdn.net';

describe('the results webview page', () => {
  it('has a strict Content-Security-Policy: nothing by default, the script by nonce, no inline styles', () => {
    expect(contentSecurityPolicy(cspSource, 'N0nce')).toBe(`default-src 'none'; img-src ${cspSource} data:; style-src ${cspSource}; script-src 'nonce-N0nce'`);
    expect(contentSecurityPolicy(cspSource, 'x')).not.toContain('unsafe');
  });

  it('loads the one bundle as a module with the nonce, and nothing else', () => {
    const html = panelHtml({ cspSource, scriptUri: 'https://file%2B.vscode-resource.vscode-cdn.net/ext/dist/webview.js', nonce: 'abc+/=', title: 'Results: qemu-lab.yaml' });
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; img-src ${cspSource} data:; style-src ${cspSource}; script-src &#39;nonce-abc+/=&#39;">`);
    expect(html).toContain('<script type="module" nonce="abc+/=" src="https://file%2B.vscode-resource.vscode-cdn.net/ext/dist/webview.js"></script>');
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toMatch(/<style|style=/);
  });

  it('escapes what it puts in attributes and the title', () => {
    const html = panelHtml({ cspSource, scriptUri: 'x"><script>', nonce: 'n', title: '<b>' });
    expect(html).toContain('src="x&quot;&gt;&lt;script&gt;"');
    expect(html).toContain('<title>&lt;b&gt;</title>');
  });

  it('makes a fresh 128-bit nonce each time', () => {
    const nonces = new Set(Array.from({ length: 50 }, makeNonce));
    expect(nonces.size).toBe(50);
    for (const nonce of nonces) expect(Buffer.from(nonce, 'base64')).toHaveLength(16);
  });
});
