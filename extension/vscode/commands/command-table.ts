import type * as vscode from 'vscode';
import { newLabFile } from './new-lab-file';

/** What a command needs from the extension; passed in, never looked up globally. */
export interface CommandContext {
  readonly extension: vscode.ExtensionContext;
}

/** A command's implementation, made from its context. */
export type CommandFactory = (context: CommandContext) => (...args: unknown[]) => unknown;

/**
 * Every command of the extension: id → factory (as rust-analyzer's editors/code does). The ids
 * must match `contributes.commands` in package.json; a unit test checks both ways.
 */
export const commandTable: Readonly<Record<string, CommandFactory>> = {
  'qemuLab.newLabFile': () => () => newLabFile(),
};
