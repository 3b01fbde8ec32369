/**
 * Completion in lab files: the keys a mapping may still take, a key's values, names of hosts,
 * networks and VMs where a reference goes, NIC models and machine types from the host's last
 * probe, sizes. Works on text being typed: `    nic: ` with nothing after it, a line of spaces
 * under a VM, an unclosed `{`.
 */
import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem, type Position, type Range } from 'vscode-languageserver';
import type { HostCapabilities } from '../core/infrastructure/hosts/probes/capabilities';
import { valueCandidates, type ValueCandidate } from './completion-values';
import type { LabAnalysis } from './lab-analysis';
import { hostNameAt, placeOf, type LabPlace } from './lab-place';
import { ADOPTED_VM_KEYS } from '../core/lab/vocabulary';
import { formatDefault, keySchema, keySpec, keysOf, type LabShape } from './lab-schema';

/** Completions at `position`; `capabilitiesByHost` holds the hosts' last probes. */
export function completionsAt(analysis: LabAnalysis, position: Position, capabilitiesByHost: ReadonlyMap<string, HostCapabilities>): CompletionItem[] {
  const location = analysis.locate(position);
  if (location === undefined) return [];
  const place = placeOf(location);
  const range = replaceRange(analysis, place, position);
  if (range === undefined) return [];
  if (place.role === 'key') return keyCompletions(place, range);
  const { spec, shape, key } = place;
  if (spec === undefined || shape === undefined || key === undefined) return [];
  const tree = analysis.tree;
  const hostName = hostNameAt(tree, place.path);
  const exclude = shape === 'migration' && key === 'to' ? [hostName] : [];
  const taken = new Set(place.role === 'item' ? place.location.siblings : []);
  const candidates = valueCandidates(spec.value, {
    names: analysis.nameIndex,
    hostName,
    host: capabilitiesByHost.get(hostName),
    exclude,
  }).filter((candidate) => !taken.has(candidate.label));
  // After `key:` with no space, a value needs one.
  const space = analysis.text[location.word.start - 1] === ':' ? ' ' : '';
  return candidates.map((candidate, index) => {
    const text = place.role === 'value' && spec.list ? `[${candidate.label}]` : candidate.label;
    const newText = `${space}${place.needsDash ? '- ' : ''}${text}`;
    return valueItem(candidate, newText, range, index);
  });
}

/** Keys the mapping may still take. */
function keyCompletions(place: LabPlace, range: Range): CompletionItem[] {
  const { shape, location } = place;
  if (shape === undefined || shape === 'section') return [];
  const written = new Set(location.siblings);
  // A VM that adopts a libvirt domain takes only where it is and how to log in: the rest is libvirt's.
  const keys = shape === 'vm' && written.has('domain') ? ADOPTED_VM_KEYS : keysOf(shape);
  return keys
    .filter((key) => !written.has(key))
    .map((key, index) => keyItem(shape, key, location.colonAfter, location.flow, range, index));
}

function keyItem(shape: LabShape, key: string, colonAfter: boolean, flow: boolean, range: Range, index: number): CompletionItem {
  const schema = keySchema(shape, key);
  const spec = keySpec(shape, key);
  const defaultText = formatDefault(schema?.default);
  const opensMapping = spec?.value.kind === 'mapping';
  const newText = colonAfter ? key : opensMapping && !flow ? `${key}:\n  ` : `${key}: `;
  const suggestsValues = spec !== undefined && !colonAfter && spec.value.kind !== 'text' && spec.value.kind !== 'mapping';
  return {
    label: key,
    kind: shape === 'root' ? CompletionItemKind.Module : CompletionItemKind.Property,
    ...(defaultText === undefined ? {} : { detail: `default: ${defaultText}` }),
    ...(schema?.description === undefined ? {} : { documentation: { kind: MarkupKind.Markdown, value: schema.description } }),
    sortText: String(index).padStart(3, '0'),
    filterText: key,
    insertTextFormat: InsertTextFormat.PlainText,
    textEdit: { range, newText },
    ...(suggestsValues ? { command: { title: 'Suggest values', command: 'editor.action.triggerSuggest' } } : {}),
  };
}

function valueItem(candidate: ValueCandidate, newText: string, range: Range, index: number): CompletionItem {
  return {
    label: candidate.label,
    kind: candidate.kind,
    ...(candidate.detail === undefined ? {} : { detail: candidate.detail }),
    ...(candidate.documentation === undefined ? {} : { documentation: candidate.documentation }),
    sortText: String(index).padStart(3, '0'),
    filterText: candidate.label,
    insertTextFormat: InsertTextFormat.PlainText,
    textEdit: { range, newText },
  };
}

/**
 * What a completion replaces: the word at the position, stretched to the position if the cursor
 * is past it. An editor needs it on the position's line, containing the position.
 */
function replaceRange(analysis: LabAnalysis, place: LabPlace, position: Position): Range | undefined {
  const { word } = place.location;
  const offset = analysis.offsetAt(position);
  const start = Math.min(word.start, offset);
  const end = Math.max(word.end, offset);
  const range = analysis.rangeOfOffsets(start, end);
  if (range.start.line !== position.line || range.end.line !== position.line) return analysis.rangeOfOffsets(offset, offset);
  return range;
}
