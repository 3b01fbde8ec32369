/**
 * What is at a position of a lab file, as `locateInLab` reads it from the text.
 */

/** A key of a mapping, the value of a key, or an item of a list that is the value of a key. */
export type LabLocationRole = 'key' | 'value' | 'item';

/** A token of the text: `start` to `end` (offsets, end exclusive). Empty at a position between tokens. */
export interface LabWord {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** What is at a position of a lab file. */
export interface LabLocation {
  /**
   * Keys from the top of the file down to the mapping concerned: for `key`, the mapping the key
   * belongs to (`['vms', 'vm1']`); for `value` and `item`, the mapping holding {@link key}. An item
   * of a list is `'-'`.
   */
  readonly path: readonly string[];
  readonly role: LabLocationRole;
  /** `value`, `item`: the key whose value it is. `key`: the key written at the position, if any. */
  readonly key: string | undefined;
  /** The token at the position (what a completion replaces, what a hover describes). */
  readonly word: LabWord;
  /** `key`: the other keys of the mapping. `item`: the other items of the list. `value`: none. */
  readonly siblings: readonly string[];
  /** Inside a flow collection (`{…}`, `[…]`). */
  readonly flow: boolean;
  /** `key`: a colon already follows the key. */
  readonly colonAfter: boolean;
}
