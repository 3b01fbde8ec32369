/**
 * Text typed into the guest as key presses: QEMU's VNC server has no clipboard for a guest
 * without a clipboard agent (the built-in guest has none), so pasting means typing. Printable
 * ASCII only, with Shift where a US keyboard needs it (QEMU picks the key for a keysym, not the
 * Shift), and a new line as Return.
 */

/** One key event: an X keysym, pressed or released. */
export interface KeyPress {
  readonly keysym: number;
  readonly down: boolean;
}

/** X keysyms of the keys besides the printable ones (their keysyms are their ASCII codes). */
export const KEYSYM = { Return: 0xff0d, Tab: 0xff09, ShiftLeft: 0xffe1 } as const;

const SHIFTED = new Set('~!@#$%^&*()_+{}|:"<>?ABCDEFGHIJKLMNOPQRSTUVWXYZ');

/** The characters {@link keyPresses} cannot type (each once, in order), for a message. */
export function untypable(text: string): string[] {
  return [...new Set([...text.replace(/\r\n/g, '\n')].filter((c) => !(c === '\n' || c === '\t' || (c >= ' ' && c <= '~'))))];
}

/** The key presses that type `text`; characters {@link untypable} lists are skipped. */
export function keyPresses(text: string): KeyPress[] {
  const presses: KeyPress[] = [];
  const tap = (keysym: number): void => {
    presses.push({ keysym, down: true }, { keysym, down: false });
  };
  for (const char of text.replace(/\r\n/g, '\n')) {
    if (char === '\n') tap(KEYSYM.Return);
    else if (char === '\t') tap(KEYSYM.Tab);
    else if (char >= ' ' && char <= '~') {
      const shift = SHIFTED.has(char);
      if (shift) presses.push({ keysym: KEYSYM.ShiftLeft, down: true });
      tap(char.charCodeAt(0));
      if (shift) presses.push({ keysym: KEYSYM.ShiftLeft, down: false });
    }
  }
  return presses;
}
