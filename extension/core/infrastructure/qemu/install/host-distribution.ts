/**
 * What a host's own files say about where its packages come from: /etc/os-release (which
 * distribution) and its apt sources (which mirror). The private QEMU is installed from the same
 * mirror the host already uses, so nothing here ever names a mirror itself.
 */

/** The fields of /etc/os-release that choose how QEMU is installed. */
export interface OsRelease {
  /** `debian`, `ubuntu`, … */
  readonly id: string;
  /** `ID_LIKE`, split: `ubuntu debian` for Linux Mint. */
  readonly idLike: readonly string[];
  /** `bookworm`, `noble`, … (empty when the file has none). */
  readonly codename: string;
  readonly prettyName: string;
}

/** One `deb` entry of an apt sources file (either format). */
export interface AptSource {
  readonly uris: readonly string[];
  readonly suites: readonly string[];
  readonly components: readonly string[];
}

function unquote(value: string): string {
  const trimmed = value.trim();
  const quoted = /^(["'])(.*)\1$/.exec(trimmed);
  return (quoted?.[2] ?? trimmed).replace(/\\(.)/g, '$1');
}

/** Parses /etc/os-release text (`KEY=value`, values optionally quoted). */
export function parseOsRelease(text: string): OsRelease {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match?.[1] !== undefined && match[2] !== undefined) fields.set(match[1], unquote(match[2]));
  }
  return {
    id: (fields.get('ID') ?? '').toLowerCase(),
    idLike: (fields.get('ID_LIKE') ?? '').toLowerCase().split(/\s+/).filter((word) => word !== ''),
    codename: fields.get('VERSION_CODENAME') ?? '',
    prettyName: fields.get('PRETTY_NAME') ?? fields.get('ID') ?? 'unknown',
  };
}

/** The one-line format (`sources.list`): `deb [options] URI SUITE COMPONENT…`; `deb-src` and comments skipped. */
export function parseOneLineSources(text: string): AptSource[] {
  const found: AptSource[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    const match = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)(.*)$/.exec(line);
    if (match?.[1] === undefined || match[2] === undefined) continue;
    found.push({ uris: [match[1]], suites: [match[2]], components: (match[3] ?? '').trim().split(/\s+/).filter((c) => c !== '') });
  }
  return found;
}

/** The deb822 format (`*.sources`): stanzas of `Types:`, `URIs:`, `Suites:`, `Components:`; `Enabled: no` skipped. */
export function parseDeb822Sources(text: string): AptSource[] {
  const found: AptSource[] = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    let last: string | undefined;
    for (const raw of stanza.split('\n')) {
      if (raw.startsWith('#')) continue;
      if (/^\s/.test(raw) && last !== undefined) {
        fields.set(last, `${fields.get(last) ?? ''} ${raw.trim()}`);
        continue;
      }
      const match = /^([A-Za-z-]+):\s*(.*)$/.exec(raw);
      if (match?.[1] === undefined) continue;
      last = match[1].toLowerCase();
      fields.set(last, match[2] ?? '');
    }
    const words = (key: string): string[] => (fields.get(key) ?? '').split(/\s+/).filter((w) => w !== '');
    if (!words('types').includes('deb')) continue;
    if (/^(no|false|0)$/i.test((fields.get('enabled') ?? 'yes').trim())) continue;
    found.push({ uris: words('uris'), suites: words('suites'), components: words('components') });
  }
  return found;
}

/** A mirror URI that can go into a sources line as one word: http(s), or a local file: archive. */
export function isUsableMirrorUri(uri: string): boolean {
  return /^(https?|file):\/\/[^\s[\]"'\\]+$/.test(uri);
}

/**
 * The mirror of the host's main archive: the first `deb` source whose suites include the host's
 * own release (`bookworm`, not `bookworm-security` or another archive's suite), else the first
 * one carrying any suite named after the release. Undefined when none fits.
 */
export function mainMirror(sources: readonly AptSource[], codename: string): string | undefined {
  const usable = (source: AptSource): string | undefined => source.uris.find(isUsableMirrorUri);
  const exact = sources.find((s) => s.suites.includes(codename) && usable(s) !== undefined);
  if (exact !== undefined) return usable(exact);
  if (codename === '') return undefined;
  const related = sources.find((s) => s.suites.some((suite) => suite.startsWith(`${codename}-`) && !suite.endsWith('-security')) && usable(s) !== undefined);
  return related === undefined ? undefined : usable(related);
}

/** The distribution families a private QEMU can be installed from. */
export type DistributionFamily = 'debian' | 'ubuntu';

/** Debian, Ubuntu (and their derivatives, by ID_LIKE), or undefined for anything else. */
export function familyOf(os: OsRelease): DistributionFamily | undefined {
  const ids = [os.id, ...os.idLike];
  if (ids.includes('ubuntu')) return 'ubuntu';
  if (ids.includes('debian')) return 'debian';
  return undefined;
}
