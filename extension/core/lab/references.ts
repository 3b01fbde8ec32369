/**
 * Resolving names one entry uses to point at another (a VM's host, an experiment's VM, …),
 * with a "did you mean" among the names the file defines.
 */
import type { DiagnosticCollector, LabDiagnosticCode } from './diagnostic';
import type { Located } from './fields';
import { closestMatch, didYouMean } from './suggest';
import { LOCAL_HOST, USER_NETWORK } from './vocabulary';
import { quote } from './wording';

/** The names a lab file defines, whether or not their definitions are valid. */
export interface DeclaredNames {
  readonly hosts: ReadonlySet<string>;
  readonly networks: ReadonlySet<string>;
  readonly vms: ReadonlySet<string>;
}

/** Checks references against the names a lab file defines, reporting the unknown ones. */
export class References {
  private readonly hosts: ReadonlySet<string>;
  private readonly networks: ReadonlySet<string>;
  private readonly vms: ReadonlySet<string>;

  constructor(
    private readonly diagnostics: DiagnosticCollector,
    declared: DeclaredNames,
  ) {
    this.hosts = new Set([LOCAL_HOST, ...declared.hosts]);
    this.networks = new Set([USER_NETWORK, ...declared.networks]);
    this.vms = declared.vms;
  }

  /** Whether host `name` exists (`local` always does). */
  host(owner: string, name: Located<string>): boolean {
    return this.check(owner, name, this.hosts, 'undefined-host', 'host', 'add it under hosts:');
  }

  /** Whether `name` is `user` or a defined network. */
  network(owner: string, name: Located<string>): boolean {
    return this.check(owner, name, this.networks, 'undefined-network', 'network', `use "${USER_NETWORK}" or add it under networks:`);
  }

  /** Whether VM `name` exists. */
  vm(owner: string, name: Located<string>): boolean {
    return this.check(owner, name, this.vms, 'undefined-vm', 'VM', 'add it under vms:');
  }

  private check(
    owner: string,
    name: Located<string>,
    known: ReadonlySet<string>,
    code: LabDiagnosticCode,
    noun: string,
    remedy: string,
  ): boolean {
    if (known.has(name.value)) return true;
    const suggestion = closestMatch(name.value, known);
    const help = suggestion === undefined ? `; ${remedy}` : didYouMean(suggestion);
    this.diagnostics.error(code, name.span, `${owner}: ${noun} ${quote(name.value)} is not defined${help}`, suggestion);
    return false;
  }
}
