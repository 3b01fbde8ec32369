/**
 * The part of noVNC's RFB client (npm `@novnc/novnc`, core/rfb.js; it ships no types) the screen
 * panel uses, as its docs/API.md describes it.
 */
declare module '@novnc/novnc' {
  /** What noVNC accepts instead of a WebSocket URL: an object that behaves like an open WebSocket. */
  export interface RfbChannel {
    binaryType: string;
    readonly protocol: string;
    readonly readyState: number | string;
    onopen: ((event: Event) => void) | null;
    onmessage: ((event: { readonly data: ArrayBuffer }) => void) | null;
    onclose: ((event: { readonly code: number; readonly reason: string; readonly wasClean: boolean }) => void) | null;
    onerror: ((event: Event) => void) | null;
    send(data: Uint8Array): void;
    close(): void;
  }

  /** noVNC's RFB client: draws into a canvas it adds to `target`, and sends the keyboard and pointer there. */
  // eslint-disable-next-line no-restricted-syntax -- describes noVNC's own default export; ours have none.
  export default class RFB extends EventTarget {
    constructor(target: HTMLElement, channel: RfbChannel, options?: { readonly shared?: boolean });
    scaleViewport: boolean;
    clipViewport: boolean;
    resizeSession: boolean;
    focusOnClick: boolean;
    viewOnly: boolean;
    background: string;
    disconnect(): void;
    sendCtrlAltDel(): void;
    /** Sends an X keysym (with `code`, a KeyboardEvent.code, QEMU gets the exact key), pressed and released unless `down` is given. */
    sendKey(keysym: number, code: string | null, down?: boolean): void;
    focus(options?: FocusOptions): void;
    blur(): void;
  }
}
