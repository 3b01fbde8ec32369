import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import { domainAddresses } from '../../core/infrastructure/libvirt/domain-addresses';
import { adoptEntryEdit, vmNameForDomain, vmNameProblem, type AdoptRequest } from '../../core/lab/adopt-entry';
import type { LabModel } from '../../core/lab/model';
import { MANAGE_TRUST_COMMAND } from '../workspace-trust';
import type { LabServices } from '../services';

/** The row "Add to Lab" was run on: a domain of a libvirt host (presentation/tree/domain-rows.ts). */
interface DomainArgument {
  readonly host: string;
  readonly domain: string;
}

/** The host and domain of the tree row, checked: the argument comes from the tree, or from whoever ran the command. */
function domainArgument(node: unknown): DomainArgument | undefined {
  if (typeof node !== 'object' || node === null) return undefined;
  const { kind, host, domain } = node as { kind?: unknown; host?: unknown; domain?: unknown };
  const name = typeof domain === 'object' && domain !== null ? (domain as { name?: unknown }).name : undefined;
  return kind === 'domain' && typeof host === 'string' && typeof name === 'string' ? { host, domain: name } : undefined;
}

/** The lab file to add to: the one (or one of those) whose libvirt host this is. */
async function labOfHost(services: LabServices, host: string): Promise<LabModel | undefined> {
  const labs = (await services.labs.labs()).filter((lab) => lab.hosts.get(host)?.kind === 'libvirt');
  if (labs.length <= 1) return labs[0];
  const picked = await vscode.window.showQuickPick(labs.map((lab) => ({ label: vscode.workspace.asRelativePath(lab.path), lab })), { title: 'Add the domain to which lab file?' });
  return picked?.lab;
}

/** The guest's address: one libvirt reports (picked from a quick pick), one typed, or none. */
async function pickAddress(services: LabServices, target: DomainArgument): Promise<string | null | undefined> {
  const virsh = services.up.libvirt?.virsh(target.host);
  const found = virsh === undefined ? [] : await domainAddresses(virsh, target.domain);
  const typed = { label: '$(edit) Type an address…', address: 'type' as const };
  const none = { label: '$(circle-slash) No address', description: 'up starts and stops it; ssh and benchmarks refuse until address: is added', address: null };
  const items = [...found.map((a) => ({ label: a.address, description: `${a.interfaceName}${a.mac === undefined ? '' : ` · ${a.mac}`}`, address: a.address as string })), typed, none];
  const picked = await vscode.window.showQuickPick(items, { title: `Where SSH reaches the guest of "${target.domain}"`, placeHolder: found.length === 0 ? 'libvirt knows no address of this domain' : 'addresses libvirt reports (virsh domifaddr)' });
  if (picked === undefined) return undefined;
  if (picked.address !== 'type') return picked.address;
  return vscode.window.showInputBox({ title: `IP address of "${target.domain}"`, prompt: 'Where SSH reaches the guest from the host', validateInput: (text) => (/^[0-9a-fA-F.:]+$/.test(text) ? undefined : 'Write an IP address, like 192.168.122.50.') });
}

/**
 * "Add to Lab" on a domain of a libvirt host: asks the VM's name and where SSH reaches its guest
 * (from the addresses libvirt knows), and writes a VM that adopts the domain into the lab file —
 * the same entry `qemu-lab adopt` writes, in the file's own style. It reads the domain's
 * addresses from libvirt, so it refuses in Restricted Mode.
 */
export async function addDomainToLab(services: LabServices, node: unknown): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    // Not awaited: the command ends at once, whether or not the user answers.
    void vscode.window
      .showWarningMessage('Add to Lab reads the domain from libvirt, and this workspace is not trusted (Restricted Mode).', 'Manage Workspace Trust')
      .then((choice) => (choice === undefined ? undefined : vscode.commands.executeCommand(MANAGE_TRUST_COMMAND)));
    return;
  }
  const target = domainArgument(node);
  if (target === undefined) {
    void vscode.window.showInformationMessage('Run "Add to Lab" on a domain of a libvirt host in the Hosts and VMs view.');
    return;
  }
  const lab = await labOfHost(services, target.host);
  if (lab === undefined) return;
  const name = await vscode.window.showInputBox({
    title: `Name of the VM that adopts "${target.domain}"`,
    value: vmNameForDomain(target.domain),
    validateInput: (text) => vmNameProblem(lab, text),
  });
  if (name === undefined) return;
  let address: string | null | undefined;
  try {
    address = await pickAddress(services, target);
  } catch (error) {
    void vscode.window.showErrorMessage(`Could not read the addresses of "${target.domain}": ${describeError(error)}`);
    return;
  }
  if (address === undefined) return;
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(lab.path));
  const request: AdoptRequest = { host: target.host, domain: target.domain, name, ...(address === null ? {} : { address }) };
  const added = adoptEntryEdit(document.getText(), lab, request);
  if (!added.ok) {
    void vscode.window.showErrorMessage(added.problem);
    return;
  }
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(document.positionAt(added.edit.start), document.positionAt(added.edit.end)), added.edit.newText);
  if (!(await vscode.workspace.applyEdit(edit)) || !(await document.save())) {
    void vscode.window.showErrorMessage(`Could not write the VM into ${vscode.workspace.asRelativePath(lab.path)}: is the file read-only?`);
    return;
  }
  const entry = document.getText().indexOf(`${name}:`, added.edit.start);
  const at = document.positionAt(entry === -1 ? added.edit.start : entry);
  await vscode.window.showTextDocument(document, { selection: new vscode.Range(at, at) });
  services.log.info(`${name}: added to ${lab.path}, adopting domain "${target.domain}" of host ${target.host}`);
  void vscode.window.showInformationMessage(`VM "${name}" adopts "${target.domain}". Add identity: (the SSH key that logs in) to log into it.`);
}
