/**
 * Hover in lab files: over a key, what it means, its default and the QEMU option it becomes;
 * over a value, the same for that value (`nic: e1000` → `-device e1000,netdev=net0`), or the
 * entry a name refers to; over an entry's name, what the entry amounts to (a VM's whole QEMU
 * command line, a host's last probe, an experiment's number of runs).
 */
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import type { HostCapabilities } from '../core/infrastructure/hosts/probes/capabilities';
import type { SectionKey } from '../core/lab/vocabulary';
import { entrySummary, keyDocumentation, migrationOptionLines, vmOptionLines, type HoverFacts } from './hover-content';
import type { LabAnalysis } from './lab-analysis';
import { placeOf, scalarAt, type LabPlace } from './lab-place';
import { isSection } from './lab-schema';
import { defaultVm } from '../core/lab/default-vm';
import { vmWithValue } from './qemu-options';

/** The hover at `position`, or `null` where there is nothing to explain. */
export function hoverAt(analysis: LabAnalysis, position: Position, capabilitiesByHost: ReadonlyMap<string, HostCapabilities>): Hover | null {
  const location = analysis.locate(position);
  if (location === undefined) return null;
  const offset = analysis.offsetAt(position);
  const { word } = location;
  if (word.text.trim() === '' || offset < word.start || offset > word.end) return null;
  const lines = hoverLines(placeOf(location), analysis, { lab: analysis.parse.lab, capabilitiesByHost });
  if (lines.length === 0) return null;
  return { contents: { kind: MarkupKind.Markdown, value: lines.join('\n') }, range: analysis.rangeOfWord(word) };
}

function hoverLines(place: LabPlace, analysis: LabAnalysis, facts: HoverFacts): string[] {
  const { shape, role, key, path } = place;
  if (shape === undefined || key === undefined) return [];
  if (role === 'key') {
    if (shape === 'root') return keyDocumentation('root', key);
    const section = path[0];
    if (shape === 'section') return isSection(section) ? entrySummary(section, key, facts) : [];
    return [...keyDocumentation(shape, key), ...optionLines(place, analysis, facts, undefined)];
  }
  const value = place.location.word.text;
  const lines = [...keyDocumentation(shape, key), ...optionLines(place, analysis, facts, value)];
  const spec = place.spec?.value;
  if (spec?.kind !== 'reference') return lines;
  return [...entrySummary(spec.section as SectionKey, value, facts), '', '---', '', ...lines];
}

/** The QEMU (or QMP) side of `key`, with `value` if one is written at the position. */
function optionLines(place: LabPlace, analysis: LabAnalysis, facts: HoverFacts, value: string | undefined): string[] {
  const { shape, key, path } = place;
  if (key === undefined) return [];
  if (shape === 'migration') return migrationOptionLines(key, value);
  if (shape !== 'vm' && shape !== 'matrix') return [];
  const vmName = shape === 'vm' ? path[1] : (facts.lab?.experiments.get(path[1] ?? '')?.vm ?? scalarAt(analysis.tree, ['experiments', path[1] ?? '', 'vm']));
  const vm = (vmName === undefined ? undefined : facts.lab?.vms.get(vmName)) ?? defaultVm(vmName ?? 'vm');
  const shown = value === undefined ? vm : vmWithValue(vm, key, value);
  return shown === undefined ? [] : vmOptionLines(key, shown, facts.capabilitiesByHost.get(shown.host));
}
