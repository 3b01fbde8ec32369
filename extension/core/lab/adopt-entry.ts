/**
 * What "Add to Lab" and `qemu-lab adopt` write into a lab file: a VM that adopts an existing
 * libvirt domain (`domain:`), with where SSH reaches its guest. The entry is added by
 * {@link addEntry}, in the file's own style, so comments and formatting stay. Pure: the lab's
 * text and model in, the edit (or why not) out.
 */
import { isIP } from 'node:net';
import { dirname, isAbsolute } from 'node:path';
import { addEntry, type OffsetEdit } from './add-entry';
import type { LabModel } from './model';
import { labRelativePath, yamlPath } from './new-vm-entry';
import { readLabStage } from './staged-parse';
import { DEFAULT_ADOPTED_SSH_PORT, DEFAULT_ADOPTED_USER, DOMAIN_NAME_PATTERN, GUEST_USER_PATTERN, LIMITS, NAME_MAX_LENGTH, NAME_PATTERN } from './vocabulary';

/** What to adopt, and how to log in; absent keys are left out of the entry (their defaults apply). */
export interface AdoptRequest {
  readonly host: string;
  readonly domain: string;
  /** The lab's name of the VM; default: one made from the domain's name. */
  readonly name?: string;
  readonly address?: string;
  readonly sshPort?: number;
  readonly user?: string;
  /** The private key's path: absolute (written relative to the lab file's folder when inside it), or as the lab file takes it (relative to its folder, `~/`). */
  readonly identity?: string;
}

/** The edit that adds the VM, and its name; or the problem, as a sentence with what to do. */
export type AdoptEdit = { readonly ok: true; readonly name: string; readonly edit: OffsetEdit } | { readonly ok: false; readonly problem: string };

/** A VM name made from a domain's name, in the characters a lab name takes (`web-prod`). */
export function vmNameForDomain(domain: string): string {
  const stem = domain
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[.-]+|-+$/g, '')
    .slice(0, NAME_MAX_LENGTH);
  return NAME_PATTERN.test(stem) ? stem : 'vm';
}

/** Why `name` cannot be the new VM's name in `lab`; undefined when it can. */
export function vmNameProblem(lab: Pick<LabModel, 'vms'>, name: string): string | undefined {
  if (!NAME_PATTERN.test(name) || name.length > NAME_MAX_LENGTH) return `"${name}" is not a VM name: use letters, digits, dot, dash and underscore, not starting with a dot or dash (at most ${NAME_MAX_LENGTH}).`;
  if (lab.vms.has(name)) return `The lab file has a VM "${name}" already: choose another name.`;
  return undefined;
}

/** The entry's keys as `key: value` lines. */
function entryBody(request: AdoptRequest, labDirectory: string): string[] {
  const body = [`host: ${yamlPath(request.host)}`, `domain: ${JSON.stringify(request.domain)}`];
  if (request.address !== undefined) body.push(`address: ${request.address.includes(':') ? JSON.stringify(request.address) : request.address}`);
  if (request.sshPort !== undefined && request.sshPort !== DEFAULT_ADOPTED_SSH_PORT) body.push(`sshPort: ${request.sshPort}`);
  if (request.user !== undefined && request.user !== DEFAULT_ADOPTED_USER) body.push(`user: ${request.user}`);
  if (request.identity !== undefined) body.push(`identity: ${yamlPath(isAbsolute(request.identity) ? labRelativePath(request.identity, labDirectory) : request.identity)}`);
  return body;
}

/** Why `request` cannot be written into `lab`; undefined when it can. */
function requestProblem(lab: Pick<LabModel, 'hosts' | 'vms'>, request: AdoptRequest, name: string): string | undefined {
  const host = lab.hosts.get(request.host);
  if (host === undefined) return `The lab file has no host "${request.host}": add it under hosts: as { kind: libvirt, uri: qemu:///system } first.`;
  if (host.kind !== 'libvirt') return `Host "${request.host}" is kind ${host.kind}: only a kind: libvirt host has domains to adopt.`;
  const nameProblem = vmNameProblem(lab, name);
  if (nameProblem !== undefined) return nameProblem;
  if (!DOMAIN_NAME_PATTERN.test(request.domain)) return `"${request.domain}" is not a libvirt domain name QEMU Lab adopts (virsh list --all shows the names).`;
  const adopter = [...lab.vms.values()].find((vm) => vm.host === request.host && vm.adopted?.domain === request.domain);
  if (adopter !== undefined) return `VM "${adopter.name}" of the lab adopts the domain "${request.domain}" already.`;
  if (request.address !== undefined && isIP(request.address) === 0) return `--address ${request.address} is not an IP address, like 192.168.122.50.`;
  const { min, max } = LIMITS.adoptedSshPort;
  if (request.sshPort !== undefined && (!Number.isInteger(request.sshPort) || request.sshPort < min || request.sshPort > max)) return `The SSH port must be a whole number from ${min} to ${max}.`;
  if (request.user !== undefined && !GUEST_USER_PATTERN.test(request.user)) return `"${request.user}" is not a Linux user name (lower-case letters, digits, _ and -).`;
  return undefined;
}

/**
 * The edit adding a VM that adopts `request.domain` to the lab file `text` (whose model is
 * `lab`): refused for a name the lab uses, a host that is not a libvirt host, a domain the lab
 * adopts already, or a file whose shape leaves no sure place for the entry.
 */
export function adoptEntryEdit(text: string, lab: Pick<LabModel, 'path' | 'hosts' | 'vms'>, request: AdoptRequest): AdoptEdit {
  const name = request.name ?? vmNameForDomain(request.domain);
  const problem = requestProblem(lab, request, name);
  if (problem !== undefined) return { ok: false, problem };
  const edit = addEntry({ text, tree: readLabStage(text, lab.path).tree }, 'vms', name, entryBody(request, dirname(lab.path)));
  if (edit === undefined) return { ok: false, problem: `${lab.path} has a shape where QEMU Lab cannot add a VM safely (vms: is not a mapping): add it by hand.` };
  return { ok: true, name, edit };
}

/** `text` with `edit` applied. */
export function applyOffsetEdit(text: string, edit: OffsetEdit): string {
  return text.slice(0, edit.start) + edit.newText + text.slice(edit.end);
}
