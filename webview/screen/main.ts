/**
 * A VM's screen panel (bundle dist/screen.js): noVNC's RFB client, whose bytes travel through the
 * extension to the VM's VNC socket (channel.ts, protocol.ts). A toolbar: the connection's state,
 * Ctrl+Alt+Del, Scale to Fit, Reconnect, and a field whose text is typed into the guest (QEMU has
 * no clipboard for a guest without a clipboard agent). The keyboard goes to the guest while the
 * screen has the focus (a click gives it).
 */
import RFB from '@novnc/novnc';
import { button, el, withAttributes } from '../shared/dom';
import { runPanel } from '../shared/panel-main';
import { PANEL_CSS } from '../shared/styles';
import { SessionChannel } from './channel';
import { SCREEN_PROTOCOL, screenPanelState, type FromScreenWebview, type ScreenPanelState, type ToScreenWebview } from './protocol';
import { SCREEN_CSS } from './styles';
import { keyPresses, untypable } from './type-text';

runPanel<ToScreenWebview, FromScreenWebview, ScreenPanelState>({
  name: 'screen',
  protocol: SCREEN_PROTOCOL,
  css: PANEL_CSS + SCREEN_CSS,
  restore: screenPanelState,
  redrawOnThemeChange: false,
  start: (page) => {
    const title = el('span', 'title', page.state().target?.vmName ?? 'Screen');
    const status = withAttributes(el('span', 'status', 'Connecting…'), { role: 'status', 'aria-live': 'polite' });
    const screen = withAttributes(el('div', 'screen'), { 'data-screen': '' });
    const text = withAttributes(el('input', undefined), { type: 'text', placeholder: 'Text to type into the guest', 'aria-label': 'Text to type into the guest' });
    let rfb: RFB | undefined;
    let channel: SessionChannel | undefined;
    let scale = true;

    const setStatus = (line: string, failed = false): void => {
      status.textContent = line;
      status.classList.toggle('failed', failed);
    };
    const connect = (): void => {
      setStatus('Connecting…');
      page.post({ type: 'connect' });
    };
    // The Type button types the text as it is; Enter in the field types it and presses Return.
    const typeText = (withReturn: boolean): void => {
      const value = withReturn ? `${text.value}\n` : text.value;
      const skipped = untypable(value);
      for (const press of keyPresses(value)) rfb?.sendKey(press.keysym, null, press.down);
      if (skipped.length > 0) setStatus(`Typed all but ${skipped.map((c) => JSON.stringify(c)).join(' ')}: only ASCII can be typed.`, true);
      text.value = '';
      rfb?.focus();
    };
    text.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') typeText(true);
    });
    const scaleButton = button('Scale to Fit: on', () => {
      scale = !scale;
      scaleButton.textContent = `Scale to Fit: ${scale ? 'on' : 'off'}`;
      if (rfb !== undefined) rfb.scaleViewport = scale;
    }, { secondary: true, id: 'scale', title: 'Fit the guest\'s screen into the panel, or show it pixel for pixel' });
    const bar = el(
      'div',
      'screen-bar',
      title,
      status,
      button('Ctrl+Alt+Del', () => rfb?.sendCtrlAltDel(), { secondary: true, id: 'ctrl-alt-del', title: 'Send Ctrl+Alt+Del to the guest' }),
      scaleButton,
      button('Reconnect', connect, { secondary: true, id: 'reconnect' }),
      text,
      button('Type', () => typeText(false), { secondary: true, id: 'type', title: 'Type this text into the guest as key presses (Enter in the field types it and presses Return)' }),
    );
    document.body.replaceChildren(bar, screen);

    const drop = (): void => {
      const old = rfb;
      rfb = undefined;
      channel = undefined;
      old?.disconnect();
      screen.replaceChildren();
    };

    return {
      draw: () => undefined,
      handlers: {
        target: (message) => {
          page.save({ target: message.target });
          title.textContent = `${message.target.vmName} on ${message.target.host}`;
          connect();
        },
        opened: (message) => {
          drop();
          const session = new SessionChannel(message.session, (m) => page.post(m));
          channel = session;
          const client = new RFB(screen, session, { shared: true });
          client.scaleViewport = scale;
          client.background = 'var(--vscode-editor-background)';
          client.addEventListener('connect', () => {
            setStatus('Connected. Click the screen to type into the guest.');
            client.focus();
          });
          client.addEventListener('disconnect', (event) => {
            if (rfb !== client) return;
            const clean = (event as CustomEvent<{ clean?: boolean }>).detail?.clean === true;
            if (!clean) setStatus('The connection to the screen broke. Reconnect?', true);
          });
          client.addEventListener('securityfailure', () => setStatus('The VM\'s VNC server asked for a password: QEMU Lab sets none. Is this QEMU Lab\'s VM?', true));
          rfb = client;
          setStatus('Connected, waiting for the screen…');
        },
        data: (message) => {
          if (channel?.session === message.session) channel.deliver(message.bytes);
        },
        closed: (message) => {
          if (channel !== undefined && channel.session !== message.session) return;
          channel?.closedBy(message.reason);
          setStatus(`Not connected: ${message.reason}`, true);
        },
      },
    };
  },
});
