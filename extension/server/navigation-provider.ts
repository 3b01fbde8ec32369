/**
 * Go to definition and find references for host, network and VM names: from `host: lab-b` to
 * `lab-b:` under `hosts:`, and from there to every `host:` and `to:` naming it.
 */
import type { Location, Position } from 'vscode-languageserver';
import type { LabAnalysis } from './lab-analysis';
import { definitionOf, nameSiteAt, referencesTo, type NameSite } from './name-index';

/** Where the name at `position` is defined; `null` when it is no name, or one never defined (`local`). */
export function definitionAt(analysis: LabAnalysis, uri: string, position: Position): Location | null {
  const index = analysis.nameIndex;
  const site = nameSiteAt(index, analysis.offsetAt(position));
  const definition = site === undefined ? undefined : definitionOf(index, site.section, site.name);
  return definition === undefined ? null : locationOf(analysis, uri, definition);
}

/** Every use of the name at `position` (and its definition, with `includeDeclaration`). */
export function referencesAt(analysis: LabAnalysis, uri: string, position: Position, includeDeclaration: boolean): Location[] {
  const index = analysis.nameIndex;
  const site = nameSiteAt(index, analysis.offsetAt(position));
  if (site === undefined) return [];
  const definition = includeDeclaration ? definitionOf(index, site.section, site.name) : undefined;
  const sites = [...(definition === undefined ? [] : [definition]), ...referencesTo(index, site.section, site.name)];
  return sites.map((found) => locationOf(analysis, uri, found));
}

function locationOf(analysis: LabAnalysis, uri: string, site: NameSite): Location {
  return { uri, range: analysis.rangeOf(site.span) };
}
