/**
 * What VS Code's "Load Code" figure for an ES-module extension takes in. The extension host
 * starts its clock, awaits (its localization step), marks `willLoadExtensionCode/ID`, awaits
 * `import(main)`, marks `didLoadExtensionCode/ID` and stops the clock. At each await the host
 * goes on with other work — above all other extensions' CommonJS loads, which are synchronous and
 * hold the thread until they end. The raw perf marks show which of them ran inside the figure.
 */

/** Another extension's code load that overlapped the window of the one measured. */
export interface OverlappingLoad {
  readonly extension: string;
  /** The part of its load inside the window, in ms. */
  readonly msInside: number;
}

/** The measured extension's load and the loads that ran inside its Load Code figure. */
export interface ExtensionLoadWindow {
  /** From its `willLoadExtensionCode` mark to its `didLoadExtensionCode` mark: the import alone. */
  readonly importMs: number;
  readonly overlapping: readonly OverlappingLoad[];
}

const MARK = /^code\/extHost\/(will|did)LoadExtensionCode\/(\S+)\s+(\d+)\b/;

/**
 * Reads the load window of `extension` from the text of Developer: Startup Performance's raw
 * extension-host marks (one mark a line: name, then its timestamp in ms). The figure ends at the
 * `did` mark and began `loadCodeMs` (the figure itself) before it. Undefined when either of its
 * two marks is not in the text.
 */
export function extensionLoadWindow(text: string, extension: string, loadCodeMs: number): ExtensionLoadWindow | undefined {
  const starts = new Map<string, number>();
  const loads: { extension: string; start: number; end: number }[] = [];
  for (const line of text.split('\n')) {
    const mark = MARK.exec(line.trim());
    if (mark === null) continue;
    const [, kind, id, at] = mark;
    if (id === undefined || at === undefined) continue;
    if (kind === 'will') starts.set(id, Number(at));
    else if (starts.has(id)) loads.push({ extension: id, start: starts.get(id) ?? 0, end: Number(at) });
  }
  const own = loads.find((load) => load.extension === extension);
  if (own === undefined) return undefined;
  const begin = Math.min(own.start, own.end - loadCodeMs);
  const overlapping = loads
    .filter((load) => load.extension !== extension)
    .map((load) => ({ extension: load.extension, msInside: Math.min(load.end, own.end) - Math.max(load.start, begin) }))
    .filter((load) => load.msInside > 0);
  return { importMs: own.end - own.start, overlapping };
}
