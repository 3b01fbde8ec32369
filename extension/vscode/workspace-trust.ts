import * as vscode from 'vscode';
import { ConditionalHostGate, type HostGate } from '../core/infrastructure/hosts/host-gate';

/** The command that opens VS Code's Workspace Trust editor (where the user can trust the folder). */
export const MANAGE_TRUST_COMMAND = 'workbench.trust.manage';

/**
 * The editor's host gate: open exactly while the workspace is trusted. Everything the extension
 * reaches hosts through (its HostPool, hence every transport and this machine's HostSystem)
 * asks it, so in Restricted Mode nothing connects or starts, whoever calls.
 */
export function workspaceTrustGate(): HostGate {
  return new ConditionalHostGate(() => vscode.workspace.isTrusted, {
    reason: 'this workspace is not trusted (Restricted Mode)',
    hint: 'Trust the workspace ("Workspaces: Manage Workspace Trust") to let QEMU Lab connect to its hosts and run QEMU.',
  });
}
